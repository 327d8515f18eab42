// The WAV files and streams we write, read by sox 14.4.2 (`sox --i`, `sox FILE -n stat`) without
// a warning, with the encoding asked for: the live default (24-bit PCM), float on request, and
// 16 and 32 bits, in 1, 2 and 8 channels. Needs sox on the PATH, as the process tests do.
#include "engine/files/output_format.hpp"
#include "engine/files/sound_file_writer.hpp"
#include "engine/files/stream_writer.hpp"
#include "tests/engine/temp_dir.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace rc;

namespace {

OutputFormat format_of(const std::string& path, const std::string& encoding, int bits) {
  std::string error;
  const auto format = output_format_for(FormatRequest{path, "", encoding, bits}, error);
  REQUIRE_MESSAGE(format, error);
  return *format;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

/// Runs `sox ARGS` with its standard output and error in files beside `file`.
Run sox(const std::string& args, const std::string& file) {
  const std::string out = file + ".out";
  const std::string err = file + ".err";
  Run run;
  run.status = std::system(("sox " + args + " >'" + out + "' 2>'" + err + "'").c_str());
  run.out = slurp(out);
  run.err = slurp(err);
  return run;
}

/// A tenth of a second of a ramp offset per channel, well inside full scale (sox warns of
/// clipping).
std::vector<float> signal(int channels) {
  std::vector<float> out(4800 * static_cast<std::size_t>(channels));
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = 0.5f * float(i % 97) / 97.0f - 0.05f * float(i % static_cast<std::size_t>(channels));
  return out;
}

/// Checks that sox reads `path` without a word on stderr, as `channels` channels of `encoding`
/// ("24-bit Signed Integer PCM") with `precision` bits and 4800 samples.
void check_with_sox(const std::string& path, int channels, const std::string& encoding,
                    int precision) {
  const Run info = sox("--i '" + path + "'", path);
  CHECK(info.status == 0);
  CHECK_MESSAGE(info.err.empty(), "sox --i: " << info.err);
  CHECK(info.out.find("Channels       : " + std::to_string(channels) + "\n") != std::string::npos);
  CHECK(info.out.find("Precision      : " + std::to_string(precision) + "-bit\n") !=
        std::string::npos);
  CHECK_MESSAGE(info.out.find("Sample Encoding: " + encoding + "\n") != std::string::npos,
                info.out);
  CHECK(info.out.find("= 4800 samples") != std::string::npos);
  const Run stat = sox("'" + path + "' -n stat", path);
  CHECK(stat.status == 0);
  // stat reports on stderr: every line of it must be a statistic, none a warning.
  CHECK(stat.err.find("Samples read:") != std::string::npos);
  CHECK_MESSAGE(stat.err.find("WARN") == std::string::npos, "sox stat: " << stat.err);
  CHECK_MESSAGE(stat.err.find("FAIL") == std::string::npos, "sox stat: " << stat.err);
}

struct Case {
  const char* encoding; ///< -e ("" for the default)
  int bits;             ///< -b (0 for none)
  const char* sox_encoding;
  int precision;
};

constexpr Case cases[] = {
    {"", 0, "24-bit Signed Integer PCM", 24},      // the live default
    {"float", 0, "32-bit Floating Point PCM", 25}, // sox counts float as 25 bits of precision
    {"floating-point", 32, "32-bit Floating Point PCM", 25},
    {"", 16, "16-bit Signed Integer PCM", 16},
    {"32", 0, "32-bit Signed Integer PCM", 32},
};

} // namespace

TEST_CASE("sox reads our WAV files without a warning: default 24-bit, float, 16, 32 bits") {
  test::TempDir dir("rc-wav-sox");
  for (const Case& c : cases)
    for (const int channels : {1, 2, 8}) {
      CAPTURE(c.encoding);
      CAPTURE(c.bits);
      CAPTURE(channels);
      const std::string path = (dir.path / ("f" + std::string(c.encoding) + std::to_string(c.bits) +
                                            "-" + std::to_string(channels) + ".wav"))
                                   .string();
      {
        SoundFileWriter writer(path, format_of(path, c.encoding, c.bits), 48000, false, channels);
        const auto samples = signal(channels);
        CHECK(writer.write(ConstFrames{samples.data(), 4800, channels}));
        CHECK(writer.close());
      }
      check_with_sox(path, channels, c.sox_encoding, c.precision);
    }
}

TEST_CASE("sox reads our WAV streams without a warning: default 24-bit, float, 16, 32 bits") {
  test::TempDir dir("rc-wav-sox");
  for (const Case& c : cases)
    for (const int channels : {1, 2, 8}) {
      CAPTURE(c.encoding);
      CAPTURE(c.bits);
      CAPTURE(channels);
      const std::string path = (dir.path / ("s" + std::string(c.encoding) + std::to_string(c.bits) +
                                            "-" + std::to_string(channels) + ".wav"))
                                   .string();
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      REQUIRE(fd >= 0);
      {
        StreamWriter writer(fd, format_of("-.wav", c.encoding, c.bits), 48000, channels, 4800);
        const auto samples = signal(channels);
        CHECK(writer.write(ConstFrames{samples.data(), 4800, channels}));
      }
      ::close(fd);
      check_with_sox(path, channels, c.sox_encoding, c.precision);
    }
}
