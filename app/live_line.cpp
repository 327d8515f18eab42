// app/live_line.cpp - see live_line.hpp.
#include "app/live_line.hpp"

#include "engine/dsp/level_meter.hpp"

#include <cmath>
#include <string>
#include <sys/ioctl.h>
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

// "[#########-------|   ]" : level as #, peak hold as |, `width` cells (bar_width at most).
std::string meter(float peak, float held, int width) {
  const auto cells = [width](float linear) {
    return static_cast<int>(std::lround(double(bar_cells(to_dbfs(linear))) * width / bar_width));
  };
  const int level = cells(peak);
  const int hold = cells(held);
  std::string bar(static_cast<std::size_t>(width), ' ');
  for (int i = 0; i < level; ++i) bar[static_cast<std::size_t>(i)] = '#';
  if (hold > 0) bar[static_cast<std::size_t>(hold - 1)] = '|';
  return "[" + bar + "]";
}

// Display cells of UTF-8 `text`: one per code point (the meters' blocks are one cell each).
int cells_of(const std::string& text) {
  int n = 0;
  for (const char ch : text) n += (static_cast<unsigned char>(ch) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

} // namespace

std::string db_text(float linear, int width) {
  const double db = to_dbfs(linear);
  char buf[32];
  if (std::isfinite(db) && db > -100)
    std::snprintf(buf, sizeof buf, "%*.1f", width, db);
  else
    std::snprintf(buf, sizeof buf, "%*s", width, "-inf");
  return buf;
}

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
  return db_text(peaks[loudest], 1) + " dBFS (ch " + std::to_string(loudest + 1) + ")";
}

std::string fit_cells(const std::string& text, int cells) {
  int n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && n++ == cells)
      return text.substr(0, i);
  }
  return text;
}

std::string live_line_text(const CaptureStatus& s, const std::vector<float>& held, bool clip,
                           double now, int width) {
  // A triggered capture says whether it is waiting or recording, and which take.
  std::string head = clock_text(now);
  if (s.armed_mode)
    head += s.recording_take ? "  TAKE " + std::to_string(s.takes)
                             : "  ARMED (" + std::to_string(s.takes) + " takes)";
  char tail[160];
  std::snprintf(tail, sizeof tail, "%s  ring %5.1f%%  overruns %llu  gaps %llu",
                clip ? " CLIP" : "     ", 100.0 * s.ring_fill,
                static_cast<unsigned long long>(s.overrun_events),
                static_cast<unsigned long long>(s.host_gap_events));
  // The meters come first: the fields after them are cut when the terminal is narrow. With the
  // whole tail they get what is left of the line; never less than the bare levels.
  const int room = std::max(width - 1 - cells_of(head) - cells_of(tail), 24);
  std::string meters;
  if (s.peak.size() == 2 && held.size() == 2) {
    // "  L[bar]-12.0  R[bar]-12.0": the bars share what is left, 20 cells each at most.
    const int bar = std::min(bar_width, (room - 2 * 11) / 2);
    for (std::size_t c = 0; c < 2; ++c)
      meters += std::string(c == 0 ? "  L" : "  R") +
                (bar >= 4 ? meter(s.peak[c], held[c], bar) : std::string(" ")) +
                db_text(held[c], 6);
  } else {
    // "  |▁▃█...| max -3.1 dBFS (ch 7)": a cell per channel as far as they fit, then the
    // loudest if there is room for it too.
    const std::string cells = channel_cells(s.peak);
    const std::string loudest = " max " + loudest_text(held);
    if (4 + cells_of(cells) + cells_of(loudest) <= room)
      meters = "  |" + cells + "|" + loudest;
    else if (4 + cells_of(cells) <= room)
      meters = "  |" + cells + "|";
    else
      meters = "  |" + fit_cells(cells, room - 5) + ">|";
  }
  return fit_cells(head + meters + tail, width - 1);
}

int terminal_width(std::FILE* out) {
  winsize size{};
  if (ioctl(fileno(out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
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
  if (terminal_) {
    // Redrawn in place, cut to the terminal's width as it is now (it may change any time).
    const std::string line =
        live_line_text(s, held_peak_, now < clip_until_, now, terminal_width(out_));
    std::fprintf(out_, "\r%s\x1b[K", line.c_str());
    std::fflush(out_);
    drawn_ = true;
  } else if (now >= next_plain_at_) {
    std::string take; // a triggered capture: waiting or recording, and which take
    if (s.armed_mode)
      take = s.recording_take ? "  TAKE " + std::to_string(s.takes)
                              : "  ARMED (" + std::to_string(s.takes) + " takes)";
    const std::string peak = s.peak.size() == 2 ? "L " + db_text(held_peak_[0], 6) + " R " +
                                                      db_text(held_peak_[1], 6) + " dBFS"
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
