// engine/dsp/sample_spool.cpp - see sample_spool.hpp.
#include "engine/dsp/sample_spool.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <unistd.h>

namespace rc {

SampleSpool::~SampleSpool() {
  if (fd_ >= 0) ::close(fd_);
}

bool SampleSpool::fail(const std::string& what) {
  if (error_.empty()) error_ = what + ": " + std::strerror(errno);
  return false;
}

bool SampleSpool::start(int channels) {
  channels_ = channels;
  frames_ = 0;
  if (fd_ < 0) {
    const char* dir = std::getenv("TMPDIR");
    std::string path =
        std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/ringcorder-spool-XXXXXX";
    fd_ = ::mkostemp(path.data(), O_CLOEXEC);
    if (fd_ < 0)
      return fail("cannot create a temporary file in " + path.substr(0, path.rfind('/')));
    ::unlink(path.c_str()); // nameless from now on
  }
  if (::ftruncate(fd_, 0) != 0) return fail("cannot empty the temporary file");
  return true;
}

bool SampleSpool::append(const float* data, std::size_t frames) {
  const std::size_t bytes = frames * static_cast<std::size_t>(channels_) * sizeof(float);
  const auto* p = reinterpret_cast<const char*>(data);
  const auto offset =
      static_cast<off_t>(frames_ * static_cast<std::uint64_t>(channels_) * sizeof(float));
  for (std::size_t done = 0; done < bytes;) {
    const ssize_t n = ::pwrite(fd_, p + done, bytes - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = ENOSPC; // no error number for a write that wrote nothing
    if (n <= 0) return fail("cannot write the temporary file");
    done += static_cast<std::size_t>(n);
  }
  frames_ += frames;
  return true;
}

bool SampleSpool::read(std::uint64_t first, std::size_t frames, float* out) {
  if (first + frames > frames_) {
    errno = EINVAL;
    return fail("the temporary file is shorter than expected");
  }
  const std::size_t bytes = frames * static_cast<std::size_t>(channels_) * sizeof(float);
  auto* p = reinterpret_cast<char*>(out);
  const auto offset =
      static_cast<off_t>(first * static_cast<std::uint64_t>(channels_) * sizeof(float));
  for (std::size_t done = 0; done < bytes;) {
    const ssize_t n = ::pread(fd_, p + done, bytes - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = EIO; // the file ended early
    if (n <= 0) return fail("cannot read the temporary file");
    done += static_cast<std::size_t>(n);
  }
  return true;
}

} // namespace rc
