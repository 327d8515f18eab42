// Specification of SoundFileWriter: exact frames, no silent overwrite, crash-safe checkpoints.
#include "engine/files/sound_file_writer.hpp"

#include "engine/files/pcm_sample.hpp"

#include "tests/engine/stereo_frames.hpp"
#include "tests/engine/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sndfile.h>

#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace rc;

namespace {

using test::Interleaved;
using test::StereoFrame;
using test::TempDir;

OutputFormat format_for(const std::string& path, const std::string& encoding = "") {
  std::string error;
  auto f = output_format_for(path, encoding, error);
  REQUIRE(f);
  return *f;
}

std::vector<StereoFrame> ramp(std::size_t n) {
  std::vector<StereoFrame> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = {float(i) / float(n), -float(i) / float(n)};
  return out;
}

sf_count_t frames_in(const std::string& path, SF_INFO& info) {
  info = {};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (f == nullptr) return -1;
  sf_close(f);
  return info.frames;
}

} // namespace

TEST_CASE("frames and silence arrive in the file exactly") {
  TempDir dir("rc-writer");
  const std::string path = (dir.path / "a.wav").string();
  {
    SoundFileWriter w(path, format_for(path), 48000, false, 2);
    const auto data = ramp(1000);
    CHECK(w.write(Interleaved(data)));
    CHECK(w.write_silence(2500, 2));
    CHECK(w.frames_written() == 3500);
    CHECK(w.close());
  }
  SF_INFO info;
  REQUIRE(frames_in(path, info) == 3500);
  CHECK(info.channels == 2);
  CHECK(info.samplerate == 48000);
  // Written as RF64-capable, but under 4 GiB it is a plain RIFF/WAVE file every tool reads.
  std::ifstream raw(path, std::ios::binary);
  char magic[4] = {};
  raw.read(magic, 4);
  CHECK(std::string(magic, 4) == "RIFF");
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  std::vector<float> back(3500 * 2);
  CHECK(sf_readf_float(f, back.data(), 3500) == 3500);
  sf_close(f);
  CHECK(back[2 * 999] == 999.0f / 1000.0f);
  CHECK(back[2 * 999 + 1] == -999.0f / 1000.0f);
  CHECK(back[2 * 1000] == 0.0f);
  CHECK(back[2 * 3499 + 1] == 0.0f);
}

TEST_CASE("an existing file is never replaced without overwrite") {
  TempDir dir("rc-writer");
  const std::string path = (dir.path / "keep.wav").string();
  std::ofstream(path) << "precious";
  CHECK_THROWS_WITH_AS(SoundFileWriter(path, format_for(path), 48000, false, 2),
                       doctest::Contains("--force"), std::runtime_error);
  std::ifstream in(path);
  std::string content;
  in >> content;
  CHECK(content == "precious");
  SoundFileWriter w(path, format_for(path), 48000, true, 2);
  CHECK(w.close());
  SF_INFO info;
  CHECK(frames_in(path, info) == 0);
}

TEST_CASE("an unwritable path is a clear error") {
  CHECK_THROWS_WITH_AS(
      SoundFileWriter("/nonexistent-dir/x.wav", format_for("x.wav"), 48000, false, 2),
      doctest::Contains("cannot create"), std::runtime_error);
}

TEST_CASE("after a checkpoint a crashed writer leaves a readable file with those frames") {
  TempDir dir("rc-writer");
  const std::string path = (dir.path / "crash.wav").string();
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The "crash": write, checkpoint, write more, then die without closing.
    SoundFileWriter w(path, format_for(path, "24"), 48000, false, 2);
    const auto data = ramp(4800);
    w.write(Interleaved(data));
    w.checkpoint();
    w.write(Interleaved(data));
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  SF_INFO info;
  const sf_count_t frames = frames_in(path, info);
  CHECK(frames >= 4800);
  CHECK(frames <= 9600);
}

