// The capture data path without a device: CaptureProducer (as the callback would call it) and
// CaptureConsumer (as the worker would), checking exact overrun bookkeeping and the timeline.
#include "engine/capture/capture_consumer.hpp"
#include "engine/capture/capture_producer.hpp"
#include "tests/engine/capture_rig.hpp"
#include "tests/engine/counter_block.hpp"
#include "tests/engine/memory_sink.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace rc;

namespace {

using test::counter_block;

struct Rig : test::SinkRig {
  std::uint64_t position = 0;

  Rig(std::size_t ring_frames, std::size_t header_slots, std::uint64_t limit = ~0ull)
      : SinkRig(test::rig_options(ring_frames, header_slots, limit)) {}

  bool callback(std::uint32_t n) {
    const auto input = counter_block(position, n);
    position += n;
    return producer.on_input(input.data(), n, 0, 0);
  }
};

// Every frame in the sink is either the counter at its own position or silence.
void check_timeline(const test::RecordedFrames& frames, std::uint64_t expected_silence) {
  std::uint64_t silence = 0, wrong = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    if (frames[i].left == 0.0f && frames[i].right == 0.0f)
      ++silence;
    else if (frames[i].left != float(i + 1) || frames[i].right != 0.5f)
      ++wrong;
  }
  CHECK(wrong == 0);
  CHECK(silence == expected_silence);
}

} // namespace

TEST_CASE("frames that fit travel in order with one header per callback") {
  Rig rig(1024, 64);
  for (int i = 0; i < 3; ++i) rig.callback(256);
  CHECK(rig.headers.size() == 3);
  CHECK(rig.consumer.drain());
  CHECK(rig.sink.frames.size() == 768);
  check_timeline(rig.sink.frames, 0);
  CHECK(rig.counters.callbacks == 3);
  CHECK(rig.counters.frames_captured == 768);
  CHECK(rig.counters.overrun_events == 0);
  CHECK(rig.counters.ring_fill_max == 768);
  CHECK(rig.consumer.overruns().empty());
  CHECK(rig.consumer.frames_written() == 768);
}

TEST_CASE("a full frame ring drops exactly the frames that do not fit and keeps the timeline") {
  Rig rig(512, 64);
  rig.callback(256);
  rig.callback(200);
  rig.callback(256); // 56 fit, 200 dropped
  rig.callback(256); // all 256 dropped: the same overrun event continues
  CHECK(rig.counters.overrun_events == 1);
  CHECK(rig.counters.overrun_frames == 456);
  CHECK(rig.consumer.drain());
  rig.callback(100); // fits again; its header carries the 256-frame gap
  CHECK(rig.consumer.drain());
  CHECK(rig.consumer.finish(rig.producer.unreported_gap()));

  REQUIRE(rig.consumer.overruns().size() == 1);
  CHECK(rig.consumer.overruns()[0].frame == 512);
  CHECK(rig.consumer.overruns()[0].frames == 456);
  CHECK(rig.sink.frames.size() == 1068);
  check_timeline(rig.sink.frames, 456);
}

TEST_CASE("separate drop runs are separate events at their own positions") {
  Rig rig(256, 64);
  rig.callback(300); // 256 fit, 44 dropped at 256
  CHECK(rig.consumer.drain());
  rig.callback(100); // fits
  rig.callback(200); // 156 fit, 44 dropped at 556
  CHECK(rig.consumer.drain());
  CHECK(rig.consumer.finish(rig.producer.unreported_gap()));
  CHECK(rig.counters.overrun_events == 2);
  REQUIRE(rig.consumer.overruns().size() == 2);
  CHECK(rig.consumer.overruns()[0].frame == 256);
  CHECK(rig.consumer.overruns()[0].frames == 44);
  CHECK(rig.consumer.overruns()[1].frame == 556);
  CHECK(rig.consumer.overruns()[1].frames == 44);
  CHECK(rig.sink.frames.size() == 600);
  check_timeline(rig.sink.frames, 88);
}

TEST_CASE("a full header ring drops whole blocks and the next header carries the gap") {
  Rig rig(4096, 2);
  rig.callback(10);
  rig.callback(10);
  rig.callback(10); // no header slot: all 10 dropped
  CHECK(rig.counters.overrun_frames == 10);
  CHECK(rig.consumer.drain());
  rig.callback(10);
  CHECK(rig.consumer.drain());
  REQUIRE(rig.consumer.overruns().size() == 1);
  CHECK(rig.consumer.overruns()[0].frame == 20);
  CHECK(rig.consumer.overruns()[0].frames == 10);
  check_timeline(rig.sink.frames, 10);
}

TEST_CASE("drops at the very end are written as trailing silence by finish()") {
  Rig rig(256, 64);
  rig.callback(256);
  rig.callback(64); // all dropped, no later header
  CHECK(rig.producer.unreported_gap() == 64);
  CHECK(rig.consumer.finish(rig.producer.unreported_gap()));
  CHECK(rig.sink.frames.size() == 320);
  check_timeline(rig.sink.frames, 64);
  REQUIRE(rig.consumer.overruns().size() == 1);
  CHECK(rig.consumer.overruns()[0].frame == 256);
}

