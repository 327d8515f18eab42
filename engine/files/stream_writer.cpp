// engine/files/stream_writer.cpp - see stream_writer.hpp.
#include "engine/files/stream_writer.hpp"

#include "engine/files/pcm_sample.hpp"

#include "engine/files/wav_header.hpp"

#include <sndfile.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <sys/uio.h>
#include <unistd.h>

namespace rc {

namespace {

// Frames converted at a time: the conversion buffer is sized for this once, never grown.
constexpr std::size_t chunk_frames = 4096;

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

StreamWriter::StreamWriter(int fd, const OutputFormat& format, int rate, int channels,
                           std::optional<std::uint64_t> frames)
    : fd_(fd), channels_(channels), bits_(format.bits ? format.bits : 32),
      is_float_(format.bits == 0) {
  if (const std::string problem = stream_format_problem(format); !problem.empty())
    throw std::invalid_argument(problem);
  // Integer samples are converted a chunk at a time into a buffer sized here, once.
  if (!is_float_)
    bytes_.resize(chunk_frames * static_cast<std::size_t>(channels) *
                  static_cast<std::size_t>(bits_ / 8));
  if (is_raw(format)) return;
  // Sent with the first samples, in one system call: a reader that detects the format from its
  // first read of a pipe (sox) needs more than the header there.
  header_ = wav_header(WavSpec{rate, channels, bits_, is_float_}, WavTarget::stream, frames);
}

bool StreamWriter::finalize() {
  if (header_.empty()) return true;
  const std::vector<std::uint8_t> header = std::move(header_);
  header_.clear();
  return write_bytes(header.data(), header.size()) || reader_gone_;
}

bool StreamWriter::write_bytes(const std::uint8_t* data, std::size_t size) {
  if (!header_.empty()) {
    iovec parts[2] = {{header_.data(), header_.size()}, {const_cast<std::uint8_t*>(data), size}};
    ssize_t n;
    do n = ::writev(fd_, parts, 2);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
      if (errno == EPIPE)
        reader_gone_ = true;
      else
        error_ = std::string("write to standard output failed: ") + std::strerror(errno);
      return false;
    }
    // The header's rest (a short write), then the samples' rest.
    const auto sent = static_cast<std::size_t>(n);
    const std::vector<std::uint8_t> header = std::move(header_);
    header_.clear();
    if (sent < header.size()) {
      if (!write_bytes(header.data() + sent, header.size() - sent)) return false;
      return write_bytes(data, size);
    }
    data += sent - header.size();
    size -= sent - header.size();
  }
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
  if (is_float_) {
    // The samples are the stream's bytes already (little-endian hosts): no copy.
    static_assert(std::endian::native == std::endian::little);
    if (!write_bytes(reinterpret_cast<const std::uint8_t*>(frames.data),
                     frames.samples() * sizeof(float)))
      return false;
    frames_written_ += frames.frames;
    return true;
  }
  const std::size_t bytes_per_sample = static_cast<std::size_t>(bits_ / 8);
  while (!frames.empty()) {
    const ConstFrames chunk = frames.first(std::min(frames.frames, chunk_frames));
    std::uint8_t* out = bytes_.data();
    for (std::size_t i = 0; i < chunk.samples(); ++i) {
      const auto word = static_cast<std::uint32_t>(pcm_sample(chunk.data[i], bits_));
      for (std::size_t b = 0; b < bytes_per_sample; ++b)
        *out++ = static_cast<std::uint8_t>(word >> (8 * b));
    }
    if (!write_bytes(bytes_.data(), chunk.samples() * bytes_per_sample)) return false;
    frames_written_ += chunk.frames;
    frames = frames.from(chunk.frames);
  }
  return true;
}

} // namespace rc
