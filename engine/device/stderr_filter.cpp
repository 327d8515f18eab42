// engine/device/stderr_filter.cpp - see stderr_filter.hpp.
#include "engine/device/stderr_filter.hpp"

#include <sys/types.h>

#include <cstdio>

namespace rc {

namespace {
constexpr std::string_view assertion_start = "Expression '";
constexpr std::size_t longest_held_line = 4096; // longer is not PortAudio's: let it through
} // namespace

bool StderrFilter::is_portaudio_assertion(std::string_view line) noexcept {
  return line.starts_with(assertion_start) && line.find("' failed in 'src/") != line.npos;
}

void StderrFilter::write(std::string_view bytes, std::string& forward) {
  while (!bytes.empty()) {
    const std::size_t newline = bytes.find('\n');
    const std::string_view part = bytes.substr(0, newline == bytes.npos ? bytes.size() : newline);
    const bool line_ends = newline != bytes.npos;
    bytes.remove_prefix(line_ends ? newline + 1 : bytes.size());
    if (!passing_) {
      held_.append(part);
      const std::size_t n = std::min(held_.size(), assertion_start.size());
      passing_ =
          held_.compare(0, n, assertion_start, 0, n) != 0 || held_.size() > longest_held_line;
      if (passing_) {
        forward += held_;
        held_.clear();
      } else if (line_ends) {
        if (is_portaudio_assertion(held_)) {
          ++dropped_;
        } else {
          forward += held_;
          forward += '\n';
        }
        held_.clear();
        continue;
      }
    } else {
      forward.append(part);
    }
    if (line_ends) {
      if (passing_) forward += '\n';
      passing_ = false;
    }
  }
}

namespace {
FILE* original_stderr = nullptr;
// Never destroyed: a thread PortAudio abandoned (a wedged stream) may still print while the
// process exits, after static destructors ran.
StderrFilter* const filter = new StderrFilter;

extern "C" ssize_t write_filtered(void*, const char* data, std::size_t size) {
  std::string forward; // stderr is written rarely and never from a callback we run
  filter->write(std::string_view(data, size), forward);
  if (!forward.empty()) {
    std::fwrite(forward.data(), 1, forward.size(), original_stderr);
    std::fflush(original_stderr);
  }
  return static_cast<ssize_t>(size);
}
} // namespace

void filter_portaudio_stderr() {
  if (original_stderr != nullptr) return;
  cookie_io_functions_t io{};
  io.write = &write_filtered;
  FILE* filtered = fopencookie(nullptr, "w", io);
  if (filtered == nullptr) return; // unfiltered is better than nothing
  std::setvbuf(filtered, nullptr, _IONBF, 0);
  original_stderr = stderr;
  stderr = filtered;
}

std::FILE* unfiltered_stderr() noexcept {
  return original_stderr != nullptr ? original_stderr : stderr;
}

} // namespace rc
