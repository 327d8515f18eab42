// Host gaps: HostGapDetector's arithmetic on synthetic device clocks (JACK's frame counter and
// time stamps in seconds, with jitter, drift, wrap and steps), and the capture path writing each
// gap as silence of exactly its length at exactly its place.
#include "engine/capture/capture_consumer.hpp"
#include "engine/capture/capture_producer.hpp"
#include "engine/core/host_gap_detector.hpp"
#include "engine/playthrough/playback_feeder.hpp"
#include "tests/engine/capture_rig.hpp"
#include "tests/engine/counter_block.hpp"
#include "tests/engine/memory_sink.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <random>
#include <vector>

using namespace rc;

namespace {

constexpr int rate = 48000;
constexpr std::uint32_t period = 256;
constexpr std::int64_t period_ns = std::int64_t{period} * 1'000'000'000 / rate;

// Pushes one stereo frame {left, 0} into a playback ring.
void push_frame(ringbuf::FrameRing& ring, float left) {
  const float frame[2] = {left, 0.0f};
  (void)ring.push(frame, 1);
}

// A JACK host: cycle c starts at device frame c * period and at c * period_ns; the server's frame
// counter reads the cycle's first frame (plus `clock_delay`: a counter read one period ahead by
// a client late on an asynchronous server, or sub-period noise). Cycles left out never reach us.
struct JackHost {
  HostGapDetector detector{DeviceClockRule::jack(period), rate};
  std::uint64_t timeline = 0;
  std::uint64_t gap_frames = 0;
  std::uint64_t gap_events = 0;
  std::vector<std::uint64_t> gaps_at;

  void cycle(std::uint64_t c, double clock_delay = 0, std::uint64_t clock_origin = 0) {
    const double clock = double(clock_origin + c * period) + clock_delay;
    const HostGapVerdict v = detector.observe(std::fmod(clock, 4294967296.0),
                                              std::int64_t(c) * period_ns, timeline, period);
    CHECK_FALSE(v.clock_step);
    if (v.gap > 0) {
      gaps_at.push_back(timeline);
      timeline += v.gap;
      gap_frames += v.gap;
      ++gap_events;
    }
    timeline += period;
  }
};

} // namespace

TEST_CASE("host gap: a JACK clock with no skip finds nothing, with noise under half a period") {
  JackHost host;
  std::mt19937 random(7);
  std::uniform_real_distribution<double> delay(0.0, period / 2.0 - 1.0);
  for (std::uint64_t c = 0; c < 20000; ++c) host.cycle(c, c == 0 ? 0.0 : delay(random));
  CHECK(host.gap_events == 0);
  CHECK(host.timeline == 20000 * period);
}

TEST_CASE("host gap: skipped JACK cycles are found exactly, where they were") {
  JackHost host;
  std::uint64_t c = 0;
  for (; c < 100; ++c) host.cycle(c, 10);
  c += 58; // a 0.3 s pause: 58 cycles never called us
  for (; c < 400; ++c) host.cycle(c, 30);
  c += 3;
  for (; c < 500; ++c) host.cycle(c, 0);
  CHECK(host.gap_events == 2);
  CHECK(host.gap_frames == 61 * period);
  REQUIRE(host.gaps_at.size() == 2);
  CHECK(host.gaps_at[0] == 100 * period);
  CHECK(host.gaps_at[1] == 400 * period);
  CHECK(host.timeline == 500 * period); // the file's length is the device's timeline
}

TEST_CASE(
    "host gap: a late first reading does not hide later gaps (the reference is the minimum)") {
  JackHost host;
  host.cycle(0, 200); // the first callback read its clock late
  for (std::uint64_t c = 1; c < 50; ++c) host.cycle(c, 5);
  for (std::uint64_t c = 52; c < 60; ++c) host.cycle(c, 5); // two cycles skipped
  CHECK(host.gap_frames == 2 * period);
  CHECK(host.timeline == 60 * period);
}

