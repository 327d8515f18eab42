// engine/util/shm_space.cpp - see shm_space.hpp.
#include "engine/util/shm_space.hpp"

#include <sys/statvfs.h>

#include <cstdio>
#include <stdexcept>

namespace rc {

std::optional<std::uint64_t> free_bytes(const std::string& dir) noexcept {
  struct statvfs s {};
  if (::statvfs(dir.c_str(), &s) != 0) return std::nullopt;
  return std::uint64_t{s.f_bavail} * s.f_frsize;
}

std::string size_text(std::uint64_t bytes) {
  char buf[32];
  if (bytes < (std::uint64_t{1} << 20))
    std::snprintf(buf, sizeof buf, "%llu KiB", static_cast<unsigned long long>(bytes >> 10));
  else
    std::snprintf(buf, sizeof buf, "%.1f MiB", double(bytes) / double(1 << 20));
  return buf;
}

void require_free_bytes(const std::string& dir, std::uint64_t bytes, const std::string& what) {
  const std::optional<std::uint64_t> free = free_bytes(dir);
  if (!free || *free >= bytes) return;
  throw std::runtime_error(dir + " has only " + size_text(*free) + " free; about " +
                           size_text(bytes) + " is needed there for " + what +
                           ": free some space (or mount it larger)");
}

} // namespace rc
