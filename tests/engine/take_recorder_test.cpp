// Specification of TakeRecorder: triggered takes with pre-roll. Each take's file starts exactly
// pre-roll frames before its trigger (never before the end of the previous take), continues with
// the live frames without a seam, and ends at the next toggle or after exactly `hold` quiet
// frames; level triggers fire at the first loud frame, block boundaries notwithstanding.
#include "engine/capture/take_recorder.hpp"
#include "engine/files/sound_file_reader.hpp"

#include "tests/engine/stereo_frames.hpp"
#include "tests/engine/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <vector>

using namespace rc;

namespace {

using test::Interleaved;
using test::StereoFrame;
using test::TempDir;

OutputFormat float_wav() {
  std::string error;
  const auto format = output_format_for("x.wav", "float", error);
  REQUIRE(format);
  return *format;
}

/// Returns: the frames of a stereo file.
std::vector<StereoFrame> read_frames(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  REQUIRE(f != nullptr);
  REQUIRE(info.channels == 2);
  std::vector<float> samples(2 * static_cast<std::size_t>(info.frames));
  CHECK(sf_readf_float(f, samples.data(), info.frames) == info.frames);
  sf_close(f);
  return test::stereo_frames(samples);
}

/// A timeline that tells where every frame came from: left = its position (exact up to 2^24).
StereoFrame ramp(std::uint64_t n) { return {float(n), 0.0f}; }

/// Feeds `signal` frames [from, to) to the recorder in blocks of `block` (the last one shorter).
void feed(TakeRecorder& recorder, const std::function<StereoFrame(std::uint64_t)>& signal,
          std::uint64_t from, std::uint64_t to, std::size_t block) {
  std::vector<StereoFrame> frames;
  for (std::uint64_t start = from; start < to; start += block) {
    frames.clear();
    for (std::uint64_t n = start; n < std::min<std::uint64_t>(to, start + block); ++n)
      frames.push_back(signal(n));
    REQUIRE(recorder.write(Interleaved(frames)));
  }
}

/// Checks that `take`'s file holds signal frames [first_frame, first_frame + frames).
void check_take_holds(const Take& take, const std::function<StereoFrame(std::uint64_t)>& signal) {
  const std::vector<StereoFrame> frames = read_frames(take.path);
  REQUIRE(frames.size() == take.frames);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const StereoFrame expected = signal(take.first_frame + i);
    wrong += frames[i].left != expected.left || frames[i].right != expected.right;
  }
  CHECK_MESSAGE(wrong == 0, take.path);
}

} // namespace

TEST_CASE("manual toggles: pre-roll from before the trigger, seamless, clamped at the last take") {
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 1500;
  TakeRecorder recorder((dir.path / "take.wav").string(), float_wav(), 48000, false, options, 2);

  feed(recorder, ramp, 0, 3000, 1000);
  CHECK_FALSE(recorder.recording());
  recorder.request_toggle(ManualTrigger::signal); // applied at the next block: frame 3000
  feed(recorder, ramp, 3000, 6000, 1000);
  CHECK(recorder.recording());
  recorder.request_toggle(ManualTrigger::signal); // ends at 6000
  feed(recorder, ramp, 6000, 7000, 1000);
  recorder.request_toggle(ManualTrigger::enter); // 1000 frames after the re-arm
  feed(recorder, ramp, 7000, 10000, 1000);
  REQUIRE(recorder.finalize());

  const std::vector<Take>& takes = recorder.takes();
  REQUIRE(takes.size() == 2);
  CHECK(takes[0].path == (dir.path / "take-001.wav").string());
  CHECK(takes[0].trigger == TakeTrigger::signal);
  CHECK(takes[0].trigger_frame == 3000);
  CHECK(takes[0].first_frame == 1500);
  CHECK(takes[0].frames == 4500);
  CHECK(takes[0].end == TakeEnd::signal);
  check_take_holds(takes[0], ramp);
  // The second pre-roll would reach back to 5500; the first take owns frames up to 6000.
  CHECK(takes[1].path == (dir.path / "take-002.wav").string());
  CHECK(takes[1].trigger == TakeTrigger::enter);
  CHECK(takes[1].trigger_frame == 7000);
  CHECK(takes[1].first_frame == 6000);
  CHECK(takes[1].frames == 4000);
  CHECK(takes[1].end == TakeEnd::stop);
  check_take_holds(takes[1], ramp);
  CHECK(recorder.takes_started() == 2);
}

