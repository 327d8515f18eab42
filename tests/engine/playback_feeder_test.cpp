// tests/engine/playback_feeder_test.cpp - the playback side of playthrough: priming, exact
// delay, silence for exactly the missing frames, skipping late frames, channel layouts.
#include "engine/playthrough/playback_feeder.hpp"

#include <doctest/doctest.h>

#include <vector>

using rc::PlaybackCounters;
using rc::PlaybackFeeder;
using rc::UnderrunEvent;

namespace {

struct Rig {
  ringbuf::FrameRing ring;
  ringbuf::SpscRing<UnderrunEvent> events{16};
  PlaybackCounters counters;
  PlaybackFeeder feeder;
  std::uint64_t next = 1; // frame j carries j, -j, 10 j, 100 j... (0 means silence)
  explicit Rig(std::uint64_t prime, bool grow_prime = false, std::size_t channels = 2)
      : ring(channels, 1024), feeder(ring, events, counters, prime, grow_prime) {}

  void push(std::size_t n) {
    std::vector<float> frame(ring.channels());
    for (std::size_t i = 0; i < n; ++i, ++next) {
      for (std::size_t c = 0; c < frame.size(); ++c)
        frame[c] = c == 0 ? float(next) : c == 1 ? -float(next) : float(next) * float(10 * c);
      REQUIRE(ring.push(frame.data(), 1) == 1);
    }
  }
  std::vector<float> play(std::uint32_t frames, int channels = 2) {
    std::vector<float> out(frames * static_cast<std::size_t>(channels), 99.0f);
    feeder.on_output(out.data(), frames, channels, 0);
    return out;
  }
};

std::vector<float> lefts(const std::vector<float>& stereo) {
  std::vector<float> l;
  for (std::size_t i = 0; i < stereo.size(); i += 2) l.push_back(stereo[i]);
  return l;
}

} // namespace

TEST_CASE("the first `prime` frames are silence, then frame p - prime plays at position p") {
  Rig rig(100);
  rig.push(64);
  const auto first = lefts(rig.play(64)); // all priming
  for (float v : first) CHECK(v == 0.0f);
  rig.push(64);
  const auto second = lefts(rig.play(64)); // positions 64..127: 36 priming, then frames 1..28
  for (int i = 0; i < 36; ++i) CHECK(second[i] == 0.0f);
  for (int i = 36; i < 64; ++i) CHECK(second[i] == float(i - 36 + 1));
  CHECK(rig.counters.underrun_events.load() == 0);
  CHECK(rig.counters.frames_played.load() == 128);
}

TEST_CASE("a prime the host's callbacks outgrow: raised to two of the first callback, once") {
  // The user chose no target and the host picks 256-frame callbacks, longer than the default
  // 100: each callback plays what the ones before it captured, so the prime becomes two
  // callbacks (one of slack for the worker).
  Rig rig(100, /*grow_prime=*/true);
  CHECK(rig.feeder.prime_frames() == 100);
  for (int cycle = 0; cycle < 6; ++cycle) {
    const auto out = lefts(rig.play(256)); // positions 256 * cycle ..
    for (int i = 0; i < 256; ++i) {
      const std::int64_t frame = 256 * (cycle - 2) + i + 1; // p - 512 + 1
      CHECK(out[i] == (frame >= 1 ? float(frame) : 0.0f));
    }
    rig.push(256); // this callback's input reaches the ring after its output was played
  }
  CHECK(rig.feeder.prime_frames() == 512);
  CHECK(rig.counters.underrun_events.load() == 0);
  // A later, longer callback does not move it again (the latency must stay put).
  rig.push(512);
  rig.play(512);
  CHECK(rig.feeder.prime_frames() == 512);

  // Without growth the same callbacks lack 156 frames every time.
  Rig fixed(100);
  for (int cycle = 0; cycle < 4; ++cycle) {
    fixed.play(256);
    fixed.push(256);
  }
  CHECK(fixed.counters.underrun_frames.load() >= 3 * 156);
}

TEST_CASE("a grown prime: two callbacks run back to back, the worker asleep, underrun nothing") {
  // The audio thread woke late and PortAudio catches up with two callbacks in a row: the worker
  // moved nothing in between. With two callbacks primed the second still finds its frames; one
  // callback's worth (the old rule) would have underrun all of it.
  Rig rig(100, /*grow_prime=*/true);
  for (int cycle = 0; cycle < 3; ++cycle) {
    rig.play(256);
    rig.push(256);
  }
  rig.play(256); // the late wake: this callback's input is not in the ring ...
  rig.play(256); // ... before the next callback's output is due
  rig.push(512);
  CHECK(rig.counters.underrun_events.load() == 0);
  const auto out = lefts(rig.play(256)); // position 1280 plays frame 1280 - 512 + 1
  CHECK(out[0] == 769.0f);
  CHECK(out[255] == 1024.0f);
}

