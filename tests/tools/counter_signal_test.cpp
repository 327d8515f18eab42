// Specification of the counter-signal checker the integration tests rely on: it must find every
// kind of damage, or the sample-exact tests could pass on a broken recorder.
#include "tests/tools/counter_signal.hpp"

#include <doctest/doctest.h>

#include <limits>
#include <vector>

using namespace rc::test;

namespace {
// `frames` frames of the counter from `first`, after `lead_in` silent frames.
std::vector<float> recording(std::uint64_t first, std::size_t frames, std::size_t lead_in = 0) {
  std::vector<float> out(2 * lead_in, 0.0f);
  for (std::size_t i = 0; i < frames; ++i) {
    out.push_back(counter_left(first + i));
    out.push_back(counter_marker);
  }
  return out;
}
} // namespace

TEST_CASE("the counter survives float round trips exactly") {
  for (std::uint64_t n :
       {0ull, 1ull, 8388607ull, 8388608ull, 16777215ull, 16777216ull, 123456789ull})
    CHECK(counter_value(counter_left(n)) == n % counter_period);
}

TEST_CASE("an intact recording with a lead-in has no errors") {
  const auto r = check_counter(recording(1000, 5000, 300));
  CHECK(r.lead_in == 300);
  CHECK(r.counter_frames == 5000);
  CHECK(r.errors == 0);
  CHECK(r.gaps.empty());
}

TEST_CASE("a silent gap of the dropped length keeps the timeline and is reported") {
  auto rec = recording(50, 1000);
  for (std::size_t i = 400; i < 500; ++i) rec[2 * i] = rec[2 * i + 1] = 0.0f;
  const auto r = check_counter(rec);
  CHECK(r.errors == 0);
  REQUIRE(r.gaps.size() == 1);
  CHECK(r.gaps[0].frame == 400);
  CHECK(r.gaps[0].frames == 100);
  CHECK(r.gaps[0].after == 50 + 399); // the counter of frame 399, the last before the gap
  CHECK(r.counter_frames == 900);
}

TEST_CASE("a dropped frame without silence is an error from that point on") {
  auto rec = recording(0, 1000);
  rec.erase(rec.begin() + 2 * 600, rec.begin() + 2 * 601);
  const auto r = check_counter(rec);
  CHECK(r.first_error == 600);
  CHECK(r.first_error_shift == 1);
  CHECK(r.errors == 399);
}

TEST_CASE("a repeated frame is an error") {
  auto rec = recording(0, 100);
  rec.insert(rec.begin() + 2 * 50, {rec[2 * 49], rec[2 * 49 + 1]});
  const auto r = check_counter(rec);
  CHECK(r.first_error == 50);
  CHECK(r.first_error_shift == -1);
}

TEST_CASE("trailing silence is reported apart from gaps") {
  auto rec = recording(0, 100);
  rec.resize(rec.size() + 2 * 30, 0.0f);
  const auto r = check_counter(rec);
  CHECK(r.tail_silence == 30);
  CHECK(r.gaps.empty());
  CHECK(r.errors == 0);
}

TEST_CASE("with resync a host jump is one jump and the rest checks out") {
  auto rec = recording(0, 1000);
  rec.erase(rec.begin() + 2 * 600, rec.begin() + 2 * 664); // 64 frames never delivered
  const auto r = check_counter(rec, /*resync=*/true);
  CHECK(r.errors == 0);
  REQUIRE(r.jumps.size() == 1);
  CHECK(r.jumps[0].frame == 600);
  CHECK(r.jumps[0].shift == 64);
  CHECK(r.jumps[0].after == 599);
  CHECK(r.counter_frames == 936);
}

TEST_CASE("two recordings of one source place the same glitch at the same counter value") {
  // Upstream of both recorders, the source missed 64 frames' worth: silence, then its counter
  // goes on where it stopped. Each recorder started at another point of the signal.
  auto source = recording(7000, 3000);
  source.insert(source.begin() + 2 * 1200, 2 * 64, 0.0f);
  const std::vector<float> early(source.begin() + 2 * 100, source.end());
  const std::vector<float> late(source.begin() + 2 * 900, source.end());
  const auto a = check_counter(early, /*resync=*/true);
  const auto b = check_counter(late, /*resync=*/true);
  REQUIRE(a.gaps.size() == 1);
  REQUIRE(b.gaps.size() == 1);
  REQUIRE(a.jumps.size() == 1);
  REQUIRE(b.jumps.size() == 1);
  CHECK(a.gaps[0].frame != b.gaps[0].frame);
  CHECK(a.gaps[0].after == 7000 + 1199);
  CHECK(b.gaps[0].after == a.gaps[0].after);
  CHECK(a.jumps[0].after == a.gaps[0].after);
  CHECK(b.jumps[0].shift == -64);
}

