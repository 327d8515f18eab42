// Specification of RotatingWriter and expand_file_name: split files of exactly N frames, cut
// inside blocks, nothing lost or repeated at a seam, no empty file at the end, names as arecord
// and strftime users expect.
#include "engine/files/rotating_writer.hpp"

#include "tests/engine/stereo_frames.hpp"
#include "tests/engine/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sndfile.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

using namespace rc;

namespace {

using test::Interleaved;
using test::StereoFrame;
using test::TempDir;

/// Returns: the left channel of a stereo file (the test writes the frame index there).
std::vector<float> left_channel(const std::string& path) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  REQUIRE(f != nullptr);
  std::vector<float> frames(static_cast<std::size_t>(info.frames) * 2);
  CHECK(sf_readf_float(f, frames.data(), info.frames) == info.frames);
  sf_close(f);
  std::vector<float> left;
  for (std::size_t i = 0; i < frames.size(); i += 2) left.push_back(frames[i]);
  return left;
}

} // namespace

TEST_CASE("file names: %n numbers, strftime expands, arecord-style numbering by default") {
  std::tm t{};
  t.tm_year = 126, t.tm_mon = 10, t.tm_mday = 23, t.tm_hour = 9, t.tm_min = 5, t.tm_sec = 7;
  const std::time_t when = std::mktime(&t);
  CHECK(expand_file_name("take.wav", 1, when, false) == "take.wav");
  CHECK(expand_file_name("take.wav", 1, when, true) == "take-001.wav");
  CHECK(expand_file_name("dir.v2/take", 12, when, true) == "dir.v2/take-012");
  CHECK(expand_file_name("take-%n.flac", 3, when, true) == "take-003.flac");
  CHECK(expand_file_name("%Y-%m-%d_%H%M%S.wav", 2, when, true) == "2026-11-23_090507-002.wav");
  CHECK(expand_file_name("100%%-%n.wav", 5, when, true) == "100%-005.wav");
  CHECK_THROWS_AS(expand_file_name("", 1, when, false), std::invalid_argument);
}

TEST_CASE("split files hold exactly N frames each, seamless across blocks, no empty last file") {
  TempDir dir("rc-rotate");
  const std::string pattern = (dir.path / "take-%n.wav").string();
  std::string error;
  const auto format = output_format_for(pattern, "", error);
  REQUIRE(format);
  std::vector<SplitFile> files;
  {
    RotatingWriter writer(pattern, *format, 48000, false, 2500, 0, 2);
    std::vector<StereoFrame> block(1000);
    for (int b = 0; b < 10; ++b) { // 10000 frames: exactly four files, the last one full
      for (std::size_t i = 0; i < block.size(); ++i) block[i] = {float(b * 1000 + int(i)), 0.0f};
      REQUIRE(writer.write(Interleaved(block)));
    }
    CHECK(writer.frames_appended() == std::optional<std::uint64_t>(10000));
    CHECK(writer.finalize());
    files = writer.files();
  }
  REQUIRE(files.size() == 4);
  std::vector<float> timeline;
  for (std::size_t k = 0; k < files.size(); ++k) {
    CAPTURE(k);
    CHECK(files[k].path == (dir.path / ("take-00" + std::to_string(k + 1) + ".wav")).string());
    CHECK(files[k].first_frame == 2500 * k);
    CHECK(files[k].frames == 2500);
    const auto left = left_channel(files[k].path);
    CHECK(left.size() == 2500);
    timeline.insert(timeline.end(), left.begin(), left.end());
  }
  REQUIRE(timeline.size() == 10000);
  for (std::size_t i = 0; i < timeline.size(); ++i)
    if (timeline[i] != float(i)) FAIL("frame " << i << " holds " << timeline[i]);
  CHECK_FALSE(std::filesystem::exists(dir.path / "take-005.wav"));
}

TEST_CASE("a split file that already exists stops the take with the files so far finalized") {
  TempDir dir("rc-rotate");
  const std::string pattern = (dir.path / "t.wav").string();
  std::string error;
  const auto format = output_format_for(pattern, "", error);
  REQUIRE(format);
  {
    std::FILE* f = std::fopen((dir.path / "t-002.wav").c_str(), "w");
    std::fclose(f);
  }
  RotatingWriter writer(pattern, *format, 48000, false, 100, 0, 2);
  std::vector<StereoFrame> block(150);
  CHECK_FALSE(writer.write(Interleaved(block)));
  CHECK(writer.error().find("exists") != std::string::npos);
  CHECK(writer.frames_appended() == std::optional<std::uint64_t>(100));
  CHECK(writer.finalize() == false); // the error stands
  CHECK(left_channel(writer.files().front().path).size() == 100);
}