TEST_CASE("a shortage plays silence for exactly the missing frames and skips them later") {
  Rig rig(64);
  rig.play(64); // priming
  rig.push(40); // 24 short of the next callback
  const auto short_block = lefts(rig.play(64));
  for (int i = 0; i < 40; ++i) CHECK(short_block[i] == float(i + 1));
  for (int i = 40; i < 64; ++i) CHECK(short_block[i] == 0.0f);
  CHECK(rig.counters.underrun_events.load() == 1);
  CHECK(rig.counters.underrun_frames.load() == 24);

  // The late frames 41..64 arrive with the next ones: they are skipped, so position 128 plays
  // frame 65 = 128 - 64 + 1 exactly as if nothing had happened.
  rig.push(24 + 64);
  const auto after = lefts(rig.play(64));
  for (int i = 0; i < 64; ++i) CHECK(after[i] == float(65 + i));
  CHECK(rig.counters.skipped_frames.load() == 24);
  CHECK(rig.counters.underrun_events.load() == 1);

  UnderrunEvent event;
  REQUIRE(rig.events.try_pop(event));
  CHECK(event.frame == 104);
  CHECK(event.frames == 24);
}

TEST_CASE("an underrun spanning callbacks is one event - the open one is visible at the end") {
  Rig rig(16);
  rig.play(16);
  rig.play(16); // nothing there
  rig.play(16); // still nothing
  CHECK(rig.counters.underrun_events.load() == 1);
  CHECK(rig.counters.underrun_frames.load() == 32);
  CHECK(rig.feeder.open_underrun().frame == 16);
  CHECK(rig.feeder.open_underrun().frames == 32);
  UnderrunEvent event;
  CHECK_FALSE(rig.events.try_pop(event)); // handed over only when it ends
}

TEST_CASE("stereo goes to the first two channels, the rest are silent - mono gets the mean") {
  Rig rig(0);
  rig.push(2);
  const auto four = rig.play(1, 4);
  CHECK(four == std::vector<float>{1.0f, -1.0f, 0.0f, 0.0f});
  const auto mono = rig.play(1, 1);
  CHECK(mono == std::vector<float>{0.0f}); // (2 + -2) / 2
}

TEST_CASE("a mono ring plays on the first two outputs, a wider ring on as many as there are") {
  Rig mono(0, false, 1);
  mono.push(1);
  CHECK(mono.play(1, 3) == std::vector<float>{1.0f, 1.0f, 0.0f});
  Rig wide(0, false, 3);
  wide.push(3);
  CHECK(wide.play(1, 2) == std::vector<float>{1.0f, -1.0f});
  CHECK(wide.play(1, 4) == std::vector<float>{2.0f, -2.0f, 40.0f, 0.0f});
  CHECK(wide.play(1, 1) == std::vector<float>{(3.0f - 3.0f + 60.0f) / 3.0f});
  Rig same(0, false, 3);
  same.push(1);
  CHECK(same.play(1, 3) == std::vector<float>{1.0f, -1.0f, 20.0f});
}

TEST_CASE("while the input is made up the output holds its place: silence, no underrun") {
  Rig rig(64);
  rig.play(64); // priming
  rig.push(64);
  rig.play(64); // frames 1..64
  // PortAudio made up the next input block (left out of the capture timeline): the output plays
  // silence for it and stays where it was, so nothing is owed and nothing is skipped later.
  std::vector<float> out(2 * 64, 99.0f);
  rig.feeder.on_made_up_input(out.data(), 64, 2, 0x4u /* paOutputUnderflow */);
  for (float v : out) CHECK(v == 0.0f);
  rig.push(64);
  const auto after = lefts(rig.play(64));
  for (int i = 0; i < 64; ++i) CHECK(after[i] == float(65 + i));
  CHECK(rig.counters.underrun_frames.load() == 0);
  CHECK(rig.counters.skipped_frames.load() == 0);
  CHECK(rig.counters.made_up_input_frames.load() == 64);
  CHECK(rig.counters.output_underflow_flags.load() == 1);
  CHECK(rig.counters.frames_played.load() == 192); // the output timeline the ring maps onto
}
