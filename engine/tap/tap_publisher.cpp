// engine/tap/tap_publisher.cpp - see tap_publisher.hpp.
#include "engine/tap/tap_publisher.hpp"

#include "engine/util/monotonic_clock.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace rc {

namespace {

// How long a capture may take from creating its object to formatting the ring's first word; an
// unformatted object older than this is the leftover of a capture that died setting it up.
constexpr std::chrono::seconds setup_window{10};

// Who holds the object a name names, and which object that was.
struct Holder {
  /// 0 when nobody does (a leftover: its writer died, finished, stopped beating or is this very
  /// process, or it is not a ring this version reads), -1 when another capture is still setting
  /// it up (not formatted yet, and new), or the pid of the live capture publishing it.
  std::int64_t pid = 0;
  ino_t inode = 0; ///< the object examined (0: the name named none)
};

Holder holder(const std::string& object) {
  const UniqueFd fd(::shm_open(object.c_str(), O_RDONLY, 0));
  if (fd.fd < 0) return {};
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) return {};
  const ino_t inode = st.st_ino;
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const bool new_object = now.tv_sec - st.st_mtim.tv_sec < setup_window.count();
  if (st.st_size < 128) return {new_object ? -1 : 0, inode};
  const ShmMapping map(fd.fd, static_cast<std::size_t>(st.st_size), false, object);
  const ringbuf::ShmRegionCheck check = ringbuf::ShmSlotReader::check(map.data(), map.size());
  if (check == ringbuf::ShmRegionCheck::not_ready) return {new_object ? -1 : 0, inode};
  if (check != ringbuf::ShmRegionCheck::ready) return {0, inode};
  const ringbuf::ShmSlotReader ring(map.data(), map.size());
  const std::int64_t pid = ring.writer_pid();
  const std::int64_t silent_ns = monotonic_ns() - ring.heartbeat_ns();
  if (ring.state() != ringbuf::ShmRingState::running || pid == ::getpid() || !process_alive(pid) ||
      silent_ns > std::int64_t{tap_heartbeat_timeout.count()} * 1'000'000)
    return {0, inode};
  return {pid, inode};
}

// The inode of what `object` names now, or 0 when it names nothing.
ino_t object_inode(const std::string& object) {
  const UniqueFd fd(::shm_open(object.c_str(), O_RDONLY, 0));
  struct stat st {};
  return fd.fd >= 0 && ::fstat(fd.fd, &st) == 0 ? st.st_ino : 0;
}

// The ring of a tap of this geometry. Throws: std::invalid_argument for a bad geometry.
ringbuf::ShmRingParams ring_params(TapGeometry geometry, int rate, int channels) {
  if (const std::string problem = tap_geometry_problem(geometry, channels); !problem.empty())
    throw std::invalid_argument(problem);
  const auto frame_bytes =
      static_cast<std::uint32_t>(sizeof(float)) * static_cast<std::uint32_t>(channels);
  return {geometry.slots, geometry.slot_frames * frame_bytes, frame_bytes,
          static_cast<std::uint32_t>(rate), static_cast<std::uint32_t>(channels)};
}

} // namespace

std::string tap_geometry_problem(TapGeometry geometry, int channels) {
  if (channels < 1 || channels > max_channels)
    return "a tap carries 1 to " + std::to_string(max_channels) + " channels";
  if (geometry.slots < 2 || geometry.slot_frames < 1 || geometry.slot_frames > (1u << 20))
    return "a tap needs at least 2 slots of 1 to 1048576 frames";
  const std::uint64_t frame_bytes = sizeof(float) * static_cast<std::uint64_t>(channels);
  if (std::uint64_t{geometry.slots} * geometry.slot_frames * frame_bytes > (std::uint64_t{1} << 30))
    return "--tap-slots x --tap-slot-frames: a tap is at most 1 GiB (" +
           std::to_string(frame_bytes) + " bytes a frame of " + std::to_string(channels) +
           (channels == 1 ? " channel)" : " channels)");
  return {};
}

