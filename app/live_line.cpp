// app/live_line.cpp - see live_line.hpp.
#include "app/live_line.hpp"

#include "engine/dsp/level_meter.hpp"

#include <cmath>
#include <string>
#include <unistd.h>

namespace rc::app {

namespace {

constexpr double hold_seconds = 1.5;
constexpr double plain_every_seconds = 5.0;
constexpr int bar_width = 20;
constexpr double floor_db = -60.0;

std::string clock_text(double seconds) {
  const int total = static_cast<int>(seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d:%04.1f", total / 3600, (total / 60) % 60,
                std::fmod(seconds, 60.0));
  return buf;
}

int bar_cells(double db) {
  if (!std::isfinite(db) || db <= floor_db) return 0;
  const double fraction = (db - floor_db) / -floor_db;
  return static_cast<int>(std::lround(std::min(1.0, fraction) * bar_width));
}

// "[#########-------|   ]" : level as #, peak hold as |.
std::string meter(float peak, float held) {
  const int level = bar_cells(to_dbfs(peak));
  const int hold = bar_cells(to_dbfs(held));
  std::string bar(bar_width, ' ');
  for (int i = 0; i < level; ++i) bar[i] = '#';
  if (hold > 0) bar[hold - 1] = '|';
  return "[" + bar + "]";
}

std::string db_text(float peak) {
  const double db = to_dbfs(peak);
  char buf[16];
  if (std::isfinite(db) && db > -100)
    std::snprintf(buf, sizeof buf, "%6.1f", db);
  else
    std::snprintf(buf, sizeof buf, "%6s", "-inf");
  return buf;
}

} // namespace

std::string channel_cells(const std::vector<float>& peaks) {
  static constexpr const char* cells[] = {" ",      "\u2581", "\u2582", "\u2583", "\u2584",
                                          "\u2585", "\u2586", "\u2587", "\u2588"};
  std::string out;
  for (const float peak : peaks) {
    const double db = to_dbfs(peak);
    const double fraction = std::isfinite(db) && db > floor_db ? (db - floor_db) / -floor_db : 0.0;
    out += cells[std::lround(std::min(1.0, fraction) * 8)];
  }
  return out;
}

std::string loudest_text(const std::vector<float>& peaks) {
  std::size_t loudest = 0;
  for (std::size_t c = 1; c < peaks.size(); ++c)
    if (peaks[c] > peaks[loudest]) loudest = c;
  if (peaks.empty() || !(peaks[loudest] > 0)) return "-inf dBFS";
  return db_text(peaks[loudest]).substr(db_text(peaks[loudest]).find_first_not_of(' ')) +
         " dBFS (ch " + std::to_string(loudest + 1) + ")";
}

LiveLine::LiveLine(std::FILE* out) : out_(out), terminal_(isatty(fileno(out)) == 1) {}

void LiveLine::update(const CaptureStatus& s) {
  const double now = s.elapsed_seconds;
  held_peak_.resize(s.peak.size());
  held_until_.resize(s.peak.size());
  for (std::size_t c = 0; c < s.peak.size(); ++c) {
    if (s.peak[c] >= held_peak_[c] || now >= held_until_[c]) {
      held_peak_[c] = s.peak[c];
      held_until_[c] = now + hold_seconds;
    }
  }
  if (s.clipped_samples > clipped_seen_)
    clipped_seen_ = s.clipped_samples, clip_until_ = now + hold_seconds;
  const char* clip = now < clip_until_ ? " CLIP" : "     ";
  // A triggered capture says whether it is waiting or recording, and which take.
  std::string take;
  if (s.armed_mode)
    take = s.recording_take ? "  TAKE " + std::to_string(s.takes)
                            : "  ARMED (" + std::to_string(s.takes) + " takes)";

  const bool stereo = s.peak.size() == 2;
  if (terminal_ && !stereo) {
    std::fprintf(out_, "\r%s%s  |%s| max %s%s  ring %5.1f%%  overruns %llu  gaps %llu\x1b[K",
                 clock_text(now).c_str(), take.c_str(), channel_cells(s.peak).c_str(),
                 loudest_text(held_peak_).c_str(), clip, 100.0 * s.ring_fill,
                 static_cast<unsigned long long>(s.overrun_events),
                 static_cast<unsigned long long>(s.host_gap_events));
    std::fflush(out_);
    drawn_ = true;
  } else if (terminal_) {
    std::fprintf(out_, "\r%s%s  L%s%s  R%s%s%s  ring %5.1f%%  overruns %llu  gaps %llu\x1b[K",
                 clock_text(now).c_str(), take.c_str(), meter(s.peak[0], held_peak_[0]).c_str(),
                 db_text(held_peak_[0]).c_str(), meter(s.peak[1], held_peak_[1]).c_str(),
                 db_text(held_peak_[1]).c_str(), clip, 100.0 * s.ring_fill,
                 static_cast<unsigned long long>(s.overrun_events),
                 static_cast<unsigned long long>(s.host_gap_events));
    std::fflush(out_);
    drawn_ = true;
  } else if (now >= next_plain_at_) {
    const std::string peak =
        stereo ? "L " + db_text(held_peak_[0]) + " R " + db_text(held_peak_[1]) + " dBFS"
               : "max " + loudest_text(held_peak_);
    std::fprintf(out_,
                 "%s%s  peak %s  ring %.1f%%  overruns %llu (%llu frames)  host gaps %llu "
                 "(%llu frames)  xrun flags %llu\n",
                 clock_text(now).c_str(), take.c_str(), peak.c_str(), 100.0 * s.ring_fill,
                 static_cast<unsigned long long>(s.overrun_events),
                 static_cast<unsigned long long>(s.overrun_frames),
                 static_cast<unsigned long long>(s.host_gap_events),
                 static_cast<unsigned long long>(s.host_gap_frames),
                 static_cast<unsigned long long>(s.xruns));
    next_plain_at_ = now + plain_every_seconds;
  }
}

CaptureStatusCallback LiveLine::updater(bool quiet) {
  if (quiet) return {};
  return [this](const CaptureStatus& s) { update(s); };
}

void LiveLine::finish() {
  if (drawn_) std::fputc('\n', out_);
  drawn_ = false;
}

} // namespace rc::app
