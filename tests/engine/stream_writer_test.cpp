// Specification of StreamWriter: WAV and raw to a descriptor that may be a pipe, the header's
// fields, integer samples clipped and exact, and a reader that goes away told from an error.
#include "engine/files/output_format.hpp"
#include "engine/files/stream_writer.hpp"
#include "tests/engine/counter_block.hpp"
#include "tests/engine/temp_dir.hpp"

#include <doctest/doctest.h>
#include <sndfile.h>

#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>
#include <vector>

using namespace rc;

namespace {

OutputFormat format_of(const std::string& type, const std::string& encoding, int bits) {
  std::string error;
  const auto format = output_format_for(FormatRequest{"-", type, encoding, bits}, error);
  REQUIRE_MESSAGE(format, error);
  return *format;
}

} // namespace

TEST_CASE("a stream of known length is a WAV file libsndfile reads back exactly") {
  test::TempDir dir("rc-stream");
  for (const int bits : {16, 24, 32}) {
    CAPTURE(bits);
    const std::string path = (dir.path / ("s" + std::to_string(bits) + ".wav")).string();
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    REQUIRE(fd >= 0);
    {
      StreamWriter writer(fd, format_of("wav", "", bits), 48000, 3, 2000);
      std::vector<float> block(1000 * 3);
      for (std::size_t i = 0; i < block.size(); ++i)
        block[i] = float(int(i % 200) - 100) / 128.0f; // exact at every depth
      block[5] = 1.5f;                                 // clipped, not wrapped
      block[7] = -1.5f;
      CHECK(writer.write(ConstFrames{block.data(), 1000, 3}));
      CHECK(writer.write_silence(1000, 3));
      CHECK(writer.frames_appended() == std::optional<std::uint64_t>(2000));
    }
    ::close(fd);
    SF_INFO info{};
    SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
    REQUIRE(f != nullptr);
    CHECK(info.channels == 3);
    CHECK(info.frames == 2000);
    std::vector<float> back(2000 * 3);
    CHECK(sf_readf_float(f, back.data(), 2000) == 2000);
    sf_close(f);
    CHECK(back[0] == -100.0f / 128.0f);
    CHECK(back[5] > 0.999f);
    CHECK(back[7] == -1.0f);
    CHECK(back[3000] == 0.0f);
  }
}

TEST_CASE("a block longer than the conversion buffer streams whole and exact") {
  // StreamWriter converts integer samples 4096 frames at a time: 10000 frames cross two seams.
  test::TempDir dir("rc-stream");
  const std::string path = (dir.path / "long.wav").string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  // Frame i, channel c: a distinct step of 2^-23, exact in 24-bit PCM.
  std::vector<float> block(10000 * 3);
  for (std::size_t i = 0; i < block.size(); ++i)
    block[i] = float(std::int32_t(i * 397 % 16000000) - 8000000) / 8388608.0f;
  {
    StreamWriter writer(fd, format_of("wav", "", 24), 48000, 3, 10000);
    CHECK(writer.write(ConstFrames{block.data(), 10000, 3}));
    CHECK(writer.frames_appended() == std::optional<std::uint64_t>(10000));
  }
  ::close(fd);
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  REQUIRE(f != nullptr);
  CHECK(info.frames == 10000);
  std::vector<float> back(block.size());
  CHECK(sf_readf_float(f, back.data(), 10000) == 10000);
  sf_close(f);
  CHECK(back == block);
}

TEST_CASE("raw is the samples alone, and the formats a pipe cannot take are refused") {
  test::TempDir dir("rc-stream");
  const std::string path = (dir.path / "r.raw").string();
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  REQUIRE(fd >= 0);
  {
    StreamWriter writer(fd, format_of("raw", "", 24), 48000, 2, std::nullopt);
    const auto block = test::counter_block(0, 100, 2);
    CHECK(writer.write(ConstFrames{block.data(), 100, 2}));
  }
  CHECK(::lseek(fd, 0, SEEK_END) == 100 * 2 * 3);
  ::close(fd);
  CHECK(stream_format_problem(format_of("flac", "", 0)).find("WAV or raw") != std::string::npos);
  CHECK(stream_format_problem(format_of("rf64", "", 0)).find("WAV or raw") != std::string::npos);
  CHECK(stream_format_problem(format_of("wav", "float", 0)).empty());
  CHECK_THROWS_AS(StreamWriter(1, format_of("flac", "", 0), 48000, 2, std::nullopt),
                  std::invalid_argument);
}

TEST_CASE("a reader that closes the pipe is gone, not an error") {
  std::signal(SIGPIPE, SIG_IGN);
  int ends[2];
  REQUIRE(::pipe(ends) == 0);
  StreamWriter writer(ends[1], format_of("wav", "", 16), 48000, 2, std::nullopt);
  std::vector<float> block(2 * 256, 0.25f);
  CHECK(writer.write(ConstFrames{block.data(), 256, 2}));
  ::close(ends[0]);
  CHECK_FALSE(writer.write(ConstFrames{block.data(), 256, 2}));
  CHECK(writer.reader_gone());
  CHECK(writer.error().empty());
  CHECK_FALSE(writer.write(ConstFrames{block.data(), 256, 2})); // and stays gone
  CHECK(writer.frames_appended() == std::optional<std::uint64_t>(256));
  ::close(ends[1]);
}