TEST_CASE("host gap: one period ahead for one callback is a late client, not a gap") {
  JackHost host;
  for (std::uint64_t c = 0; c < 10; ++c) host.cycle(c);
  host.cycle(10, period + 20); // the server's counter already moved on: one period ahead
  for (std::uint64_t c = 11; c < 20; ++c) host.cycle(c);
  CHECK(host.gap_events == 0);
  CHECK(host.timeline == 20 * period);
}

TEST_CASE("host gap: a lead of one period that stays is the server's ambiguity, not a gap") {
  // On an asynchronous server a late client may be handed the audio one period behind the
  // server's counter from then on: the reference moves, nothing is filled...
  JackHost host;
  for (std::uint64_t c = 0; c < 10; ++c) host.cycle(c);
  for (std::uint64_t c = 10; c < 20; ++c) host.cycle(c, period);
  CHECK(host.gap_events == 0);
  // ...and a real skip after it is measured from the new reference, exactly.
  for (std::uint64_t c = 25; c < 30; ++c) host.cycle(c, period);
  CHECK(host.gap_frames == 5 * period);
  // Back on time: the reference follows down, still no gap.
  for (std::uint64_t c = 30; c < 40; ++c) host.cycle(c);
  CHECK(host.gap_events == 1);
}

TEST_CASE("host gap: JACK's 32-bit frame counter wrapping is not a gap") {
  JackHost host;
  const std::uint64_t origin = (std::uint64_t{1} << 32) - 10 * period; // wraps after 10 cycles
  for (std::uint64_t c = 0; c < 30; ++c) host.cycle(c, 0, origin);
  for (std::uint64_t c = 33; c < 40; ++c) host.cycle(c, 0, origin); // and a gap after the wrap
  CHECK(host.gap_frames == 3 * period);
  CHECK(host.timeline == 40 * period);
}

TEST_CASE("host gap: time stamps with jitter and drift find gaps to the frame, and only them") {
  HostGapDetector detector(DeviceClockRule::timestamps(rate), rate);
  std::mt19937 random(3);
  std::normal_distribution<double> jitter(0.0, 20e-6); // 20 us of time stamp noise
  const double drift = 1.0 + 200e-6; // the device runs 200 ppm slow against the system clock
  std::uint64_t timeline = 0, device = 0, gaps = 0, gap_frames = 0;
  const std::uint32_t frames = 480;
  for (int i = 0; i < 60000; ++i) { // 10 minutes of 10 ms callbacks
    if (i == 20000) device += 1234; // an ALSA overrun: 1234 frames lost
    if (i == 30000) device += 200;  // under half a callback: below the threshold, absorbed
    if (i == 40000) device += 300;  // over half a callback: counted to the frame
    const double seconds = double(device) / rate * drift + jitter(random);
    const auto now = std::int64_t(double(device) / rate * drift * 1e9);
    const HostGapVerdict v = detector.observe(seconds * rate, now, timeline, frames);
    CHECK_FALSE(v.clock_step);
    if (v.gap > 0) ++gaps, gap_frames += v.gap, timeline += v.gap;
    timeline += frames;
    device += frames;
  }
  // The documented precision: each gap within 2 frames (20 us of noise, 200 ppm of drift); gaps
  // under the threshold are not counted.
  CHECK(gaps == 2);
  CHECK(std::llabs(std::int64_t(gap_frames) - (1234 + 300)) <= 4);
  CHECK(std::llabs(std::int64_t(timeline + 200) - std::int64_t(device)) <= 4);
}

TEST_CASE("host gap: a clock that steps by minutes is a clock problem, not minutes of silence") {
  HostGapDetector detector(DeviceClockRule::timestamps(rate), rate);
  std::uint64_t timeline = 0;
  int steps = 0;
  std::uint64_t gaps = 0;
  for (int i = 0; i < 100; ++i) {
    double seconds = double(timeline) / rate;
    if (i >= 50) seconds += 180.0; // the time stamps jump 3 minutes; real time does not
    const auto now = std::int64_t(double(timeline) / rate * 1e9);
    const HostGapVerdict v = detector.observe(seconds * rate, now, timeline, 480);
    steps += v.clock_step;
    gaps += v.gap;
    timeline += 480;
  }
  CHECK(steps == 1);
  CHECK(gaps == 0);
  // And back: a step backwards is reported too.
  const HostGapVerdict back = detector.observe(0.0, std::int64_t(timeline) * 20833, timeline, 480);
  CHECK(back.clock_step);
}

