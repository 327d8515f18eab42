// engine/tap/tap_segment.cpp - see tap_segment.hpp.
#include "engine/tap/tap_segment.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <utility>

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

namespace rc {

std::string tap_name_problem(const std::string& name) {
  if (name.empty()) return "a tap name cannot be empty";
  if (name.size() > 200)
    return "the tap name '" + name.substr(0, 20) + "...' is over 200 characters";
  if (name.front() == '.') return "the tap name '" + name + "' starts with '.'";
  for (const char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
          c == '_' || c == '-'))
      return "the tap name '" + name + "' may hold only letters, digits, '.', '_' and '-'";
  return {};
}

std::string tap_object_name(const std::string& name) { return "/ringcorder-tap-" + name; }

bool process_alive(std::int64_t pid) noexcept {
  if (pid <= 0 || pid > 0x7fffffff) return false;
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return false;
  // A killed capture whose parent has not reaped it yet still answers kill(pid, 0): its state in
  // /proc/PID/stat ("PID (comm) S ...") is Z or X.
  try {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true; // no /proc: trust kill()
    const std::size_t close = line.rfind(')');
    if (close != std::string::npos && close + 2 < line.size()) {
      const char state = line[close + 2];
      if (state == 'Z' || state == 'X') return false;
    }
  } catch (...) {
  }
  return true;
}

ShmMapping::ShmMapping(int fd, std::size_t bytes, bool writable, const std::string& what)
    : size_(bytes) {
  void* p =
      ::mmap(nullptr, bytes, writable ? PROT_READ | PROT_WRITE : PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) throw std::runtime_error("cannot map " + what + ": " + std::strerror(errno));
  data_ = p;
}

ShmMapping::~ShmMapping() {
  if (data_) ::munmap(data_, size_);
}

ShmMapping::ShmMapping(ShmMapping&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

ShmMapping& ShmMapping::operator=(ShmMapping&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd >= 0) ::close(fd);
}

} // namespace rc
