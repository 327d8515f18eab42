// engine/files/wav_header.hpp - the bytes of a RIFF/WAVE header that readers, sox included, take
// without a warning: one place for what a stream (`capture -`) and a float WAV file write.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace rc {

/// What the samples of a WAV file are.
struct WavSpec {
  int rate = 0;          ///< Frames per second.
  int channels = 0;      ///< 1 to 65535.
  int bits = 0;          ///< 16, 24 or 32.
  bool is_float = false; ///< 32-bit IEEE float (then `bits` is 32).

  /// Returns: bytes per frame (channels times bytes per sample).
  [[nodiscard]] std::uint32_t block_bytes() const noexcept {
    return static_cast<std::uint32_t>(channels) * static_cast<std::uint32_t>(bits / 8);
  }
};

/// Where the header goes: a stream, written once and never patched, or a file whose header is
/// rewritten in place as it grows and may become RF64.
enum class WavTarget { stream, file };

/// The largest RIFF size a 32-bit field holds: a file whose RIFF size would pass it is RF64.
inline constexpr std::uint64_t riff_size_limit = 0xFFFFFFFFu;

/// The size a stream of unknown length gives its RIFF chunk: the largest every reader takes (as
/// arecord writes to a pipe).
inline constexpr std::uint32_t stream_unknown_size = 0x7FFFFFFFu;

/// Returns: the header for `frames` frames of `spec` (pure; any thread). The fmt chunk is plain
/// PCM (format 1, 16 bytes) for 16-bit integer samples in up to two channels,
/// WAVE_FORMAT_EXTENSIBLE (40 bytes, PCM subtype) for more bits or channels, and for float
/// IEEE_FLOAT (format 3) with its cbSize of 0 (18 bytes) and a fact chunk, at any channel count:
/// sox 14.4.2 warns about every other float layout (libsndfile's 16-byte fmt; extensible float).
/// The data chunk comes last: its samples start at the header's size.
///
/// WavTarget::stream: sizes exact when `frames` is known and fits, otherwise the largest a
/// reader takes (stream_unknown_size).
/// WavTarget::file: `frames` is the count so far (nullopt counts as 0); a 36-byte chunk follows
/// "WAVE": "JUNK" while the RIFF size fits in `limit` (readers skip it), and past `limit` a
/// "ds64" with the 64-bit sizes, "RF64" in place of "RIFF" and 0xFFFFFFFF in the 32-bit sizes
/// (EBU Tech 3306). Both forms are the same size, so a writer patches its file in place.
/// Preconditions: `limit` at most riff_size_limit (a smaller one lets tests reach RF64).
std::vector<std::uint8_t> wav_header(const WavSpec& spec, WavTarget target,
                                     std::optional<std::uint64_t> frames,
                                     std::uint64_t limit = riff_size_limit);

} // namespace rc
