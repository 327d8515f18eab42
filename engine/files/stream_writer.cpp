// engine/files/stream_writer.cpp - see stream_writer.hpp.
#include "engine/files/stream_writer.hpp"

#include <sndfile.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <unistd.h>

namespace rc {

namespace {

void put16(std::vector<std::uint8_t>& out, std::uint32_t v) {
  out.push_back(static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
}
void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  put16(out, v & 0xFFFFu);
  put16(out, v >> 16);
}
void put_tag(std::vector<std::uint8_t>& out, const char* tag) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(tag[i]));
}

// The largest size a RIFF reader takes for a stream of unknown length (arecord's choice).
constexpr std::uint32_t unknown_size = 0x7FFFFFFFu;

bool is_raw(const OutputFormat& format) {
  return (format.sf_format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RAW;
}

} // namespace

std::string stream_format_problem(const OutputFormat& format) {
  const int major = format.sf_format & SF_FORMAT_TYPEMASK;
  const int sub = format.sf_format & SF_FORMAT_SUBMASK;
  if (major != SF_FORMAT_RF64 && major != SF_FORMAT_WAV && major != SF_FORMAT_RAW)
    return "standard output takes WAV or raw (-t wav, -t raw), not " + format.description;
  if (!format.auto_rf64 && major == SF_FORMAT_RF64)
    return "standard output takes WAV or raw (-t wav, -t raw), not " + format.description;
  if (sub != SF_FORMAT_PCM_16 && sub != SF_FORMAT_PCM_24 && sub != SF_FORMAT_PCM_32 &&
      sub != SF_FORMAT_FLOAT)
    return "standard output takes 16, 24 or 32-bit PCM or float, not " + format.description;
  return {};
}

std::vector<std::uint8_t> wav_stream_header(int rate, int channels, int bits, bool is_float,
                                            std::optional<std::uint64_t> frames) {
  const std::uint32_t block =
      static_cast<std::uint32_t>(channels) * static_cast<std::uint32_t>(bits / 8);
  // Plain PCM for 16 bits and up to two channels; otherwise WAVE_FORMAT_EXTENSIBLE, which
  // readers want for more bits or channels. Float: format 3 with its cbSize (0).
  const bool extensible = !is_float && (bits > 16 || channels > 2);
  const std::uint32_t fmt_size = extensible ? 40 : is_float ? 18 : 16;
  const std::uint32_t fact_size = is_float ? 12 : 0; // non-PCM WAV carries a fact chunk
  const std::uint32_t header = 12 + 8 + fmt_size + fact_size + 8;
  std::uint32_t data = unknown_size - header + 8;
  std::uint32_t sample_frames = unknown_size / std::max<std::uint32_t>(block, 1);
  if (frames && *frames * block <= std::uint64_t{unknown_size} - header) {
    data = static_cast<std::uint32_t>(*frames * block);
    sample_frames = static_cast<std::uint32_t>(*frames);
  }
  std::vector<std::uint8_t> out;
  out.reserve(header);
  put_tag(out, "RIFF");
  put32(out, header - 8 + data);
  put_tag(out, "WAVE");
  put_tag(out, "fmt ");
  put32(out, fmt_size);
  put16(out, extensible ? 0xFFFEu : is_float ? 3u : 1u);
  put16(out, static_cast<std::uint32_t>(channels));
  put32(out, static_cast<std::uint32_t>(rate));
  put32(out, static_cast<std::uint32_t>(rate) * block);
  put16(out, block);
  put16(out, static_cast<std::uint32_t>(bits));
  if (is_float) put16(out, 0); // cbSize
  if (extensible) {
    put16(out, 22);                                               // cbSize
    put16(out, static_cast<std::uint32_t>(bits));                 // valid bits
    put32(out, channels == 1 ? 0x4u : channels == 2 ? 0x3u : 0u); // speakers: none named past 2
    // KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71.
    static constexpr std::uint8_t pcm_guid[16] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                                                  0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};
    for (const std::uint8_t byte : pcm_guid) out.push_back(byte);
  }
  if (is_float) {
    put_tag(out, "fact");
    put32(out, 4);
    put32(out, sample_frames);
  }
  put_tag(out, "data");
  put32(out, data);
  return out;
}

StreamWriter::StreamWriter(int fd, const OutputFormat& format, int rate, int channels,
                           std::optional<std::uint64_t> frames)
    : fd_(fd), channels_(channels), bits_(format.bits ? format.bits : 32),
      is_float_(format.bits == 0) {
  if (const std::string problem = stream_format_problem(format); !problem.empty())
    throw std::invalid_argument(problem);
  if (is_raw(format)) return;
  const std::vector<std::uint8_t> header =
      wav_stream_header(rate, channels, bits_, is_float_, frames);
  if (!write_bytes(header.data(), header.size()) && !reader_gone_) throw std::runtime_error(error_);
}

bool StreamWriter::write_bytes(const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (errno == EPIPE)
        reader_gone_ = true;
      else
        error_ = std::string("write to standard output failed: ") + std::strerror(errno);
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool StreamWriter::write(ConstFrames frames) {
  if (reader_gone_ || !error_.empty()) return false;
  if (frames.channels != channels_) {
    error_ = "write to standard output failed: " + std::to_string(frames.channels) +
             "-channel frames for a " + std::to_string(channels_) + "-channel stream";
    return false;
  }
  const std::size_t bytes_per_sample = static_cast<std::size_t>(bits_ / 8);
  bytes_.resize(frames.samples() * bytes_per_sample);
  std::uint8_t* out = bytes_.data();
  if (is_float_) {
    std::memcpy(out, frames.data, frames.samples() * sizeof(float)); // little-endian hosts
  } else {
    // Full scale is 2^(bits-1); clipped to the range, rounded to the nearest step.
    const double scale = std::ldexp(1.0, bits_ - 1);
    const double top = scale - 1;
    for (std::size_t i = 0; i < frames.samples(); ++i) {
      const double v = std::clamp(std::nearbyint(double(frames.data[i]) * scale), -scale, top);
      const auto word = static_cast<std::uint32_t>(static_cast<std::int32_t>(v));
      for (std::size_t b = 0; b < bytes_per_sample; ++b)
        *out++ = static_cast<std::uint8_t>(word >> (8 * b));
    }
  }
  if (!write_bytes(bytes_.data(), bytes_.size())) return false;
  frames_written_ += frames.frames;
  return true;
}

} // namespace rc
