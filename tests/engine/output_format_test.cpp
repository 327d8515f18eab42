// Specification of output_format_for: extension and --encoding to a libsndfile format.
#include "engine/files/output_format.hpp"

#include <doctest/doctest.h>
#include <sndfile.h>

#include <utility>

using rc::output_format_for;

TEST_CASE("the extension picks the container and a sensible default encoding") {
  std::string error;
  // Process's outputs (the two-argument form) stay float by default.
  auto wav = output_format_for("take.WAV", "", error);
  REQUIRE(wav);
  CHECK(wav->sf_format == (SF_FORMAT_RF64 | SF_FORMAT_FLOAT));
  CHECK(wav->description == "WAV 32-bit float");
  CHECK(wav->auto_rf64); // WAV that grows past 4 GiB becomes RF64
  auto flac = output_format_for("a/b.flac", "", error);
  REQUIRE(flac);
  CHECK(flac->sf_format == (SF_FORMAT_FLAC | SF_FORMAT_PCM_24));
  CHECK(output_format_for("x.ogg", "", error)->sf_format == (SF_FORMAT_OGG | SF_FORMAT_VORBIS));
  CHECK(output_format_for("x.aiff", "16", error)->sf_format == (SF_FORMAT_AIFF | SF_FORMAT_PCM_16));
  CHECK(output_format_for("x.caf", "24", error)->sf_format == (SF_FORMAT_CAF | SF_FORMAT_PCM_24));
  CHECK(output_format_for("x.w64", "32", error)->sf_format == (SF_FORMAT_W64 | SF_FORMAT_PCM_32));
  CHECK(output_format_for("x.rf64", "float", error)->sf_format ==
        (SF_FORMAT_RF64 | SF_FORMAT_FLOAT));
  CHECK_FALSE(output_format_for("x.rf64", "", error)->auto_rf64);
}

TEST_CASE("unknown extensions and impossible encodings are refused with a reason") {
  std::string error;
  CHECK_FALSE(output_format_for("take.mp4", "", error));
  CHECK(error.find(".flac") != std::string::npos);
  CHECK(error.find(".mp3") != std::string::npos); // MP3 and Opus are written
  CHECK(output_format_for("take.mp3", "", error)->description == "MP3");
  CHECK(output_format_for("take.opus", "", error)->description == "Opus");
  CHECK_FALSE(output_format_for("take.mp3", "16", error));
  CHECK_FALSE(output_format_for("take.opus", "float", error));
  CHECK_FALSE(output_format_for("noextension", "", error));
  CHECK_FALSE(output_format_for("x.wav", "12", error));
  CHECK(error.find("12") != std::string::npos);
  CHECK_FALSE(output_format_for("x.flac", "float", error));
  CHECK_FALSE(output_format_for("x.ogg", "16", error));
}