TEST_CASE("a trigger sooner than the pre-roll after the start takes what there is") {
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 48000;
  TakeRecorder recorder((dir.path / "t.wav").string(), float_wav(), 48000, false, options, 2);
  feed(recorder, ramp, 0, 700, 100);
  recorder.request_toggle(ManualTrigger::signal);
  feed(recorder, ramp, 700, 1000, 100);
  REQUIRE(recorder.finalize());
  REQUIRE(recorder.takes().size() == 1);
  CHECK(recorder.takes()[0].first_frame == 0);
  CHECK(recorder.takes()[0].frames == 1000);
  check_take_holds(recorder.takes()[0], ramp);
}

TEST_CASE("level trigger: fires at the first loud frame, ends after exactly `hold` quiet frames") {
  // A quiet ramp (below the level) with loud single frames at 5123 and 9000 and a loud stretch
  // 12000..12999 that the stop cuts: every frame identifiable, the trigger sample-exact.
  const auto signal = [](std::uint64_t n) {
    const float quiet = float(n % 1000) * 1e-5f; // at most 0.01, below the level
    const bool loud = n == 5123 || n == 9000 || (n >= 12000 && n < 13000);
    return StereoFrame{quiet, loud ? -0.5f : quiet};
  };
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 300;
  options.level = 0.25f;
  options.hold_frames = 1000;
  TakeRecorder recorder((dir.path / "lvl-%n.wav").string(), float_wav(), 48000, false, options, 2);
  feed(recorder, signal, 0, 12500, 256); // blocks of 256: triggers and ends inside blocks
  REQUIRE(recorder.finalize());

  const std::vector<Take>& takes = recorder.takes();
  REQUIRE(takes.size() == 3);
  const std::uint64_t triggers[] = {5123, 9000, 12000};
  for (std::size_t k = 0; k < 3; ++k) {
    CAPTURE(k);
    CHECK(takes[k].trigger == TakeTrigger::level);
    CHECK(takes[k].trigger_frame == triggers[k]);
    CHECK(takes[k].first_frame == triggers[k] - 300);
    check_take_holds(takes[k], signal);
  }
  CHECK(takes[0].frames == 300 + 1 + 1000); // pre-roll, the loud frame, the hold
  CHECK(takes[0].end == TakeEnd::quiet);
  CHECK(takes[1].frames == 300 + 1 + 1000);
  CHECK(takes[2].frames == 300 + 500); // still loud when the capture stopped
  CHECK(takes[2].end == TakeEnd::stop);
  CHECK(takes[1].path == (dir.path / "lvl-002.wav").string());
}

TEST_CASE("a manual end of a loud level take holds the level trigger until `hold` of quiet") {
  // Loud 1000..2999 and 5000..5999, with one quiet frame inside the first stretch (a loud sound's
  // zero crossing): the toggle at 1500 ends the take; no take starts again while the sound goes
  // on, and the next starts at 5000, after more than `hold` quiet frames.
  const auto signal = [](std::uint64_t n) {
    const bool loud = ((n >= 1000 && n < 3000) || (n >= 5000 && n < 6000)) && n != 2000;
    return StereoFrame{float(n % 1000) * 1e-5f, loud ? 0.5f : 0.0f};
  };
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 100;
  options.level = 0.25f;
  options.hold_frames = 500;
  TakeRecorder recorder((dir.path / "lvl.wav").string(), float_wav(), 48000, false, options, 2);
  feed(recorder, signal, 0, 1500, 100);
  REQUIRE(recorder.recording());
  recorder.request_toggle(ManualTrigger::enter); // applied at the block starting at 1500
  feed(recorder, signal, 1500, 7000, 100);
  REQUIRE(recorder.finalize());

  const std::vector<Take>& takes = recorder.takes();
  REQUIRE(takes.size() == 2);
  CHECK(takes[0].trigger == TakeTrigger::level);
  CHECK(takes[0].trigger_frame == 1000);
  CHECK(takes[0].end == TakeEnd::enter);
  CHECK(takes[0].first_frame + takes[0].frames == 1500);
  CHECK(takes[1].trigger == TakeTrigger::level);
  CHECK(takes[1].trigger_frame == 5000);
  CHECK(takes[1].first_frame == 4900);
  CHECK(takes[1].end == TakeEnd::quiet);
  check_take_holds(takes[1], signal);
}

