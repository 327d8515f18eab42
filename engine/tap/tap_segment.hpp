// engine/tap/tap_segment.hpp - what the tap's publisher and readers share: the shared-memory
// object's name, its mapping, and how to tell whether its writer is still alive.
#pragma once

#include "engine/util/sanitized_build.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace rc {

/// How long a tap's heartbeat may be silent before its capture counts as gone (stopped or hung):
/// readers then end, and a new capture may take the name. 2 s; 10 s in a sanitizer build, where
/// a whole capture process was seen standing still for 2 to 5 s while it started its stream on a
/// loaded machine (ThreadSanitizer, three times in about 60 suite runs: its JACK server waited as
/// long for it), and a tap then wrongly ended on "no heartbeat".
inline constexpr std::chrono::milliseconds tap_heartbeat_timeout{sanitized_build ? 10000 : 2000};

/// The tap NAME used when none is given.
inline constexpr const char* default_tap_name = "ringcorder";

/// Returns: empty if `name` can name a tap (1 to 200 characters of A-Z a-z 0-9 . _ -, not
/// starting with '.'), otherwise why not, naming it.
std::string tap_name_problem(const std::string& name);

/// Returns: the POSIX shared-memory object of tap `name`: "/ringcorder-tap-NAME" (on Linux the
/// file /dev/shm/ringcorder-tap-NAME).
std::string tap_object_name(const std::string& name);

/// Any thread. Returns: false when process `pid` no longer exists or is a zombie (it died and
/// its parent has not reaped it yet); true otherwise (alive, or not ours to signal).
bool process_alive(std::int64_t pid) noexcept;

/// An mmap of a whole shared-memory object, unmapped on destruction. Move-only.
class ShmMapping {
public:
  ShmMapping() = default;
  /// Effects: maps `bytes` of descriptor `fd` shared, read-write or read-only.
  /// Throws: std::runtime_error naming `what` and the reason.
  ShmMapping(int fd, std::size_t bytes, bool writable, const std::string& what);
  ~ShmMapping();
  ShmMapping(ShmMapping&& other) noexcept;
  ShmMapping& operator=(ShmMapping&& other) noexcept;
  ShmMapping(const ShmMapping&) = delete;
  ShmMapping& operator=(const ShmMapping&) = delete;

  /// Returns: the first byte (page-aligned), or null when nothing is mapped.
  [[nodiscard]] void* data() const noexcept { return data_; }
  /// Returns: the mapping's length in bytes.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }

private:
  void* data_ = nullptr;
  std::size_t size_ = 0;
};

/// A file descriptor closed on destruction.
struct UniqueFd {
  int fd = -1; ///< The descriptor, or -1.
  explicit UniqueFd(int f = -1) noexcept : fd(f) {}
  ~UniqueFd();
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
};

} // namespace rc