TEST_CASE("with resync, garbage is still an error") {
  auto rec = recording(0, 100);
  rec[2 * 40] = 0.123f;
  rec[2 * 40 + 1] = 0.9f; // not the marker: not a jump
  const auto r = check_counter(rec, /*resync=*/true);
  CHECK(r.errors == 1);
  CHECK(r.jumps.empty());
}

TEST_CASE("silence shorter than the frames dropped is an error after the gap") {
  auto rec = recording(0, 1000);
  rec.erase(rec.begin() + 2 * 300, rec.begin() + 2 * 400); // 100 frames dropped...
  rec.insert(rec.begin() + 2 * 300, 2 * 99, 0.0f);         // ...but only 99 of silence written
  const auto r = check_counter(rec);
  REQUIRE(r.gaps.size() == 1);
  CHECK(r.gaps[0].frames == 99);
  CHECK(r.first_error == 399);
  CHECK(r.first_error_shift == 1);
  CHECK(r.errors == 999 - 399);
}

TEST_CASE("NaN, infinite and out-of-range samples are errors") {
  auto rec = recording(0, 100);
  rec[2 * 10] = std::numeric_limits<float>::quiet_NaN();
  rec[2 * 20] = std::numeric_limits<float>::infinity();
  rec[2 * 30] = 1e30f;
  rec[2 * 40 + 1] = std::numeric_limits<float>::quiet_NaN(); // the marker damaged
  const auto r = check_counter(rec);
  CHECK(r.errors == 4);
  CHECK(r.first_error == 10);
  CHECK(r.counter_frames == 96);
}

namespace {
// `frames` frames of the multichannel counter from `first`, after `lead_in` silent frames.
std::vector<float> multi(std::uint64_t first, std::size_t frames, int channels,
                         std::size_t lead_in = 0) {
  std::vector<float> out(lead_in * std::size_t(channels), 0.0f);
  for (std::size_t i = 0; i < frames; ++i)
    for (int k = 0; k < channels; ++k) out.push_back(counter_sample(first + i, k));
  return out;
}
} // namespace

TEST_CASE("the multichannel counter: intact recordings of 1, 8 and 32 channels pass") {
  for (const int channels : {1, 8, 32}) {
    CAPTURE(channels);
    const auto r = check_counter_multi(multi(1000, 5000, channels, 300), channels);
    CHECK(r.frames == 5300);
    CHECK(r.lead_in == 300);
    CHECK(r.counter_frames == 5000);
    CHECK(r.first_counter == 1000);
    CHECK(r.errors == 0);
    CHECK(r.gaps.empty());
  }
  // Every channel differs from every other in every frame.
  CHECK(counter_sample(5, 0) != counter_sample(5, 1));
  CHECK(counter_sample(5, 1) == counter_left(5 + counter_channel_offset));
}

TEST_CASE("the multichannel counter: ports that connect one after another are the lead-in") {
  constexpr int channels = 3;
  auto r = multi(0, 1000, channels);
  // Channel 2 connected 256 frames after the others, channel 1 128 frames after channel 0.
  for (std::size_t i = 0; i < 256; ++i) r[i * channels + 2] = 0.0f;
  for (std::size_t i = 0; i < 128; ++i) r[i * channels + 1] = 0.0f;
  const auto check = check_counter_multi(r, channels);
  CHECK(check.lead_in == 256);
  CHECK(check.errors == 0);
  CHECK(check.counter_frames == 744);
  CHECK(check.first_counter == 256);
  // Before it, a channel that carries something else than silence or its counter is an error.
  auto wrong = r;
  wrong[100 * channels + 0] = 0.25f;
  CHECK(check_counter_multi(wrong, channels).errors == 1);
  CHECK(check_counter_multi(wrong, channels).first_error == 100);
  // After the first whole frame, a channel that falls silent is an error, not a lead-in.
  for (std::size_t i = 500; i < 510; ++i) r[i * channels + 1] = 0.0f;
  CHECK(check_counter_multi(r, channels).errors == 10);
}

