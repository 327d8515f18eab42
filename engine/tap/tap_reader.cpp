// engine/tap/tap_reader.cpp - see tap_reader.hpp.
#include "engine/tap/tap_reader.hpp"

#include "engine/util/monotonic_clock.hpp"
#include "engine/util/text.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

namespace rc {

TapReader::TapReader(const std::string& name, std::chrono::milliseconds ready_wait) : name_(name) {
  if (const std::string problem = tap_name_problem(name); !problem.empty())
    throw std::invalid_argument(problem);
  const std::string object = tap_object_name(name);
  const std::int64_t deadline = monotonic_ns() + std::int64_t{ready_wait.count()} * 1'000'000;
  for (;;) {
    const UniqueFd fd(::shm_open(object.c_str(), O_RDONLY, 0));
    if (fd.fd < 0) {
      if (errno == ENOENT)
        throw std::runtime_error("no tap '" + name +
                                 "': no capture publishes it (start one with "
                                 "'ringcorder capture FILE --tap " +
                                 name + "')");
      throw std::runtime_error("cannot open the tap '" + name + "' (" + object +
                               "): " + std::strerror(errno));
    }
    struct stat st {};
    if (::fstat(fd.fd, &st) != 0)
      throw std::runtime_error("cannot open the tap '" + name + "': " + std::strerror(errno));
    if (st.st_size >= 128) {
      ShmMapping map(fd.fd, static_cast<std::size_t>(st.st_size), false, "the tap '" + name + "'");
      const ringbuf::ShmRegionCheck check = ringbuf::ShmSlotReader::check(map.data(), map.size());
      if (check == ringbuf::ShmRegionCheck::ready) {
        mapping_ = std::move(map);
        break;
      }
      if (check == ringbuf::ShmRegionCheck::incompatible)
        throw std::runtime_error("the tap '" + name + "' (" + object +
                                 ") holds another layout (another ringcorder version?)");
    }
    if (monotonic_ns() > deadline)
      throw std::runtime_error("the tap '" + name +
                               "' is not ready: its capture never finished "
                               "setting it up (" +
                               object + ")");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ring_.emplace(mapping_.data(), mapping_.size(), ringbuf::ShmSlotReader::Start::oldest);
  const ringbuf::ShmRingParams& p = ring_->params();
  if (p.channels < 1 || p.channels > std::uint32_t{max_channels} ||
      p.frame_bytes != sizeof(float) * p.channels || p.rate == 0)
    throw std::runtime_error("the tap '" + name + "' holds another layout (" +
                             std::to_string(p.channels) + " channels, " +
                             std::to_string(p.frame_bytes) + "-byte frames)");
  start_sequence_ = ring_->cursor();
  buffer_.resize(std::size_t{slot_frames()} * p.channels);
}

TapEvent TapReader::next(TapBlock& block) {
  // The state first: once `finished` is seen, published() is final, so finding nothing new after
  // it means everything has been read.
  const bool finished = ring_->state() == ringbuf::ShmRingState::finished;
  const ringbuf::ShmSlotRead r = ring_->read(std::as_writable_bytes(std::span(buffer_)));
  missed_blocks_ += r.missed;
  pending_missed_ += r.missed;
  if (r.copied) {
    const std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(r.slot.frames),
                                                r.slot.bytes / ring_->params().frame_bytes);
    const std::uint64_t first = r.slot.first_frame;
    // The copy starts where the reader attached: slots lapped before the first copy are missed
    // frames too.
    if (!first_frame_) first_frame_ = next_frame_ = ring_->start_frame().value_or(first);
    block.sequence = r.slot.sequence;
    block.first_frame = first;
    block.frames = ConstFrames{buffer_.data(), std::min<std::size_t>(n, slot_frames()), channels()};
    block.timestamp_ns = r.slot.timestamp_ns;
    block.missed_blocks = pending_missed_;
    block.missed_frames = first > next_frame_ ? first - next_frame_ : 0;
    pending_missed_ = 0;
    missed_frames_ += block.missed_frames;
    next_frame_ = first + block.frames.frames;
    ++blocks_;
    frames_ += block.frames.frames;
    return TapEvent::block;
  }
  if (finished) return TapEvent::finished;
  if (const auto event = check_writer()) return *event;
  return TapEvent::idle;
}

std::optional<TapEvent> TapReader::check_writer() {
  const std::int64_t now = monotonic_ns();
  if (now < next_check_ns_) return std::nullopt;
  next_check_ns_ = now + 100'000'000;
  const std::int64_t pid = ring_->writer_pid();
  std::string reason;
  if (!process_alive(pid)) {
    reason = "the capture publishing the tap '" + name_ + "' (pid " + std::to_string(pid) +
             ") is gone: it ended without finishing (crashed or killed)";
  } else if (const std::int64_t silent = now - ring_->heartbeat_ns();
             silent > std::int64_t{heartbeat_timeout.count()} * 1'000'000) {
    reason = "the capture publishing the tap '" + name_ + "' (pid " + std::to_string(pid) +
             ") is gone: no heartbeat for " + format_double("%.1f s", double(silent) / 1e9) +
             " (stopped or hung)";
  } else {
    return std::nullopt;
  }
  // A capture that finished cleanly and exited between our two looks is not gone: the next call
  // reads what is left and reports `finished`.
  if (ring_->state() == ringbuf::ShmRingState::finished) return std::nullopt;
  // Nor is it gone before we have read all it published: it may have published a block after
  // our last read and then died. The next calls read (or count as missed) what is left, then
  // look again at once.
  if (ring_->published() != ring_->cursor()) {
    next_check_ns_ = now;
    return std::nullopt;
  }
  gone_reason_ = std::move(reason);
  return TapEvent::writer_gone;
}

} // namespace rc