TEST_CASE("sox's format options: -t names the container, -b and -e the encoding") {
  using rc::FormatRequest;
  std::string error;
  // -t overrides the extension, or stands in for a name without one.
  auto typed = output_format_for(FormatRequest{"take", "flac", "", 0}, error);
  REQUIRE(typed);
  CHECK(typed->sf_format == (SF_FORMAT_FLAC | SF_FORMAT_PCM_24));
  auto raw = output_format_for(FormatRequest{"-", "raw", "", 24}, error);
  REQUIRE(raw);
  CHECK(raw->sf_format == (SF_FORMAT_RAW | SF_FORMAT_PCM_24));
  CHECK_FALSE(output_format_for(FormatRequest{"x.wav", "mp4", "", 0}, error));
  CHECK(error.find("unknown file type 'mp4' (-t)") != std::string::npos);
  // -b alone: signed PCM of that many bits; -e signed-integer alone: 24 bits.
  CHECK(output_format_for(FormatRequest{"x.wav", "", "", 16}, error)->sf_format ==
        (SF_FORMAT_RF64 | SF_FORMAT_PCM_16));
  CHECK(output_format_for(FormatRequest{"x.wav", "", "signed-integer", 0}, error)->bits == 24);
  CHECK(output_format_for(FormatRequest{"x.wav", "", "signed-integer", 32}, error)->bits == 32);
  CHECK(output_format_for(FormatRequest{"x.wav", "", "floating-point", 32}, error)->sf_format ==
        (SF_FORMAT_RF64 | SF_FORMAT_FLOAT));
  // What cannot be: float of 16 bits, -e and -b disagreeing, a depth libsndfile has no PCM for.
  CHECK_FALSE(output_format_for(FormatRequest{"x.wav", "", "floating-point", 16}, error));
  CHECK(error == "floating point is 32 bits: use -b 32 or leave -b out");
  CHECK_FALSE(output_format_for(FormatRequest{"x.wav", "", "16", 24}, error));
  CHECK(error == "-e 16 and -b 24 disagree");
  CHECK_FALSE(output_format_for(FormatRequest{"x.wav", "", "", 12}, error));
  CHECK(error == "-b 12: the bit depth is 16, 24 or 32");
  CHECK_FALSE(output_format_for(FormatRequest{"x.flac", "", "", 32}, error));
  CHECK(error == "FLAC stores 16 or 24 bits; -b 32 does not fit");
  CHECK_FALSE(output_format_for(FormatRequest{"x.ogg", "", "", 16}, error));
}

TEST_CASE("a live recording is 24-bit PCM by default, float on request") {
  using rc::DefaultEncoding;
  using rc::FormatRequest;
  std::string error;
  const std::pair<const char*, int> pcm24[] = {
      {"x.wav", SF_FORMAT_RF64}, {"x.flac", SF_FORMAT_FLAC}, {"x.aiff", SF_FORMAT_AIFF},
      {"x.caf", SF_FORMAT_CAF},  {"x.w64", SF_FORMAT_W64},   {"x.rf64", SF_FORMAT_RF64},
      {"x.raw", SF_FORMAT_RAW},
  };
  for (const auto& [path, container] : pcm24) {
    CAPTURE(path);
    const auto f = output_format_for(FormatRequest{path, "", "", 0}, error);
    REQUIRE_MESSAGE(f, error);
    CHECK(f->sf_format == (container | SF_FORMAT_PCM_24));
    CHECK(f->bits == 24);
    CHECK(f->description.find("24-bit PCM") != std::string::npos);
  }
  CHECK(output_format_for(FormatRequest{"x.wav", "", "", 0}, error)->description ==
        "WAV 24-bit PCM");
  CHECK(output_format_for(FormatRequest{"x.ogg", "", "", 0}, error)->sf_format ==
        (SF_FORMAT_OGG | SF_FORMAT_VORBIS));
  // Float when asked for, by name or as sox spells it with its size.
  for (const auto& [encoding, bits] : {std::pair{"float", 0}, std::pair{"floating-point", 0},
                                       std::pair{"floating-point", 32}, std::pair{"f32", 0}}) {
    CAPTURE(encoding);
    const auto f = output_format_for(FormatRequest{"x.wav", "", encoding, bits}, error);
    REQUIRE(f);
    CHECK(f->sf_format == (SF_FORMAT_RF64 | SF_FORMAT_FLOAT));
    CHECK(f->bits == 0);
  }
  // Process's default, asked for by name, is what the two-argument form gives.
  const auto offline =
      output_format_for(FormatRequest{"x.aiff", "", "", 0, DefaultEncoding::float32}, error);
  REQUIRE(offline);
  CHECK(offline->sf_format == (SF_FORMAT_AIFF | SF_FORMAT_FLOAT));
  CHECK(output_format_for(FormatRequest{"x.flac", "", "", 0, DefaultEncoding::float32}, error)
            ->sf_format == (SF_FORMAT_FLAC | SF_FORMAT_PCM_24));
}
