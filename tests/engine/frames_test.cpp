// Frames of any channel count through the worker's parts: the frame views, the level meter,
// the frame history of pre-rolls and the file writer.
#include "engine/audio/frames.hpp"
#include "engine/capture/frame_history.hpp"
#include "engine/dsp/level_meter.hpp"
#include "engine/files/output_format.hpp"
#include "engine/files/sound_file_writer.hpp"
#include "tests/engine/counter_block.hpp"
#include "tests/engine/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sndfile.h>

#include <vector>

using namespace rc;

TEST_CASE("a frame view cuts between frames, whatever the channel count") {
  std::vector<float> s(5 * 3);
  for (std::size_t i = 0; i < s.size(); ++i) s[i] = float(i);
  const Frames all{s.data(), 5, 3};
  CHECK(all.samples() == 15);
  CHECK(*all.frame(2) == 6.0f);
  const ConstFrames tail = all.from(3);
  CHECK(tail.frames == 2);
  CHECK(*tail.data == 9.0f);
  CHECK(all.first(2).samples() == 6);
  CHECK(ConstFrames{}.empty());
}

TEST_CASE("the level meter keeps every channel apart") {
  LevelMeter meter(5);
  CHECK(meter.channels() == 5);
  std::vector<float> block(4 * 5, 0.0f);
  block[1 * 5 + 3] = -0.5f; // channel 3
  block[2 * 5 + 4] = 1.5f;  // channel 4, clipped
  meter.process(ConstFrames{block.data(), 4, 5});
  const auto& totals = meter.totals();
  REQUIRE(totals.size() == 5);
  CHECK(totals[0].peak == 0.0f);
  CHECK(totals[3].peak == 0.5f);
  CHECK(totals[4].peak == 1.5f);
  CHECK(totals[4].clipped == 1);
  CHECK(totals[3].sum_squares == doctest::Approx(0.25));
  CHECK(meter.frames() == 4);
  CHECK(meter.live_clipped() == 1);
  std::vector<float> peaks(5, -1.0f);
  meter.take_live_peaks(peaks);
  CHECK(peaks == std::vector<float>{0.0f, 0.0f, 0.0f, 0.5f, 1.5f});
  meter.take_live_peaks(peaks); // reset by the first look
  CHECK(peaks == std::vector<float>(5, 0.0f));
}

TEST_CASE("the frame history holds the last frames of 3 channels across its wrap") {
  FrameHistory history(10, 3);
  CHECK(history.channels() == 3);
  for (std::uint64_t first = 0; first < 27; first += 9) {
    const auto block = test::counter_block(first, 9, 3);
    history.push(ConstFrames{block.data(), 9, 3});
  }
  CHECK(history.end() == 27);
  CHECK(history.oldest() == 17);
  std::size_t wrong = 0;
  for (std::uint64_t from = history.oldest(); from < history.end();) {
    const ConstFrames held = history.held(from, 100);
    REQUIRE(held.frames > 0);
    for (std::size_t i = 0; i < held.frames; ++i)
      for (int c = 0; c < 3; ++c) wrong += held.frame(i)[c] != test::counter_sample(from + i, c);
    from += held.frames;
  }
  CHECK(wrong == 0);
}

TEST_CASE("files of 1 and 8 channels hold exactly the frames written, silence in every channel") {
  test::TempDir dir("rc-frames");
  for (const int channels : {1, 8}) {
    CAPTURE(channels);
    const std::string path = (dir.path / ("c" + std::to_string(channels) + ".wav")).string();
    std::string error;
    const auto format = output_format_for(path, "float", error);
    REQUIRE(format);
    {
      SoundFileWriter writer(path, *format, 48000, false, channels);
      CHECK(writer.channels() == channels);
      const auto block = test::counter_block(0, 1000, channels);
      CHECK(writer.write(ConstFrames{block.data(), 1000, channels}));
      CHECK(writer.write_silence(500, channels));
      const auto more = test::counter_block(1500, 100, channels);
      CHECK(writer.write(ConstFrames{more.data(), 100, channels}));
      // A block of another channel count is refused, not written askew.
      CHECK_FALSE(writer.write(ConstFrames{more.data(), 10, channels + 1}));
      CHECK(writer.error().find("-channel file") != std::string::npos);
      CHECK(writer.close());
    }
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(f != nullptr);
    CHECK(info.channels == channels);
    REQUIRE(info.frames == 1600);
    std::vector<float> got(1600 * static_cast<std::size_t>(channels));
    CHECK(sf_readf_float(f, got.data(), 1600) == 1600);
    sf_close(f);
    std::size_t wrong = 0;
    for (std::size_t i = 0; i < 1600; ++i)
      for (int c = 0; c < channels; ++c) {
        const bool silent = i >= 1000 && i < 1500;
        const float want = silent ? 0.0f : test::counter_sample(i, c);
        wrong += got[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] != want;
      }
    CHECK(wrong == 0);
  }
}