TEST_CASE("level trigger on the bundled speech asset: one take per sentence, exact content") {
  // assets/speech-silence-mono16.wav: two sentences with 1.5 s of silence between.
  SoundFileReader reader(std::string(RC_ASSETS_DIR) + "/speech-silence-mono16.wav");
  REQUIRE(reader.channels() == 1);
  std::vector<float> mono(static_cast<std::size_t>(reader.frames()));
  REQUIRE(reader.read(mono.data(), mono.size()) == mono.size());
  const auto speech = [&mono](std::uint64_t n) {
    const float x = n < mono.size() ? mono[n] : 0.0f;
    return StereoFrame{x, x};
  };
  const int rate = reader.rate();
  const float level = std::pow(10.0f, -30.0f / 20.0f);

  // The oracle, in its own words: loud frames closer than `hold` belong to one take; a take
  // keeps `hold` frames after its last loud frame.
  const auto expected_takes = [&](std::uint64_t hold) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> spans; // [trigger, end)
    for (std::uint64_t n = 0; n < mono.size(); ++n) {
      if (std::fabs(mono[n]) < level) continue;
      if (!spans.empty() && n < spans.back().second)
        spans.back().second = n + 1 + hold;
      else
        spans.push_back({n, n + 1 + hold});
    }
    return spans;
  };

  for (const double hold_seconds : {0.5, 2.0}) {
    CAPTURE(hold_seconds);
    TempDir dir("rc-speech");
    TriggerOptions options;
    options.pre_roll_frames = static_cast<std::uint64_t>(0.25 * rate);
    options.level = level;
    options.hold_frames = static_cast<std::uint64_t>(hold_seconds * rate);
    TakeRecorder recorder((dir.path / "speech.wav").string(), float_wav(), rate, false, options, 2);
    const std::uint64_t end = mono.size() + 3 * static_cast<std::uint64_t>(rate); // then quiet
    feed(recorder, speech, 0, end, 512);
    REQUIRE(recorder.finalize());

    const auto spans = expected_takes(options.hold_frames);
    CHECK(spans.size() == (hold_seconds < 1.5 ? 2 : 1)); // the asset is what we think it is
    const std::vector<Take>& takes = recorder.takes();
    REQUIRE(takes.size() == spans.size());
    std::uint64_t previous_end = 0;
    for (std::size_t k = 0; k < takes.size(); ++k) {
      CAPTURE(k);
      const auto [trigger, end_frame] = spans[k];
      CHECK(takes[k].trigger_frame == trigger);
      CHECK(takes[k].first_frame ==
            std::max(previous_end, trigger - std::min(trigger, options.pre_roll_frames)));
      CHECK(takes[k].first_frame + takes[k].frames == end_frame);
      CHECK(takes[k].end == TakeEnd::quiet);
      check_take_holds(takes[k], speech);
      previous_end = end_frame;
    }
  }
}

TEST_CASE("a take never replaces a file: it takes the next free number - a missing directory fails "
          "at once") {
  TempDir dir("rc-takes");
  { std::ofstream((dir.path / "x-002.wav").string()) << "keep"; }
  { std::ofstream((dir.path / "x-003.wav").string()) << "keep"; }
  TriggerOptions options;
  TakeRecorder recorder((dir.path / "x.wav").string(), float_wav(), 48000, false, options, 2);
  for (std::uint64_t start = 0; start < 600; start += 100) { // three takes of 100 frames
    recorder.request_toggle(ManualTrigger::signal);
    feed(recorder, ramp, start, start + 100, 100);
  }
  REQUIRE(recorder.finalize());
  REQUIRE(recorder.takes().size() == 3);
  CHECK(recorder.takes()[0].path == (dir.path / "x-001.wav").string());
  CHECK(recorder.takes()[1].path == (dir.path / "x-004.wav").string());
  CHECK(recorder.takes()[2].path == (dir.path / "x-005.wav").string());
  for (const Take& take : recorder.takes()) check_take_holds(take, ramp);
  for (const char* kept : {"x-002.wav", "x-003.wav"}) {
    std::ifstream in((dir.path / kept).string());
    std::string text;
    in >> text;
    CHECK_MESSAGE(text == "keep", kept);
  }

  CHECK_THROWS_AS(TakeRecorder((dir.path / "no-such-dir/t.wav").string(), float_wav(), 48000, false,
                               options, 2),
                  std::runtime_error);
}

