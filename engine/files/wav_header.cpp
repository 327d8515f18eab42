// engine/files/wav_header.cpp - see wav_header.hpp.
#include "engine/files/wav_header.hpp"

#include <algorithm>

namespace rc {

namespace {

// Bytes pushed one by one: GCC -O3 warns falsely (stringop-overflow) on vector::insert of them.
void put16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, v & 0xFFFFu);
  put16(out, v >> 16);
}
void put64(std::vector<std::uint8_t>& out, std::uint64_t v) {
  put32(out, static_cast<std::uint32_t>(v));
  put32(out, static_cast<std::uint32_t>(v >> 32));
}
void put_tag(std::vector<std::uint8_t>& out, const char* tag) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(tag[i]));
}

constexpr std::uint32_t all_ones = 0xFFFFFFFFu;
constexpr std::uint32_t ds64_size = 28; // RIFF size, data size, sample count (64 bits), table 0

} // namespace

std::vector<std::uint8_t> wav_header(const WavSpec& spec, WavTarget target,
                                     std::optional<std::uint64_t> frames, std::uint64_t limit) {
  const std::uint32_t block = spec.block_bytes();
  // Plain PCM for 16 bits and up to two channels; otherwise WAVE_FORMAT_EXTENSIBLE, which
  // readers want for more bits or channels. Float: format 3 with its cbSize (0) and a fact chunk
  // (non-PCM WAV carries one).
  const bool extensible = !spec.is_float && (spec.bits > 16 || spec.channels > 2);
  const std::uint32_t fmt_size = extensible ? 40 : spec.is_float ? 18 : 16;
  const std::uint32_t fact_size = spec.is_float ? 12 : 0;
  const std::uint32_t reserve = target == WavTarget::file ? 8 + ds64_size : 0;
  const std::uint32_t header = 12 + reserve + 8 + fmt_size + fact_size + 8;

  std::uint64_t data = 0;
  std::uint64_t sample_frames = 0;
  bool rf64 = false;
  std::uint32_t riff32 = 0;
  std::uint32_t data32 = 0;
  std::uint32_t frames32 = 0;
  if (target == WavTarget::stream) {
    data = stream_unknown_size - header + 8;
    sample_frames = stream_unknown_size / std::max<std::uint32_t>(block, 1);
    if (frames && *frames * block <= std::uint64_t{stream_unknown_size} - header) {
      data = *frames * block;
      sample_frames = *frames;
    }
    riff32 = static_cast<std::uint32_t>(header - 8 + data);
    data32 = static_cast<std::uint32_t>(data);
    frames32 = static_cast<std::uint32_t>(sample_frames);
  } else {
    sample_frames = frames.value_or(0);
    data = sample_frames * block;
    rf64 = header - 8 + data > std::min(limit, riff_size_limit);
    riff32 = rf64 ? all_ones : static_cast<std::uint32_t>(header - 8 + data);
    data32 = rf64 ? all_ones : static_cast<std::uint32_t>(data);
    frames32 = rf64 ? all_ones : static_cast<std::uint32_t>(sample_frames);
  }

  std::vector<std::uint8_t> out;
  out.reserve(header);
  put_tag(out, rf64 ? "RF64" : "RIFF");
  put32(out, riff32);
  put_tag(out, "WAVE");
  if (reserve > 0) {
    put_tag(out, rf64 ? "ds64" : "JUNK");
    put32(out, ds64_size);
    put64(out, rf64 ? header - 8 + data : 0);
    put64(out, rf64 ? data : 0);
    put64(out, rf64 ? sample_frames : 0);
    put32(out, 0); // no table of other chunk sizes
  }
  put_tag(out, "fmt ");
  put32(out, fmt_size);
  put16(out, extensible ? 0xFFFEu : spec.is_float ? 3u : 1u);
  put16(out, static_cast<std::uint32_t>(spec.channels));
  put32(out, static_cast<std::uint32_t>(spec.rate));
  put32(out, static_cast<std::uint32_t>(spec.rate) * block);
  put16(out, block);
  put16(out, static_cast<std::uint32_t>(spec.bits));
  if (spec.is_float) put16(out, 0); // cbSize
  if (extensible) {
    put16(out, 22);                                    // cbSize
    put16(out, static_cast<std::uint32_t>(spec.bits)); // valid bits
    put32(out, spec.channels == 1   ? 0x4u             // speakers: front centre,
               : spec.channels == 2 ? 0x3u             // front left and right,
                                    : 0u);             // none named past two
    // KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71.
    static constexpr std::uint8_t pcm_guid[16] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                                                  0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    for (const std::uint8_t byte : pcm_guid) out.push_back(byte);
  }
  if (spec.is_float) {
    put_tag(out, "fact");
    put32(out, 4);
    put32(out, frames32);
  }
  put_tag(out, "data");
  put32(out, data32);
  return out;
}

} // namespace rc