TEST_CASE("host gap: a gap longer than the time that passed is a clock step") {
  HostGapDetector detector(DeviceClockRule::jack(period), rate);
  CHECK(detector.observe(0, 0, 0, period).gap == 0);
  CHECK(detector.observe(period, period_ns, period, period).gap == 0);
  // 100 periods ahead after one period of real time.
  const HostGapVerdict v = detector.observe(102.0 * period, 2 * period_ns, 2 * period, period);
  CHECK(v.clock_step);
  CHECK(v.gap == 0);
}

TEST_CASE("host gap: no clock (NaN) means nothing is measured") {
  HostGapDetector detector(DeviceClockRule::jack(period), rate);
  for (int i = 0; i < 10; ++i)
    CHECK(detector.observe(no_device_clock, i * period_ns, std::uint64_t(i) * period, period).gap ==
          0);
}

namespace {

// A capture rig on a JACK host at `period` frames.
RigOptions jack_rig_options(std::size_t ring_frames, std::uint64_t limit,
                            std::size_t header_slots) {
  RigOptions o = test::rig_options(ring_frames, header_slots, limit);
  o.clock_rule = DeviceClockRule::jack(period);
  o.rate = rate;
  return o;
}

struct GapRig : test::SinkRig {
  GapRig(std::size_t ring_frames, std::uint64_t limit = ~0ull, std::size_t header_slots = 64)
      : SinkRig(jack_rig_options(ring_frames, limit, header_slots)) {}

  // The host runs device cycle c and calls us with it.
  bool cycle(std::uint64_t c) {
    const auto input = test::counter_block(c * period, period);
    return producer.on_input(input.data(), period, 0, std::int64_t(c) * period_ns,
                             double(c * period));
  }
};

} // namespace

TEST_CASE("host gap: the capture path writes each gap as silence, every frame at its place") {
  GapRig rig(4096);
  std::uint64_t c = 0;
  for (; c < 10; ++c) rig.cycle(c);
  CHECK(rig.consumer.drain());
  for (; c < 20; ++c) rig.cycle(c);
  c += 5; // skipped
  for (; c < 30; ++c) rig.cycle(c);
  CHECK(rig.consumer.drain());
  for (; c < 32; ++c) rig.cycle(c);
  c += 40; // skipped again, while 2 blocks sat in the ring
  for (; c < 80; ++c) {
    rig.cycle(c);
    CHECK(rig.consumer.drain());
  }
  CHECK(rig.consumer.finish(rig.producer.unreported_gap()));

  const auto& out = rig.sink.frames;
  REQUIRE(out.size() == 80 * period);
  std::uint64_t silent = 0, misplaced = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].left == 0.0f)
      ++silent;
    else if (out[i].left != float(i + 1))
      ++misplaced;
  }
  CHECK(misplaced == 0);
  CHECK(silent == 45 * period);
  CHECK(rig.counters.host_gap_events.load() == 2);
  CHECK(rig.counters.host_gap_frames.load() == 45 * period);
  CHECK(rig.counters.overrun_frames.load() == 0);
  CHECK(rig.counters.frames_captured.load() == 80 * period);
  REQUIRE(rig.consumer.host_gaps().size() == 2);
  CHECK(rig.consumer.host_gaps()[0].frame == 20 * period);
  CHECK(rig.consumer.host_gaps()[0].frames == 5 * period);
  CHECK(rig.consumer.host_gaps()[1].frame == 32 * period);
  CHECK(rig.consumer.host_gaps()[1].frames == 40 * period);
  CHECK(rig.consumer.overruns().empty());
  int listed = 0;
  for (const XrunRecord& x : rig.consumer.timing().xruns())
    if (x.kind == XrunKind::host_gap) ++listed;
  CHECK(listed == 2);
}

