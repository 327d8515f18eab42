// engine/files/output_format.hpp - file extension and --encoding to a libsndfile format.
#pragma once

#include <optional>
#include <string>

namespace rc {

/// A libsndfile format chosen for an output path.
struct OutputFormat {
  int sf_format = 0;       ///< SF_FORMAT_* container | SF_FORMAT_* encoding.
  bool auto_rf64 = false;  ///< WAV written as RF64 that downgrades to WAV under 4 GiB.
  int bits = 0;            ///< Bits per sample of an integer encoding; 0 for float/lossy.
  std::string description; ///< e.g. "WAV float 32-bit", for reports.
};

/// Effects: none when `path` is not an existing directory. Throws: std::runtime_error "cannot
/// write 'PATH': it is a directory" otherwise (a runtime error, exit 1, like a missing directory:
/// what the machine holds, not how the command was typed). Outputs are checked with it before
/// their format, whose complaint (no extension) would miss the point.
void refuse_directory(const std::string& path);

/// The encoding of an output whose command line names none (neither -e nor -b).
enum class DefaultEncoding {
  /// 24-bit signed PCM in every container but Ogg (Vorbis): live recordings (capture,
  /// playthrough --record, tap -o). A device's native format would say otherwise, but
  /// PortAudio does not tell it, so 24 bits it is everywhere.
  pcm24,
  /// 32-bit float, 24-bit PCM for FLAC, Vorbis for Ogg: process (offline) outputs.
  float32,
};

/// What a command line asks of an output's format, in the words of sox's format options.
struct FormatRequest {
  std::string path;     ///< The file; its extension names the container unless `type` does.
  std::string type;     ///< -t: wav, flac, ogg, aiff, caf, w64, rf64 or raw (empty: extension).
  std::string encoding; ///< -e: 16, 24, 32, float, signed-integer, floating-point (empty: default).
  int bits = 0;         ///< -b: 16, 24 or 32 (0: from the encoding, or the default).
  DefaultEncoding default_encoding = DefaultEncoding::pcm24; ///< When -e and -b name none.
};

/// Effects: picks the container from `type`, else the extension of `path` (wav, flac, ogg,
/// aiff/aif, caf, w64, rf64, raw; case-insensitive), and the encoding from `encoding` and
/// `bits` as sox does: -b alone is signed PCM of that many bits, -e signed-integer without -b
/// 24 bits, -e floating-point 32 bits (with another -b an error); neither: the request's
/// default_encoding (Vorbis for Ogg whatever it is). Returns: the format, or nullopt with
/// `error` set to a message naming what is wrong.
std::optional<OutputFormat> output_format_for(const FormatRequest& request, std::string& error);

/// Returns: output_format_for({path, "", encoding, 0, DefaultEncoding::float32}, error): an
/// output of process, whose default stays float.
std::optional<OutputFormat> output_format_for(const std::string& path, const std::string& encoding,
                                              std::string& error);

} // namespace rc