ShmNeed tap_shm_need(const std::string& name, TapGeometry geometry, int channels) {
  if (name.empty()) return {};
  // The rate is only recorded in the ring's header: any will do for its size.
  return {ringbuf::ShmSlotWriter::region_bytes(ring_params(geometry, 48000, channels)),
          "the tap '" + name + "'"};
}

TapPublisher::TapPublisher(const std::string& name, int rate, TapGeometry geometry, int channels)
    : name_(name), object_(tap_object_name(name)), geometry_(geometry) {
  if (const std::string problem = tap_name_problem(name); !problem.empty())
    throw std::invalid_argument(problem);
  const ringbuf::ShmRingParams params = ring_params(geometry, rate, channels);
  const std::size_t bytes = ringbuf::ShmSlotWriter::region_bytes(params);

  // O_EXCL: a name in use is never shared. A leftover (its capture died, or finished and has
  // not removed it yet) is removed and the name created afresh; readers still attached to it keep
  // their mapping and find its writer gone.
  UniqueFd fd;
  for (int attempt = 0; fd.fd < 0; ++attempt) {
    fd.fd = ::shm_open(object_.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
    if (fd.fd >= 0) break;
    const int error = errno;
    if (error != EEXIST || attempt == 3)
      throw std::runtime_error("cannot create the tap '" + name + "' (" + object_ +
                               "): " + std::strerror(error));
    const Holder held = holder(object_);
    if (held.pid < 0)
      throw std::runtime_error("the tap '" + name +
                               "' is being set up by another capture; choose another name");
    if (held.pid > 0)
      throw std::runtime_error("the tap '" + name +
                               "' is already published by a running capture (pid " +
                               std::to_string(held.pid) + "); choose another name");
    // The leftover examined, not one another capture put there since (it would be theirs).
    if (held.inode != 0 && object_inode(object_) == held.inode) ::shm_unlink(object_.c_str());
  }
  struct stat st {};
  inode_ = ::fstat(fd.fd, &st) == 0 ? st.st_ino : 0;
  try {
    // posix_fallocate, not ftruncate: on a full tmpfs formatting the ring below would fault a
    // page in and die of SIGBUS; reserved here, the shortage is an error instead.
    if (const int error = ::posix_fallocate(fd.fd, 0, static_cast<off_t>(bytes)); error != 0)
      throw std::runtime_error("cannot size the tap '" + name + "' (" + object_ + ", " +
                               size_text(bytes) + "): " + std::strerror(error));
    mapping_ = ShmMapping(fd.fd, bytes, true, "the tap '" + name + "'");
    // Formats (and so touches) every page now: the worker never faults one in.
    writer_.emplace(mapping_.data(), bytes, params, static_cast<std::int64_t>(::getpid()),
                    monotonic_ns());
    beat_thread_ = std::thread([this] { beat(); });
  } catch (...) {
    unlink_if_ours();
    throw;
  }
}

void TapPublisher::unlink_if_ours() const noexcept {
  // Only while the name still names our object: once it was taken for a leftover and replaced,
  // it is another capture's.
  if (inode_ != 0 && object_inode(object_) == inode_) ::shm_unlink(object_.c_str());
}

TapPublisher::~TapPublisher() {
  {
    const std::lock_guard<std::mutex> lock(beat_mutex_);
    beat_stop_ = true;
  }
  beat_wake_.notify_one();
  if (beat_thread_.joinable()) beat_thread_.join();
  writer_->finish();
  unlink_if_ours();
}

void TapPublisher::on_frames(std::uint64_t first_frame, ConstFrames frames) noexcept {
  writer_->publish(first_frame, frames.data, frames.frames, monotonic_ns());
}

void TapPublisher::on_silence(std::uint64_t first_frame, std::uint64_t frames) noexcept {
  writer_->publish(first_frame, nullptr, static_cast<std::size_t>(frames), monotonic_ns());
}

void TapPublisher::beat() {
  std::unique_lock<std::mutex> lock(beat_mutex_);
  while (!beat_wake_.wait_for(lock, std::chrono::milliseconds(100), [this] { return beat_stop_; }))
    writer_->heartbeat(monotonic_ns());
}

} // namespace rc
