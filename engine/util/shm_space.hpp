// engine/util/shm_space.hpp - is there room in /dev/shm? Asked before anything maps memory there:
// a mapping of a file on a full tmpfs is not refused, its first write dies of SIGBUS.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rc {

/// What a run will keep in /dev/shm (POSIX shared memory on Linux) beyond PortAudio's own needs.
struct ShmNeed {
  std::uint64_t bytes = 0; ///< How much.
  std::string what;        ///< Who, for the message ("the tap 'desk'"); empty when bytes is 0.
};

/// Any thread. Returns: the bytes an unprivileged process may still write to `dir` (statvfs), or
/// nothing when that cannot be told (no such directory).
[[nodiscard]] std::optional<std::uint64_t> free_bytes(const std::string& dir) noexcept;

/// Main thread. Effects: none when `dir` has at least `bytes` free, or when its space cannot be
/// told. Throws: std::runtime_error otherwise, one line naming `dir`, what is free, how much is
/// needed and for `what`.
void require_free_bytes(const std::string& dir, std::uint64_t bytes, const std::string& what);

/// Returns: "12 KiB", "2.3 MiB": a size for people.
[[nodiscard]] std::string size_text(std::uint64_t bytes);

} // namespace rc
