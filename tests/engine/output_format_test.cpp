// Specification of output_format_for: extension and --encoding to a libsndfile format.
#include "engine/files/output_format.hpp"

#include <doctest/doctest.h>
#include <sndfile.h>

using rc::output_format_for;

TEST_CASE("the extension picks the container and a sensible default encoding") {
  std::string error;
  auto wav = output_format_for("take.WAV", "", error);
  REQUIRE(wav);
  CHECK(wav->sf_format == (SF_FORMAT_RF64 | SF_FORMAT_FLOAT));
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
  CHECK_FALSE(output_format_for("take.mp3", "", error));
  CHECK(error.find(".flac") != std::string::npos);
  CHECK_FALSE(output_format_for("noextension", "", error));
  CHECK_FALSE(output_format_for("x.wav", "12", error));
  CHECK(error.find("12") != std::string::npos);
  CHECK_FALSE(output_format_for("x.flac", "float", error));
  CHECK_FALSE(output_format_for("x.ogg", "16", error));
}