TEST_CASE("the frame limit stops exactly at the requested length") {
  Rig rig(4096, 64, 600);
  CHECK_FALSE(rig.callback(256));
  CHECK_FALSE(rig.callback(256));
  CHECK(rig.callback(256)); // only 88 of these are taken
  CHECK(rig.counters.frames_captured == 600);
  CHECK(rig.consumer.finish(0));
  CHECK(rig.sink.frames.size() == 600);
  check_timeline(rig.sink.frames, 0);
}

TEST_CASE("a write failure stops the consumer and is reported") {
  Rig rig(4096, 64);
  rig.sink.fail_after_frames = 300;
  rig.callback(256);
  rig.callback(256);
  CHECK_FALSE(rig.consumer.drain());
  CHECK_FALSE(rig.consumer.drain()); // stays failed
  CHECK(rig.sink.frames.size() == 256);
}

TEST_CASE("input overflow flags are counted") {
  Rig rig(4096, 64);
  const auto input = counter_block(0, 16);
  rig.producer.on_input(input.data(), 16, 0x2u /* paInputOverflow */, 0);
  rig.producer.on_input(input.data(), 16, 0, 0);
  CHECK(rig.counters.input_overflow_flags == 1);
  BlockHeader h;
  REQUIRE(rig.headers.try_pop(h));
  CHECK(h.status_flags == 0x2u);
  CHECK(h.sequence == 0);
  REQUIRE(rig.headers.try_pop(h));
  CHECK(h.sequence == 1);
  CHECK(h.first_frame == 16);
}

static_assert(noexcept(std::declval<CaptureProducer&>().on_input(nullptr, 0, 0, 0)),
              "the callback path must be noexcept");

TEST_CASE("a block of zeros PortAudio made up for want of input stays out of the timeline") {
  // The host's own callback size: a block flagged paInputUnderflow is all made-up zeros (seen
  // through PipeWire in duplex, 1024 of them while the capture clock stood still). In the file
  // they would be silence the device never recorded, and every frame after them would sit that
  // many frames late.
  RigOptions made_up = test::rig_options(4096, 64);
  made_up.underflow = InputUnderflow::made_up;
  test::SinkRig rig(made_up);
  const auto first = counter_block(0, 256);
  const std::vector<float> zeros(2 * 256);
  const auto second = counter_block(256, 256);
  rig.producer.on_input(first.data(), 256, 0, 0);
  rig.producer.on_input(zeros.data(), 256, 0x1u | 0x2u /* paInputUnderflow, paInputOverflow */, 0);
  rig.producer.on_input(second.data(), 256, 0, 0);
  CHECK(rig.consumer.drain());
  check_timeline(rig.sink.frames, 0);
  CHECK(rig.sink.frames.size() == 512);
  CHECK(rig.counters.frames_captured == 512);
  CHECK(rig.counters.input_underflow_flags == 1);
  CHECK(rig.counters.host_inserted_frames == 256);
  CHECK(rig.counters.input_overflow_flags == 1); // counted although the block is left out

  // With a fixed period PortAudio may join real frames and zeros in one block: kept, counted.
  test::SinkRig fixed(test::rig_options(4096, 64));
  fixed.producer.on_input(first.data(), 256, 0x1u, 0);
  CHECK(fixed.consumer.drain());
  CHECK(fixed.sink.frames.size() == 256);
  CHECK(fixed.counters.input_underflow_flags == 1);
  CHECK(fixed.counters.host_inserted_frames == 0);
}

TEST_CASE("frames of 1, 3, 8 and 32 channels keep every channel, and a drop is silent in all") {
  for (const int channels : {1, 3, 8, 32}) {
    CAPTURE(channels);
    RigOptions options = test::rig_options(512, 64);
    options.device_channels = channels;
    options.map = ChannelMap::first(channels);
    test::SinkRig rig(options);
    std::uint64_t position = 0;
    auto callback = [&](std::uint32_t n) {
      const auto input = test::counter_block(position, n, channels);
      position += n;
      rig.producer.on_input(input.data(), n, 0, 0);
    };
    callback(256);
    callback(200);
    callback(256); // 56 fit, 200 dropped
    CHECK(rig.consumer.drain());
    callback(100);
    CHECK(rig.consumer.drain());
    CHECK(rig.consumer.finish(rig.producer.unreported_gap()));

    const test::RecordedFrames& out = rig.sink.frames;
    REQUIRE(out.channels == channels);
    REQUIRE(out.size() == 812);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < out.size(); ++i)
      for (int c = 0; c < channels; ++c) {
        const bool dropped = i >= 512 && i < 712;
        if (out.at(i, c) != (dropped ? 0.0f : test::counter_sample(i, c))) ++wrong;
      }
    CHECK(wrong == 0);
    CHECK(rig.counters.overrun_frames == 200);
  }
}

TEST_CASE("a map picks device channels in any order and any number") {
  RigOptions options = test::rig_options(1024, 64);
  options.device_channels = 8;
  options.map.count = 3;
  options.map.source = {6, 1, 6};
  test::SinkRig rig(options);
  const auto input = test::counter_block(0, 300, 8);
  rig.producer.on_input(input.data(), 300, 0, 0);
  CHECK(rig.consumer.drain());
  const test::RecordedFrames& out = rig.sink.frames;
  REQUIRE(out.channels == 3);
  REQUIRE(out.size() == 300);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    wrong += out.at(i, 0) != test::counter_sample(i, 6);
    wrong += out.at(i, 1) != test::counter_sample(i, 1);
    wrong += out.at(i, 2) != test::counter_sample(i, 6);
  }
  CHECK(wrong == 0);
}