TEST_CASE("a long pre-roll is written in bounded steps while the capture goes on, every frame "
          "exact, a take triggered meanwhile included") {
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 480000; // 10 s at 48 kHz
  TakeRecorder recorder((dir.path / "long.wav").string(), float_wav(), 48000, false, options, 2);
  feed(recorder, ramp, 0, 500000, 1000);

  // Writes one block and checks what that call wrote: at most the block and drain_ratio blocks.
  std::uint64_t position = 500000;
  std::uint64_t most = 0;
  const auto block = [&](std::size_t frames) {
    std::uint64_t before = 0;
    for (const Take& t : recorder.takes()) before += t.frames;
    feed(recorder, ramp, position, position + frames, frames);
    position += frames;
    std::uint64_t after = 0;
    for (const Take& t : recorder.takes()) after += t.frames;
    CHECK(after - before <= (1 + TakeRecorder::drain_ratio) * frames);
    most = std::max(most, after - before);
  };

  recorder.request_toggle(ManualTrigger::signal); // take 1 at 500000, with 480000 of pre-roll
  for (int i = 0; i < 10; ++i) block(256);
  recorder.request_toggle(ManualTrigger::signal); // ends at 502560, 482560 frames to write
  for (int i = 0; i < 10; ++i) block(256);
  CHECK(recorder.takes()[0].frames < 482560);
  recorder.request_toggle(ManualTrigger::enter); // take 2 at 505120 while take 1 still drains
  // The backlog shrinks by drain_ratio blocks a call: caught up after 482560 / 2048 calls.
  for (int i = 0; i < 240; ++i) block(256);
  CHECK(most == (1 + TakeRecorder::drain_ratio) * 256);
  REQUIRE(recorder.takes().size() == 2);
  CHECK(recorder.takes()[0].frames == 482560);
  CHECK(recorder.takes()[1].frames == position - 502560); // grows with the live blocks now
  REQUIRE(recorder.finalize());

  const std::vector<Take>& takes = recorder.takes();
  CHECK(takes[0].first_frame == 20000);
  CHECK(takes[0].end == TakeEnd::signal);
  CHECK(takes[1].first_frame == 502560); // its pre-roll reaches back to the end of take 1
  CHECK(takes[1].trigger_frame == 505120);
  CHECK(takes[1].end == TakeEnd::stop);
  for (const Take& take : takes) check_take_holds(take, ramp);
}

TEST_CASE("blocks larger than a push step write out what they would overwrite first") {
  // Blocks of 20000 frames against a history of 400000 + 8192: pushing one overwrites frames a
  // take has not written yet unless they are written first. Take 2 starts while take 1 drains.
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 400000;
  TakeRecorder recorder((dir.path / "big.wav").string(), float_wav(), 48000, false, options, 2);
  feed(recorder, ramp, 0, 500000, 20000);
  recorder.request_toggle(ManualTrigger::signal); // take 1 at 500000 from 100000
  feed(recorder, ramp, 500000, 520000, 20000);
  recorder.request_toggle(ManualTrigger::signal); // ends at 520000
  feed(recorder, ramp, 520000, 540000, 20000);
  CHECK(recorder.takes()[0].frames < 420000);
  recorder.request_toggle(ManualTrigger::signal); // take 2 at 540000 from 520000
  feed(recorder, ramp, 540000, 700000, 20000);
  REQUIRE(recorder.finalize());
  const std::vector<Take>& takes = recorder.takes();
  REQUIRE(takes.size() == 2);
  CHECK(takes[0].first_frame == 100000);
  CHECK(takes[0].frames == 420000);
  CHECK(takes[1].first_frame == 520000);
  CHECK(takes[1].frames == 180000);
  for (const Take& take : takes) check_take_holds(take, ramp);
}

TEST_CASE("without a pre-roll, two toggles in one block make an empty take") {
  TempDir dir("rc-takes");
  TakeRecorder recorder((dir.path / "e.wav").string(), float_wav(), 48000, false, {}, 2);
  feed(recorder, ramp, 0, 1000, 100);
  recorder.request_toggle(ManualTrigger::signal);
  recorder.request_toggle(ManualTrigger::signal);
  feed(recorder, ramp, 1000, 2000, 100);
  REQUIRE(recorder.finalize());
  REQUIRE(recorder.takes().size() == 1);
  CHECK(recorder.takes()[0].first_frame == 1000);
  CHECK(recorder.takes()[0].frames == 0);
  CHECK(read_frames(recorder.takes()[0].path).empty());
}