TEST_CASE("the multichannel counter checks picked channels against their sources") {
  // A file of device channels 6, 2 and 6 again of an 8-channel counter.
  const auto all = multi(777, 2000, 8);
  std::vector<float> picked;
  for (std::size_t i = 0; i < 2000; ++i)
    for (const int k : {5, 1, 5}) picked.push_back(all[i * 8 + std::size_t(k)]);
  const std::vector<int> sources{5, 1, 5};
  auto r = check_counter_multi(picked, 3, sources);
  CHECK(r.errors == 0);
  CHECK(r.counter_frames == 2000);
  CHECK(r.first_counter == 777);
  const std::vector<int> wrong{5, 2, 5};
  r = check_counter_multi(picked, 3, wrong); // no frame is whole: every frame is an error
  CHECK(r.errors == 2000);
  CHECK(r.counter_frames == 0);
  CHECK(r.first_error == 0);
}

TEST_CASE("the multichannel counter finds swapped channels, a gap, a lost frame, one bad sample") {
  constexpr int channels = 4;
  const auto intact = multi(0, 1000, channels);

  auto swapped = intact;
  std::swap(swapped[500 * channels + 1], swapped[500 * channels + 2]);
  auto r = check_counter_multi(swapped, channels);
  CHECK(r.errors == 1);
  CHECK(r.first_error == 500);
  CHECK(r.first_error_channel == 1);

  auto gap = intact;
  std::fill(gap.begin() + 200 * channels, gap.begin() + 260 * channels, 0.0f);
  r = check_counter_multi(gap, channels);
  CHECK(r.errors == 0);
  REQUIRE(r.gaps.size() == 1);
  CHECK(r.gaps[0].frame == 200);
  CHECK(r.gaps[0].frames == 60);

  auto lost = intact; // frame 700 missing: everything after it is one frame early
  lost.erase(lost.begin() + 700 * channels, lost.begin() + 701 * channels);
  r = check_counter_multi(lost, channels);
  CHECK(r.errors == 299);
  CHECK(r.first_error == 700);

  auto one = intact;
  one[900 * channels + 3] = 0.0f; // one silent sample is not a gap
  r = check_counter_multi(one, channels);
  CHECK(r.errors == 1);
  CHECK(r.first_error_channel == 3);
}

TEST_CASE("the multichannel counter with resync: a host jump is one jump in every channel") {
  constexpr int channels = 8;
  // Frames 0..399, then (the host skipped 1024 frames) 1424..2023: a jump of +1024 at frame 400.
  auto r = multi(0, 400, channels);
  const auto after = multi(1424, 600, channels);
  r.insert(r.end(), after.begin(), after.end());
  auto check = check_counter_multi(r, channels, {}, true);
  CHECK(check.errors == 0);
  CHECK(check.counter_frames == 1000);
  REQUIRE(check.jumps.size() == 1);
  CHECK(check.jumps[0].frame == 400);
  CHECK(check.jumps[0].shift == 1024);
  CHECK(check.jumps[0].after == 399);
  // Without resync the same file is all errors after the jump.
  CHECK(check_counter_multi(r, channels).errors == 600);
  // A jump after a gap of silence: the gap is reported and the jump too.
  std::fill(r.begin() + 300 * channels, r.begin() + 400 * channels, 0.0f);
  check = check_counter_multi(r, channels, {}, true);
  CHECK(check.errors == 0);
  REQUIRE(check.gaps.size() == 1);
  CHECK(check.gaps[0].frame == 300);
  CHECK(check.gaps[0].frames == 100);
  REQUIRE(check.jumps.size() == 1);
  // A frame whose channels disagree (one channel from another frame) is still an error.
  r[700 * channels + 5] = counter_sample(3, 5);
  check = check_counter_multi(r, channels, {}, true);
  CHECK(check.errors == 1);
  CHECK(check.first_error == 700);
  CHECK(check.first_error_channel == 5);
  CHECK(check.jumps.size() == 1);
}

