// app/progress_bar.cpp - see progress_bar.hpp.
#include "app/progress_bar.hpp"

#include <string>
#include <unistd.h>

namespace rc::app {

ProgressBar::ProgressBar(std::FILE* out, bool quiet, bool forced)
    : out_(out), quiet_(quiet), forced_(forced), terminal_(isatty(fileno(out)) == 1),
      next_plain_(forced ? 0.0 : 2.0) {}

void ProgressBar::update(const std::vector<std::unique_ptr<ProcessProgress>>& jobs) {
  if (quiet_) return;
  // Each pass counts as a full read of the input: norm's measuring pass is real work too.
  double done = 0, total = 0;
  for (const auto& j : jobs) {
    const double frames = double(j->frames_total.load());
    total += frames * j->passes.load();
    done += frames * (j->pass.load() - 1) + double(j->frames_done.load());
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fraction = total > 0 ? std::min(1.0, done / total) : 0.0;
  const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0.0;
  // Real-time factor over the first job's rate is not known here; use frames per second / 48k
  // only as a fallback: the summary line afterwards gives the exact figure per file.
  const double speed = elapsed > 0 ? done / elapsed : 0.0;
  last_speed_ = speed;
  if (terminal_) {
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(width, '-');
    std::fprintf(out_, "\r[%s] %5.1f%%  %.0f kframes/s  ETA %.1f s\x1b[K", bar.c_str(),
                 100 * fraction, speed / 1000, eta);
    std::fflush(out_);
    drawn_ = true;
  } else if (elapsed >= next_plain_) {
    std::fprintf(out_, "progress %5.1f%%  %.0f kframes/s  ETA %.1f s\n", 100 * fraction,
                 speed / 1000, eta);
    next_plain_ = elapsed + (forced_ ? 1.0 : 5.0);
  }
}

void ProgressBar::finish() {
  if (drawn_) std::fputc('\n', out_);
  drawn_ = false;
  if (forced_ && !quiet_ && !terminal_) {
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    std::fprintf(out_, "progress 100.0%%  %.0f kframes/s  done in %.1f s\n", last_speed_ / 1000,
                 elapsed);
  }
}

} // namespace rc::app