TEST_CASE("a pre-roll whose memory would pass the limit is refused up front, naming the most") {
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 600 * 192000; // 600 s at 192 kHz: 879 MiB
  CHECK(options.pre_roll_frames > TakeRecorder::max_pre_roll_frames(2));
  CHECK_THROWS_WITH_AS(
      TakeRecorder((dir.path / "t.wav").string(), float_wav(), 192000, false, options, 2),
      "a pre-roll of 600 s at 192000 Hz would hold 879 MiB in memory; the most is 512 MiB "
      "(349.5 s at this rate)",
      std::runtime_error);
  // At 48 kHz 600 s fits (220 MiB).
  CHECK(600 * 48000 <= TakeRecorder::max_pre_roll_frames(2));
}

TEST_CASE("8 channels: a sound on channel 6 alone starts a take, and its file keeps all eight") {
  constexpr int channels = 8;
  // Channel c of frame n: a quiet ramp telling frames and channels apart; channel 5 (the sixth)
  // is loud from 3000 to 3999.
  const auto sample = [](std::uint64_t n, int c) {
    if (c == 5 && n >= 3000 && n < 4000) return 0.75f;
    return float(n % 1000) * 1e-5f + float(c) * 1e-3f;
  };
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 1000;
  options.level = 0.5f;
  options.hold_frames = 500;
  TakeRecorder recorder((dir.path / "multi.wav").string(), float_wav(), 48000, false, options,
                        channels);
  std::vector<float> block(256 * channels);
  for (std::uint64_t start = 0; start < 8192; start += 256) {
    for (std::size_t i = 0; i < 256; ++i)
      for (int c = 0; c < channels; ++c) block[i * channels + c] = sample(start + i, c);
    REQUIRE(recorder.write(ConstFrames{block.data(), 256, channels}));
  }
  REQUIRE(recorder.finalize());
  REQUIRE(recorder.takes().size() == 1);
  const Take& take = recorder.takes()[0];
  CHECK(take.trigger_frame == 3000);
  CHECK(take.first_frame == 2000);
  CHECK(take.frames == 1000 + 1000 + 500); // pre-roll, the sound, the hold
  SF_INFO info{};
  SNDFILE* f = sf_open(take.path.c_str(), SFM_READ, &info);
  REQUIRE(f != nullptr);
  CHECK(info.channels == channels);
  REQUIRE(info.frames == static_cast<sf_count_t>(take.frames));
  std::vector<float> got(take.frames * channels);
  CHECK(sf_readf_float(f, got.data(), info.frames) == info.frames);
  sf_close(f);
  std::size_t wrong = 0;
  for (std::size_t i = 0; i < take.frames; ++i)
    for (int c = 0; c < channels; ++c)
      wrong += got[i * channels + c] != sample(take.first_frame + i, c);
  CHECK(wrong == 0);
}

TEST_CASE("split channels: each take is a mono file per channel, named by %c") {
  TempDir dir("rc-takes");
  TriggerOptions options;
  options.pre_roll_frames = 100;
  TakeRecorder recorder((dir.path / "take-%n-ch%c.wav").string(), float_wav(), 48000, false,
                        options, 2, /*split_channels=*/true);
  feed(recorder, ramp, 0, 1000, 100);
  recorder.request_toggle(ManualTrigger::signal); // a take from 900
  feed(recorder, ramp, 1000, 1500, 100);
  REQUIRE(recorder.finalize());
  REQUIRE(recorder.takes().size() == 1);
  const Take& take = recorder.takes()[0];
  REQUIRE(take.channel_paths.size() == 2);
  CHECK(take.path == take.channel_paths[0]);
  CHECK(take.channel_paths[1] == (dir.path / "take-001-ch2.wav").string());
  for (int c = 0; c < 2; ++c) {
    SF_INFO info{};
    SNDFILE* f = sf_open(take.channel_paths[static_cast<std::size_t>(c)].c_str(), SFM_READ, &info);
    REQUIRE(f != nullptr);
    CHECK(info.channels == 1);
    REQUIRE(info.frames == 600);
    std::vector<float> got(600);
    sf_readf_float(f, got.data(), 600);
    sf_close(f);
    CHECK(got[0] == (c == 0 ? 900.0f : 0.0f)); // ramp: left = position, right = 0
    CHECK(got[599] == (c == 0 ? 1499.0f : 0.0f));
  }
}