TEST_CASE("--split-size: every file fits the size, full files hold the same frames") {
  TempDir dir("rc-rotate");
  const std::string pattern = (dir.path / "s.wav").string();
  std::string error;
  const auto format = output_format_for(pattern, "", error); // 32-bit float: 8 bytes a frame
  REQUIRE(format);
  std::uint64_t header = 0;
  {
    const std::string probe = (dir.path / "probe.wav").string();
    SoundFileWriter w(probe, *format, 48000, false, 2);
    header = std::filesystem::file_size(probe);
  }
  const std::uint64_t limit = header + 1000 * 8 + 5;
  std::vector<SplitFile> files;
  {
    RotatingWriter writer(pattern, *format, 48000, false, 0, limit, 2);
    std::vector<StereoFrame> block(2500);
    for (std::size_t i = 0; i < block.size(); ++i) block[i] = {float(i), 0.0f};
    REQUIRE(writer.write(Interleaved(block)));
    CHECK(writer.finalize());
    files = writer.files();
  }
  REQUIRE(files.size() == 3);
  CHECK(files[0].frames == 1000);
  CHECK(files[1].frames == 1000);
  CHECK(files[2].frames == 500);
  for (const SplitFile& f : files) CHECK(std::filesystem::file_size(f.path) <= limit);
  CHECK(left_channel(files[2].path).front() == 2000.0f);
}

TEST_CASE("--split-size is refused for compressed formats and when no frame fits") {
  TempDir dir("rc-rotate");
  std::string error;
  const std::string flac = (dir.path / "s.flac").string();
  const auto flac_format = output_format_for(flac, "", error);
  REQUIRE(flac_format);
  CHECK_THROWS_AS(RotatingWriter(flac, *flac_format, 48000, false, 0, 1000000, 2),
                  std::invalid_argument);
  const std::string wav = (dir.path / "s.wav").string();
  const auto wav_format = output_format_for(wav, "", error);
  REQUIRE(wav_format);
  CHECK_THROWS_AS(RotatingWriter(wav, *wav_format, 48000, false, 0, 10, 2), std::invalid_argument);
  CHECK(std::filesystem::is_empty(dir.path)); // nothing left behind by the refusals
}

TEST_CASE("split channels: a mono file per channel, named by %c, aligned in every split file") {
  CHECK(expand_channel("take.wav", 3, 8) == "take-3.wav");
  CHECK(expand_channel("take.wav", 3, 32) == "take-03.wav");
  CHECK(expand_channel("dir.v2/take", 1, 2) == "dir.v2/take-1");
  CHECK(expand_channel("%c/mic-%c.wav", 2, 2) == "2/mic-2.wav");
  CHECK(expand_channel("%%c-%Y.wav", 1, 1) == "%%c-%Y-1.wav"); // %% and strftime's left alone

  TempDir dir("rc-rotate");
  const std::string pattern = (dir.path / "ch%c-%n.wav").string();
  std::string error;
  const auto format = output_format_for(pattern, "float", error);
  REQUIRE(format);
  std::vector<SplitFile> files;
  {
    RotatingWriter writer(pattern, *format, 48000, false, 2500, 0, 3, /*split_channels=*/true);
    std::vector<float> block(3 * 1000);
    for (int b = 0; b < 6; ++b) { // 6000 frames: files of 2500, 2500, 1000
      for (std::size_t i = 0; i < 1000; ++i)
        for (int c = 0; c < 3; ++c) block[i * 3 + c] = float(b * 1000 + int(i)) + 0.25f * c;
      REQUIRE(writer.write(ConstFrames{block.data(), 1000, 3}));
    }
    CHECK(writer.frames_appended() == std::optional<std::uint64_t>(6000));
    CHECK(writer.finalize());
    files = writer.files();
  }
  REQUIRE(files.size() == 3);
  std::size_t wrong = 0;
  for (std::size_t k = 0; k < files.size(); ++k) {
    REQUIRE(files[k].channel_paths.size() == 3);
    CHECK(files[k].path == files[k].channel_paths[0]);
    for (int c = 0; c < 3; ++c) {
      const std::string& path = files[k].channel_paths[static_cast<std::size_t>(c)];
      CHECK(path ==
            (dir.path / ("ch" + std::to_string(c + 1) + "-00" + std::to_string(k + 1) + ".wav"))
                .string());
      SF_INFO info{};
      SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
      REQUIRE(f != nullptr);
      CHECK(info.channels == 1);
      CHECK(info.frames == static_cast<sf_count_t>(files[k].frames));
      std::vector<float> got(static_cast<std::size_t>(info.frames));
      sf_readf_float(f, got.data(), info.frames);
      sf_close(f);
      for (std::size_t i = 0; i < got.size(); ++i)
        wrong += got[i] != float(files[k].first_frame + i) + 0.25f * c;
    }
  }
  CHECK(wrong == 0);
}