TEST_CASE("errors are listed as runs: a torn block after a gap is one run, placed after it") {
  constexpr int channels = 8;
  // Frames 0..299, 100 frames of silence, then a block of 64 frames whose channels come from two
  // cycles (channel 0 from 1024 frames later: a buffer refilled while it was read), then the rest.
  auto r = multi(0, 1000, channels);
  std::fill(r.begin() + 300 * channels, r.begin() + 400 * channels, 0.0f);
  for (std::size_t i = 400; i < 464; ++i) r[i * channels] = counter_sample(i + 1024, 0);
  r[900 * channels + 2] = 0.25f; // and one bad sample further on
  const auto check = check_counter_multi(r, channels, {}, true);
  CHECK(check.errors == 65);
  REQUIRE(check.error_runs.size() == 2);
  CHECK(check.error_runs[0].frame == 400);
  CHECK(check.error_runs[0].frames == 64);
  CHECK(check.error_runs[0].after == 299);
  CHECK(check.error_runs[1].frame == 900);
  CHECK(check.error_runs[1].frames == 1);
  REQUIRE(check.gaps.size() == 1);
  CHECK(check.gaps[0].frame + check.gaps[0].frames == check.error_runs[0].frame);
  // The stereo counter lists its runs the same way.
  auto stereo = recording(0, 200);
  for (std::size_t i = 50; i < 60; ++i) stereo[2 * i + 1] = 0.9f;
  const auto s = check_counter(stereo, true);
  REQUIRE(s.error_runs.size() == 1);
  CHECK(s.error_runs[0].frame == 50);
  CHECK(s.error_runs[0].frames == 10);
  CHECK(s.error_runs[0].after == 49);
}

TEST_CASE("the multichannel counter with silent channels: one channel alone carries it") {
  // Device channel 6 alone plays an 8-channel counter: the others must stay silent.
  constexpr int channels = 8;
  std::vector<float> r(std::size_t(channels) * 1000, 0.0f);
  for (std::size_t i = 100; i < 900; ++i) r[i * channels + 5] = counter_sample(5000 + i, 5);
  std::vector<int> sources(channels, silent_source);
  sources[5] = 5;
  auto check = check_counter_multi(r, channels, sources);
  CHECK(check.errors == 0);
  CHECK(check.lead_in == 100);
  CHECK(check.counter_frames == 800);
  CHECK(check.tail_silence == 100);
  CHECK(check.first_counter == 5100);
  // A sample in a channel that must be silent is an error, before and after the lead-in.
  auto leak = r;
  leak[50 * channels + 2] = 0.25f;
  leak[500 * channels + 7] = counter_sample(5500, 7);
  check = check_counter_multi(leak, channels, sources);
  CHECK(check.errors == 2);
  CHECK(check.first_error == 50);
  CHECK(check.first_error_channel == 2);
  // The counter in another channel than the one expected: no frame is whole.
  std::vector<int> other(channels, silent_source);
  other[4] = 5;
  check = check_counter_multi(r, channels, other);
  CHECK(check.counter_frames == 0);
  CHECK(check.errors == 800);
  // Every channel silent, all silent: nothing counted, nothing wrong; a sample is an error.
  const std::vector<int> none(channels, silent_source);
  CHECK(check_counter_multi(std::vector<float>(80, 0.0f), channels, none).errors == 0);
  CHECK(check_counter_multi(r, channels, none).errors == 800);
}

TEST_CASE("the multichannel counter: a torn block is told from damaged samples") {
  constexpr int channels = 8;
  // Frames 2000-2255 with channels 4-7 from 256 frames earlier (the cycle before): torn.
  auto r = multi(1000, 4000, channels);
  for (std::size_t i = 2000; i < 2256; ++i)
    for (int k = 4; k < channels; ++k)
      r[i * channels + std::size_t(k)] = counter_sample(1000 + i - 256, k);
  // Frames 3000-3009: one channel damaged (not a counter value of any frame for it).
  for (std::size_t i = 3000; i < 3010; ++i) r[i * channels + 2] += 1e-3f;
  const auto check = check_counter_multi(r, channels, {}, /*resync=*/true);
  REQUIRE(check.error_runs.size() == 2);
  REQUIRE(check.torn_runs.size() == 2);
  CHECK(check.error_runs[0].frame == 2000);
  CHECK(check.error_runs[0].frames == 256);
  CHECK(check.torn_runs[0]);
  CHECK(check.error_runs[1].frame == 3000);
  CHECK_FALSE(check.torn_runs[1]);
  // Three cycles in one frame is not a tear of two.
  auto three = multi(1000, 100, channels);
  three[50 * channels + 1] = counter_sample(1050 - 256, 1);
  three[50 * channels + 5] = counter_sample(1050 - 512, 5);
  const auto t = check_counter_multi(three, channels);
  REQUIRE(t.torn_runs.size() == 1);
  CHECK_FALSE(t.torn_runs[0]);
}
