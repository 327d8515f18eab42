// engine/files/output_format.cpp - see output_format.hpp.
#include "engine/files/output_format.hpp"

#include "engine/util/text.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <stdexcept>

namespace rc {

namespace {

struct Container {
  const char* extension;
  int format;
  const char* name;
};

constexpr Container containers[] = {
    {"wav", SF_FORMAT_RF64, "WAV"},   {"flac", SF_FORMAT_FLAC, "FLAC"},
    {"ogg", SF_FORMAT_OGG, "Ogg"},    {"oga", SF_FORMAT_OGG, "Ogg"},
    {"aiff", SF_FORMAT_AIFF, "AIFF"}, {"aif", SF_FORMAT_AIFF, "AIFF"},
    {"caf", SF_FORMAT_CAF, "CAF"},    {"w64", SF_FORMAT_W64, "W64"},
    {"rf64", SF_FORMAT_RF64, "RF64"},
};

} // namespace

void refuse_directory(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw std::runtime_error("cannot write '" + path + "': it is a directory");
}

std::optional<OutputFormat> output_format_for(const std::string& path, const std::string& encoding,
                                              std::string& error) {
  std::string ext = lowercase(std::filesystem::path(path).extension().string());
  if (!ext.empty()) ext.erase(0, 1);
  const Container* container = nullptr;
  for (const Container& c : containers)
    if (ext == c.extension) container = &c;
  if (container == nullptr) {
    error = "cannot tell the output format from '" + path +
            "': use one of .wav .flac .ogg .aiff .caf .w64 .rf64";
    return std::nullopt;
  }

  OutputFormat out;
  out.auto_rf64 = std::string_view(container->extension) == "wav";
  const std::string enc = lowercase(encoding);
  int subtype = 0;
  if (container->format == SF_FORMAT_OGG) {
    if (!enc.empty() && enc != "vorbis") {
      error = "Ogg output is always Vorbis; --encoding '" + encoding + "' does not apply";
      return std::nullopt;
    }
    subtype = SF_FORMAT_VORBIS;
    out.description = "Ogg Vorbis";
  } else if (enc == "16" || enc == "pcm16" || enc == "s16") {
    subtype = SF_FORMAT_PCM_16, out.bits = 16;
  } else if (enc == "24" || enc == "pcm24" || enc == "s24" ||
             (enc.empty() && container->format == SF_FORMAT_FLAC)) {
    subtype = SF_FORMAT_PCM_24, out.bits = 24;
  } else if (enc == "32" || enc == "pcm32" || enc == "s32") {
    subtype = SF_FORMAT_PCM_32, out.bits = 32;
  } else if (enc.empty() || enc == "float" || enc == "f32") {
    subtype = SF_FORMAT_FLOAT;
  } else {
    error = "unknown --encoding '" + encoding + "': use 16, 24, 32 or float";
    return std::nullopt;
  }
  if (container->format == SF_FORMAT_FLAC && (subtype == SF_FORMAT_FLOAT || out.bits == 32)) {
    error = "FLAC stores 16 or 24 bits; --encoding '" + encoding + "' does not fit";
    return std::nullopt;
  }

  out.sf_format = container->format | subtype;
  if (out.description.empty())
    out.description = std::string(container->name) + " " +
                      (out.bits ? std::to_string(out.bits) + "-bit PCM" : "32-bit float");
  SF_INFO probe{};
  probe.samplerate = 48000;
  probe.channels = 2;
  probe.format = out.sf_format;
  if (!sf_format_check(&probe)) {
    error = out.description + " is not a format libsndfile can write";
    return std::nullopt;
  }
  return out;
}

} // namespace rc