TEST_CASE("a float WAV file has our header: RIFF with a reserve, RF64 past the limit") {
  TempDir dir("rc-writer");
  const std::string path = (dir.path / "f.wav").string();
  const OutputFormat format = format_for(path, "float");
  const auto data = ramp(1000);
  SF_INFO info;
  {
    SoundFileWriter w(path, format, 48000, false, 2);
    // Valid and empty from the start: 94 bytes of header (fmt with cbSize, fact, a JUNK reserve).
    CHECK(std::filesystem::file_size(path) == 94);
    CHECK(frames_in(path, info) == 0);
    CHECK(w.write(Interleaved(data)));
    CHECK(w.close());
  }
  CHECK(std::filesystem::file_size(path) == 94 + 8000);
  REQUIRE(frames_in(path, info) == 1000);
  CHECK(info.format == (SF_FORMAT_WAV | SF_FORMAT_FLOAT));
  // A RIFF limit just past 600 frames (the 4 GiB of a real file, made small): the file turns RF64
  // in place, and libsndfile reads every frame back.
  const std::string big = (dir.path / "big.wav").string();
  {
    SoundFileWriter w(big, format, 48000, false, 2, {}, 94 - 8 + 600 * 8);
    CHECK(w.write(Interleaved(data)));
    w.checkpoint();
    std::ifstream raw(big, std::ios::binary);
    char magic[4] = {};
    raw.read(magic, 4);
    CHECK(std::string(magic, 4) == "RF64");
    CHECK(w.close());
  }
  REQUIRE(frames_in(big, info) == 1000);
  CHECK((info.format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RF64);
  SNDFILE* f = sf_open(big.c_str(), SFM_READ, &info);
  REQUIRE(f != nullptr);
  std::vector<float> back(2000);
  CHECK(sf_readf_float(f, back.data(), 1000) == 1000);
  sf_close(f);
  CHECK(back[2 * 999] == 999.0f / 1000.0f);
  CHECK(back[2 * 999 + 1] == -999.0f / 1000.0f);
}

TEST_CASE("after a checkpoint a crashed float WAV writer leaves a readable file") {
  TempDir dir("rc-writer");
  const std::string path = (dir.path / "crash.wav").string();
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    SoundFileWriter w(path, format_for(path, "float"), 48000, false, 2);
    const auto data = ramp(4800);
    w.write(Interleaved(data));
    w.checkpoint();
    w.write(Interleaved(data));
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  SF_INFO info;
  CHECK(frames_in(path, info) == 4800); // what the checkpoint described
}

TEST_CASE("a float WAV write cut short by a size limit keeps whole frames, counted exactly") {
  TempDir dir("rc-writer");
  const std::string path = (dir.path / "limited.wav").string();
  // 94 bytes of header, 1000 stereo float frames and 5 bytes of the next: as a full disk would.
  const rlim_t limit = 94 + 1000 * 8 + 5;
  const pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    // The child's verdict is its exit status: 0 when every expectation held.
    std::signal(SIGXFSZ, SIG_IGN); // write() fails with EFBIG instead of a signal
    const rlimit rl{limit, limit};
    if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(10);
    SoundFileWriter w(path, format_for(path, "float"), 48000, false, 2);
    const auto data = ramp(2000);
    if (w.write(Interleaved(data))) _exit(11);
    if (w.frames_appended() != std::optional<std::uint64_t>(1000)) _exit(12);
    if (w.error().find("write to '" + path + "' failed: File too large") != 0) _exit(13);
    if (w.write(Interleaved(data))) _exit(14); // nothing after a frame cut short
    if (!w.close()) _exit(15);
    _exit(0);
  }
  int status = 0;
  waitpid(child, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(std::filesystem::file_size(path) == 94 + 1000 * 8); // the partial frame cut off
  SF_INFO info;
  REQUIRE(frames_in(path, info) == 1000);
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  REQUIRE(f != nullptr);
  std::vector<float> back(2000);
  CHECK(sf_readf_float(f, back.data(), 1000) == 1000);
  sf_close(f);
  CHECK(back[2 * 999] == 999.0f / 2000.0f);
}

TEST_CASE("pcm_sample rounds to the nearest step and clips, as sox converts") {
  const float step = 1.0f / 32768;
  CHECK(pcm_sample(0.6f * step, 16) == 1); // libsndfile's own conversion gives 0 here
  CHECK(pcm_sample(0.4f * step, 16) == 0);
  CHECK(pcm_sample(-0.6f * step, 16) == -1);
  CHECK(pcm_sample(-0.4f * step, 16) == 0);
  CHECK(pcm_sample(0.5f * step, 16) == 1);  // sox: a half step rounds up
  CHECK(pcm_sample(-0.5f * step, 16) == 0); // ... also below zero
  CHECK(pcm_sample(1.0f, 16) == 32767);     // clipped at the top
  CHECK(pcm_sample(2.0f, 16) == 32767);
  CHECK(pcm_sample(-1.0f, 16) == -32768);
  CHECK(pcm_sample(-7.0f, 24) == -8388608);
  CHECK(pcm_sample(1.0f, 32) == INT32_MAX);
  CHECK(pcm_sample(-1.0f, 32) == INT32_MIN);
  CHECK(pcm_sample(0.25f, 8) == 32);
  CHECK(pcm_sample(std::nanf(""), 16) == 0);
  CHECK(pcm_word(1.0f, 16) == 32767 * 65536);
  CHECK(pcm_word(-1.0f, 24) == -8388608 * 256);
}

TEST_CASE("an integer PCM file holds each sample rounded to the nearest step") {
  // Every value between two 16-bit steps, in WAV and FLAC: read back, each is the nearer step.
  TempDir dir;
  for (const std::string name : {"r.wav", "r.flac"}) {
    CAPTURE(name);
    const std::string path = dir.path / name;
    std::vector<float> x;
    for (int i = -2000; i <= 2000; ++i) x.push_back(float(i) / 1000.0f / 32768.0f);
    {
      SoundFileWriter w(path, format_for(path, "16"), 48000, false, 1);
      REQUIRE(w.write_interleaved(x.data(), x.size()));
      REQUIRE(w.finalize());
    }
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(f != nullptr);
    std::vector<short> back(x.size());
    REQUIRE(sf_read_short(f, back.data(), sf_count_t(back.size())) == sf_count_t(back.size()));
    sf_close(f);
    for (std::size_t i = 0; i < x.size(); ++i) CHECK(back[i] == pcm_sample(x[i], 16));
    CHECK(back.front() == -2);
    CHECK(back.back() == 2);
  }
}
