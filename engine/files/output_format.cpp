// engine/files/output_format.cpp - see output_format.hpp.
#include "engine/files/output_format.hpp"

#include "engine/util/text.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
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
    {"rf64", SF_FORMAT_RF64, "RF64"}, {"raw", SF_FORMAT_RAW, "raw"},
    {"mp3", SF_FORMAT_MPEG, "MP3"},   {"opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, "Opus"},
};

/// The lossy containers' one encoding, and its name: Ogg Vorbis, Opus (in Ogg), MP3.
struct Lossy {
  int subtype;
  const char* description;
};
std::optional<Lossy> lossy(int container) {
  if (container == SF_FORMAT_OGG) return Lossy{SF_FORMAT_VORBIS, "Ogg Vorbis"};
  if (container == (SF_FORMAT_OGG | SF_FORMAT_OPUS)) return Lossy{SF_FORMAT_OPUS, "Opus"};
  if (container == SF_FORMAT_MPEG) return Lossy{SF_FORMAT_MPEG_LAYER_III, "MP3"};
  return std::nullopt;
}

} // namespace

void refuse_directory(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw std::runtime_error("cannot write '" + path + "': it is a directory");
}

std::optional<OutputFormat> output_format_for(const std::string& path, const std::string& encoding,
                                              std::string& error) {
  return output_format_for(FormatRequest{path, "", encoding, 0, DefaultEncoding::float32}, error);
}

std::optional<OutputFormat> output_format_for(const FormatRequest& request, std::string& error) {
  const std::string& path = request.path;
  const std::string& encoding = request.encoding;
  std::string ext = lowercase(request.type);
  if (ext.empty()) {
    ext = lowercase(std::filesystem::path(path).extension().string());
    if (!ext.empty()) ext.erase(0, 1);
  }
  const Container* container = nullptr;
  for (const Container& c : containers)
    if (ext == c.extension) container = &c;
  if (container == nullptr) {
    error = request.type.empty()
                ? "cannot tell the output format from '" + path +
                      "': use one of .wav .flac .ogg .opus .mp3 .aiff .caf .w64 .rf64, or -t TYPE"
                : "unknown file type '" + request.type +
                      "' (-t): use wav, flac, ogg, opus, mp3, aiff, caf, w64, rf64 or raw";
    return std::nullopt;
  }

  OutputFormat out;
  out.auto_rf64 = std::string_view(container->extension) == "wav";
  const std::string enc = lowercase(encoding);
  const int bits = request.bits;
  if (bits != 0 && bits != 16 && bits != 24 && bits != 32) {
    error = "-b " + std::to_string(bits) + ": the bit depth is 16, 24 or 32";
    return std::nullopt;
  }
  // The bits an -e value names itself (16, pcm24...), 0 for none; -b must agree with them.
  int named_bits = 0;
  if (enc == "16" || enc == "pcm16" || enc == "s16") named_bits = 16;
  if (enc == "24" || enc == "pcm24" || enc == "s24") named_bits = 24;
  if (enc == "32" || enc == "pcm32" || enc == "s32") named_bits = 32;
  const bool is_float = enc == "float" || enc == "f32" || enc == "floating-point";
  const bool is_signed = enc == "signed-integer" || enc == "signed";
  if (named_bits != 0 && bits != 0 && bits != named_bits) {
    error = "-e " + encoding + " and -b " + std::to_string(bits) + " disagree";
    return std::nullopt;
  }
  if (is_float && bits != 0 && bits != 32) {
    error = "floating point is 32 bits: use -b 32 or leave -b out";
    return std::nullopt;
  }
  int subtype = 0;
  const int major = container->format & SF_FORMAT_TYPEMASK;
  if (const std::optional<Lossy> compressed = lossy(container->format)) {
    if ((!enc.empty() && enc != "vorbis" && enc != "opus" && enc != "mp3") || bits != 0) {
      error = std::string(compressed->description) + " output has one encoding; " +
              (bits != 0 ? "-b " + std::to_string(bits) : "--encoding '" + encoding + "'") +
              " does not apply";
      return std::nullopt;
    }
    subtype = compressed->subtype;
    out.description = compressed->description;
  } else if (is_float) {
    subtype = SF_FORMAT_FLOAT;
  } else if (named_bits != 0 || is_signed || bits != 0) {
    out.bits = named_bits ? named_bits : bits ? bits : 24;
    subtype = out.bits == 16   ? SF_FORMAT_PCM_16
              : out.bits == 24 ? SF_FORMAT_PCM_24
                               : SF_FORMAT_PCM_32;
  } else if (enc.empty()) {
    if (major == SF_FORMAT_FLAC || request.default_encoding == DefaultEncoding::pcm24)
      subtype = SF_FORMAT_PCM_24, out.bits = 24;
    else
      subtype = SF_FORMAT_FLOAT;
  } else {
    error = "unknown --encoding '" + encoding +
            "': use 16, 24, 32, float, signed-integer or floating-point";
    return std::nullopt;
  }
  if (major == SF_FORMAT_FLAC && (subtype == SF_FORMAT_FLOAT || out.bits == 32)) {
    error = "FLAC stores 16 or 24 bits; " +
            (encoding.empty() ? "-b " + std::to_string(bits) : "--encoding '" + encoding + "'") +
            " does not fit";
    return std::nullopt;
  }

  out.sf_format = major | subtype;
  if (out.description.empty())
    out.description = std::string(container->name) + " " +
                      (out.bits ? std::to_string(out.bits) + "-bit PCM" : "32-bit float");
  SF_INFO probe{};
  probe.samplerate = 48000; // Opus's own rate; every other container takes it too
  probe.channels = 2;
  probe.format = out.sf_format;
  if (!sf_format_check(&probe)) {
    error = out.description + " is not a format libsndfile can write";
    return std::nullopt;
  }
  return out;
}

} // namespace rc