TEST_CASE("host gap: a drop of ours and a host gap in a row keep both, in order") {
  GapRig rig(4 * period); // room for four blocks
  std::uint64_t c = 0;
  for (; c < 5; ++c) rig.cycle(c); // the fifth does not fit: dropped by us
  c += 2;                          // then the host skips two cycles
  CHECK(rig.consumer.drain());
  for (; c < 10; ++c) rig.cycle(c);
  CHECK(rig.consumer.finish(rig.producer.unreported_gap()));
  const auto& out = rig.sink.frames;
  REQUIRE(out.size() == 10 * period);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const bool gap = i >= 4 * period && i < 7 * period;
    if (gap)
      REQUIRE(out[i].left == 0.0f);
    else
      REQUIRE(out[i].left == float(i + 1));
  }
  REQUIRE(rig.consumer.overruns().size() == 1);
  CHECK(rig.consumer.overruns()[0].frame == 4 * period);
  CHECK(rig.consumer.overruns()[0].frames == period);
  REQUIRE(rig.consumer.host_gaps().size() == 1);
  CHECK(rig.consumer.host_gaps()[0].frame == 5 * period);
  CHECK(rig.consumer.host_gaps()[0].frames == 2 * period);
}

TEST_CASE("host gap: --duration counts the device's timeline, gaps included, to the frame") {
  const std::uint64_t limit = 10 * period + 100;
  GapRig rig(8192, limit);
  bool done = false;
  std::uint64_t c = 0;
  for (; c < 4 && !done; ++c) done = rig.cycle(c);
  c += 5;
  for (; c < 40 && !done; ++c) done = rig.cycle(c);
  CHECK(done);
  CHECK(rig.consumer.finish(rig.producer.unreported_gap()));
  CHECK(rig.sink.frames.size() == limit);
  CHECK(rig.counters.frames_captured.load() == limit);

  // A gap reaching past the limit is cut at it.
  GapRig cut(8192, 3 * period);
  CHECK_FALSE(cut.cycle(0));
  CHECK(cut.cycle(9));
  CHECK(cut.consumer.finish(cut.producer.unreported_gap()));
  CHECK(cut.sink.frames.size() == 3 * period);
  CHECK(cut.counters.host_gap_frames.load() == 2 * period);
}

TEST_CASE("host gap: playthrough's output skips the frames due during the gap, no underrun") {
  ringbuf::FrameRing ring(2, 8192);
  ringbuf::SpscRing<UnderrunEvent> events(16);
  PlaybackCounters counters;
  PlaybackFeeder feeder(ring, events, counters, period);
  std::vector<float> out(2 * period);
  // The ring path: output position p plays ring frame p - prime. Ring frame f holds f + 1, or 0
  // where the worker wrote a gap's silence. In each duplex callback the input reaches the ring
  // (through the worker) only after the output was played, as in a real run.
  std::uint64_t pushed = 0;
  auto push = [&](std::uint64_t n, bool silent) {
    for (std::uint64_t i = 0; i < n; ++i, ++pushed)
      push_frame(ring, silent ? 0.0f : float(pushed + 1));
  };
  feeder.on_output(out.data(), period, 2, 0); // cycle 0: priming
  push(period, false);
  feeder.on_output(out.data(), period, 2, 0); // cycle 1 plays ring frames [0, period)
  CHECK(out[0] == 1.0f);
  push(period, false);
  // The host skips 10 cycles; the callback after them finds the gap and plays first...
  feeder.skip_host_gap(10 * period);
  feeder.on_output(out.data(), period, 2, 0);
  CHECK(out[0] == 0.0f);   // output position 12 periods: ring frame 11 periods, the gap's silence
  push(10 * period, true); // ...then the worker writes the gap's silence and the block
  push(period, false);
  feeder.on_output(out.data(), period, 2, 0);
  CHECK(out[0] == float(12 * period + 1)); // the latency is still exactly one period
  push(period, false);
  feeder.on_output(out.data(), period, 2, 0);
  CHECK(out[0] == float(13 * period + 1));
  CHECK(counters.underrun_events.load() == 0);
  CHECK(counters.underrun_frames.load() == 0);
  CHECK(counters.skipped_frames.load() == 0);
  CHECK(counters.frames_played.load() == 15 * period);
}

