// tests/engine/capture_rig_test.cpp - a CaptureRig's phases (start, watch, stop, report) with its
// worker thread, driven by a fake stream instead of a device.
#include "engine/live/capture_rig.hpp"
#include "tests/engine/fake_stream.hpp"
#include "tests/engine/memory_sink.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <optional>

using namespace rc;
using namespace std::chrono_literals;

namespace {

constexpr std::uint32_t period = 480; // 10 ms at 48 kHz

/// Controls that ask for `reason` from their `after`-th poll on.
class ScriptedControls final : public LiveControls {
public:
  explicit ScriptedControls(std::optional<StopReason> reason = std::nullopt, int after = 0)
      : reason_(reason), after_(after) {}
  std::optional<StopReason> stop_requested() noexcept override {
    ++polls;
    return polls > after_ ? reason_ : std::nullopt;
  }
  int polls = 0;

private:
  std::optional<StopReason> reason_;
  int after_;
};

RigOptions options_with_limit(std::uint64_t frame_limit) {
  RigOptions o;
  o.rate = 48000;
  o.period = static_cast<int>(period);
  // Larger than any run here that is not stopped from outside: the duration run (9,700 frames)
  // cannot overrun however slowly its worker is scheduled.
  o.ring_frames = 65536;
  o.frame_limit = frame_limit;
  o.poll_interval = 1ms;
  return o;
}

// Every frame of the file is the counter at its own position, or silence standing for frames
// the report counts as overruns (a worker starved on a loaded machine, seen once under TSan):
// the timeline is whole either way.
void check_counter(const test::RecordedFrames& frames, std::uint64_t overrun_frames) {
  std::uint64_t wrong = 0, silent = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].left == 0.0f && frames[i].right == 0.0f)
      ++silent;
    else if (frames[i].left != float(i + 1) || frames[i].right != 0.5f)
      ++wrong;
  }
  CHECK(wrong == 0);
  CHECK(silent == overrun_frames);
}

/// One run through every phase; returns the cause, fills `report`.
StopCause run(CaptureRig& rig, test::FakeStream& stream, LiveControls& controls,
              CaptureReport& report, int* ticks = nullptr) {
  rig.start();
  stream.start();
  const StopCause cause = rig.watch(stream, controls, [ticks] {
    if (ticks) ++*ticks;
  });
  report.stop_reason = cause.reason;
  report.error = cause.error;
  stream.stop();
  rig.stop(nullptr, report);
  rig.report(report, nullptr);
  return cause;
}

} // namespace

TEST_CASE("a rig runs to its duration: every frame in the sink, at its place, reported") {
  test::MemorySink sink;
  CaptureRig rig(options_with_limit(20 * period + 100), sink); // ends inside a block
  test::FakeStream stream(rig.producer(), period, 2ms);
  ScriptedControls controls;
  CaptureReport report;
  int ticks = 0;
  const StopCause cause = run(rig, stream, controls, report, &ticks);

  CHECK(cause.reason == StopReason::duration);
  CHECK_FALSE(cause.device_lost);
  CHECK(ticks >= 1);
  REQUIRE(sink.frames.size() == 20 * period + 100);
  check_counter(sink.frames, report.overrun_frames);
  CHECK(report.frames_captured == 20 * period + 100);
  CHECK(report.frames_written == 20 * period + 100);
  CHECK(report.callbacks == 21);
  CHECK(report.overrun_frames == 0);
  CHECK(report.rate == 48000);
  CHECK(report.period == int(period));
  CHECK(report.ring_capacity == 65536);
  CHECK(report.error.empty());
}

TEST_CASE("a stop the controls ask for ends the run with their reason, the file whole") {
  test::MemorySink sink;
  CaptureRig rig(options_with_limit(~0ull), sink);
  test::FakeStream stream(rig.producer(), period, 2ms);
  ScriptedControls controls(StopReason::sigint, 2); // on the third tick
  CaptureReport report;
  const StopCause cause = run(rig, stream, controls, report);

  CHECK(cause.reason == StopReason::sigint);
  CHECK(controls.polls == 3);
  CHECK(report.stop_reason == StopReason::sigint);
  CHECK(sink.frames.size() == stream.delivered() * period);
  CHECK(report.frames_written == sink.frames.size());
  CHECK(sink.frames.size() > 0);
  check_counter(sink.frames, report.overrun_frames);
}

TEST_CASE("a device that stops calling back is lost, and one whose stream ended at once") {
  SUBCASE("silent but active: lost after the silence limit") {
    test::MemorySink sink;
    CaptureRig rig(options_with_limit(~0ull), sink);
    test::FakeStream stream(rig.producer(), period, 2ms, /*blocks=*/10);
    ScriptedControls controls;
    CaptureReport report;
    const auto start = std::chrono::steady_clock::now();
    const StopCause cause = run(rig, stream, controls, report);
    CHECK(cause.reason == StopReason::error);
    CHECK(cause.device_lost);
    CHECK(cause.error.find("stopped delivering input") != std::string::npos);
    // Never before the limit (a lower bound only: a loaded machine may take longer).
    CHECK(std::chrono::steady_clock::now() - start >=
          std::chrono::nanoseconds(device_silence_limit_ns(48000, int(period))));
    CHECK(sink.frames.size() == 10 * period);
    check_counter(sink.frames, report.overrun_frames);
  }
  SUBCASE("inactive") {
    test::MemorySink sink;
    CaptureRig rig(options_with_limit(~0ull), sink);
    test::FakeStream stream(rig.producer(), period, 2ms, /*blocks=*/10,
                            /*complete_after_blocks=*/true);
    ScriptedControls controls;
    CaptureReport report;
    const StopCause cause = run(rig, stream, controls, report);
    CHECK(cause.reason == StopReason::error);
    CHECK(cause.device_lost);
    CHECK(sink.frames.size() == 10 * period);
  }
}

TEST_CASE("a sink that fails ends the run with its error, and stop() keeps that error") {
  test::MemorySink sink;
  sink.fail_after_frames = 5 * period;
  CaptureRig rig(options_with_limit(~0ull), sink);
  test::FakeStream stream(rig.producer(), period, 2ms);
  ScriptedControls controls;
  CaptureReport report;
  const StopCause cause = run(rig, stream, controls, report);
  CHECK(cause.reason == StopReason::error);
  CHECK_FALSE(cause.device_lost);
  CHECK(cause.error == "injected write failure");
  CHECK(report.stop_reason == StopReason::error);
  CHECK(report.error == "injected write failure");
  CHECK(sink.frames.size() <= 5 * period);
  check_counter(sink.frames, report.overrun_frames);
}

TEST_CASE("ring_capacity() is the capacity the rig's frame ring gets") {
  RigOptions o;
  o.rate = 44100;
  test::MemorySink sink;
  CHECK(CaptureRig::ring_capacity(o) == CaptureRig(o, sink).frames().capacity());
  o.ring_frames = 1000;
  CHECK(CaptureRig::ring_capacity(o) == 1024);
  CHECK(CaptureRig(o, sink).frames().capacity() == 1024);
}