TEST_CASE("host gap: a gap while the output is still priming keeps the latency") {
  ringbuf::FrameRing ring(2, 8192);
  ringbuf::SpscRing<UnderrunEvent> events(16);
  PlaybackCounters counters;
  const std::uint64_t prime = 3 * period;
  PlaybackFeeder feeder(ring, events, counters, prime);
  std::vector<float> out(2 * period);
  feeder.on_output(out.data(), period, 2, 0); // position 0..period: priming
  push_frame(ring, 1.0f);
  feeder.skip_host_gap(4 * period); // position 5 periods: ring frames [0, 2 periods) are due
  for (std::uint64_t i = 1; i < 7 * period; ++i) push_frame(ring, float(i + 1));
  feeder.on_output(out.data(), period, 2, 0);
  CHECK(out[0] == float(2 * period + 1)); // position 5 periods plays ring frame 2 periods
  CHECK(counters.underrun_events.load() == 0);
}

TEST_CASE("host gap: callbacks shorter than the server's period read one cycle, in order") {
  // -p 64 on a server at 256: PortAudio calls four times per cycle, each reading the same
  // cycle counter. A skipped cycle is still exactly one period... of two, here.
  HostGapDetector detector(DeviceClockRule::jack(period), rate);
  std::uint64_t timeline = 0, gaps = 0;
  auto cycle = [&](std::uint64_t c) {
    for (int part = 0; part < 4; ++part) {
      const HostGapVerdict v =
          detector.observe(double(c * period), std::int64_t(c) * period_ns, timeline, period / 4);
      timeline += v.gap + period / 4;
      gaps += v.gap;
    }
  };
  for (std::uint64_t c = 0; c < 20; ++c) cycle(c);
  CHECK(gaps == 0);
  for (std::uint64_t c = 22; c < 40; ++c) cycle(c);
  CHECK(gaps == 2 * period);
  CHECK(timeline == 40 * period);
}

TEST_CASE("host gap: a one-period lead that stays is reported as uncertain, not filled") {
  HostGapDetector detector(DeviceClockRule::jack(period), rate);
  std::uint64_t timeline = 0, uncertain = 0, gaps = 0;
  for (std::uint64_t c = 0; c < 40; ++c) {
    if (c == 10) continue; // one cycle skipped (or a late client: the counter cannot tell)
    const HostGapVerdict v =
        detector.observe(double(c * period), std::int64_t(c) * period_ns, timeline, period);
    uncertain += v.uncertain;
    gaps += v.gap;
    timeline += v.gap + period;
  }
  CHECK(gaps == 0);
  CHECK(uncertain == period);
}

TEST_CASE("host gap: a gap at the very end, with the header ring full, is still written") {
  GapRig rig(8192, 8 * period, 2);
  CHECK_FALSE(rig.cycle(0));
  CHECK_FALSE(rig.cycle(1)); // the header ring (2 slots) is now full
  CHECK(rig.cycle(9));       // 7 cycles skipped, cut at the limit: the block is dropped, no header
  CHECK(rig.finish());
  CHECK(rig.sink.frames.size() == 8 * period);
  CHECK(rig.counters.host_gap_frames.load() == 6 * period);
  CHECK(rig.consumer.frames_written() == rig.counters.frames_captured.load());
}

TEST_CASE("host gap: the tap's observer sees the gap as silence at its place, like a drop") {
  struct Seen : BlockObserver {
    std::uint64_t frames = 0, silence = 0, silence_at = 0;
    void on_frames(std::uint64_t first, ConstFrames f) noexcept override {
      CHECK(first == frames + silence);
      frames += f.frames;
    }
    void on_silence(std::uint64_t first, std::uint64_t n) noexcept override {
      silence_at = first;
      silence += n;
    }
  } seen;
  GapRig rig(4096);
  rig.consumer.set_observer(&seen);
  for (std::uint64_t c = 0; c < 5; ++c) rig.cycle(c);
  for (std::uint64_t c = 12; c < 15; ++c) rig.cycle(c);
  CHECK(rig.consumer.finish(rig.producer.unreported_gap()));
  CHECK(seen.frames == 8 * period);
  CHECK(seen.silence == 7 * period);
  CHECK(seen.silence_at == 5 * period);
}
