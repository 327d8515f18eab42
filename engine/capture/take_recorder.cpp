// engine/capture/take_recorder.cpp - see take_recorder.hpp.
#include "engine/capture/take_recorder.hpp"

#include "engine/files/rotating_writer.hpp" // expand_file_name
#include "engine/util/text.hpp"             // format_double

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <stdexcept>

namespace rc {

namespace {

double unix_now() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

// Files are created only at triggers, possibly hours later: a directory that cannot take them
// should stop the capture before it starts, not lose the first take.
void check_directory_writable(const std::string& pattern) {
  const std::filesystem::path first = expand_file_name(pattern, 1, std::time(nullptr), true);
  const std::filesystem::path dir = first.has_parent_path() ? first.parent_path() : ".";
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw std::runtime_error("cannot create takes in '" + dir.string() + "': no such directory");
  if (access(dir.c_str(), W_OK) != 0)
    throw std::runtime_error("cannot create takes in '" + dir.string() + "': not writable");
}

// The pre-roll's memory is bounded: a long one at a high rate is refused before the capture
// starts, saying what fits.
std::uint64_t checked_pre_roll(std::uint64_t frames, int rate, int channels) {
  const std::uint64_t most = TakeRecorder::max_pre_roll_frames(channels);
  if (frames <= most) return frames;
  const std::uint64_t frame_bytes = sizeof(float) * static_cast<std::uint64_t>(channels);
  const auto mib = [](std::uint64_t bytes) { return (bytes + (1u << 19)) >> 20; };
  throw std::runtime_error(
      "a pre-roll of " + format_double("%g", double(frames) / rate) + " s at " +
      std::to_string(rate) + " Hz would hold " + std::to_string(mib(frames * frame_bytes)) +
      " MiB in memory; the most is " + std::to_string(mib(TakeRecorder::max_pre_roll_bytes)) +
      " MiB (" + format_double("%.1f", double(most) / rate) + " s at this rate)");
}

} // namespace

TakeRecorder::TakeRecorder(std::string pattern, const OutputFormat& format, int rate,
                           bool overwrite, const TriggerOptions& options, int channels,
                           bool split_channels)
    : pattern_(std::move(pattern)), format_(format), rate_(rate), overwrite_(overwrite),
      split_channels_(split_channels), options_(options),
      history_(static_cast<std::size_t>(checked_pre_roll(options.pre_roll_frames, rate, channels)) +
                   push_step_frames,
               channels) {
  if (options_.level > 0 && options_.hold_frames == 0)
    throw std::invalid_argument("a level trigger needs a hold time above zero");
  check_directory_writable(pattern_);
}

bool TakeRecorder::write(ConstFrames frames) {
  block_end_ = position_ + frames.frames;
  block_end_time_ = unix_now();
  budget_ = (1 + drain_ratio) * frames.frames;
  if (!apply_requested_toggles()) return false;
  while (!frames.empty()) {
    if (!in_take_ && quiet_to_rearm_ > 0) {
      // A manual end while the sound went on: the level trigger waits for it to end (`hold` of
      // quiet, as a level take ends), so the toggle does end the take.
      const std::size_t n = rearm_prefix(frames);
      if (!advance(frames.first(n))) return false;
      frames = frames.from(n);
      continue;
    }
    if (!in_take_) {
      // Armed: the frames before a trigger only feed the history (the pre-roll).
      const std::size_t n = options_.level > 0 ? quiet_prefix(frames) : frames.frames;
      if (!advance(frames.first(n))) return false;
      frames = frames.from(n);
      if (frames.empty()) break;
      start_take(TakeTrigger::level);
      by_level_ = true;
      continue;
    }
    std::size_t n = frames.frames;
    bool quiet_enough = false;
    if (by_level_) {
      for (std::size_t i = 0; i < frames.frames; ++i) {
        quiet_run_ = is_loud(frames.frame(i)) ? 0 : quiet_run_ + 1;
        if (quiet_run_ == options_.hold_frames) {
          n = i + 1; // the file keeps the hold's quiet frames: a natural decay, not a cut
          quiet_enough = true;
          break;
        }
      }
    }
    if (!advance(frames.first(n))) return false;
    frames = frames.from(n);
    if (quiet_enough && !end_take(TakeEnd::quiet)) return false;
  }
  // What is left of this call's budget drains the backlog (a pre-roll, a file that waited).
  return feed(budget_);
}

void TakeRecorder::checkpoint() {
  if (file_) file_->checkpoint();
}

bool TakeRecorder::finalize() {
  if (in_take_) end_take(TakeEnd::stop);
  return feed(std::numeric_limits<std::uint64_t>::max()) && error_.empty();
}

bool TakeRecorder::apply_requested_toggles() {
  for (std::size_t source = 0; source < toggles_requested_.size(); ++source) {
    const unsigned asked = toggles_requested_[source].load(std::memory_order_relaxed);
    // Each request toggles once, in order: two quick presses make a take of the pre-roll alone.
    for (; toggles_done_[source] != asked; ++toggles_done_[source]) {
      const bool by_signal = source == static_cast<std::size_t>(ManualTrigger::signal);
      if (!in_take_)
        start_take(by_signal ? TakeTrigger::signal : TakeTrigger::enter);
      else if (!end_take(by_signal ? TakeEnd::signal : TakeEnd::enter, /*manual=*/true))
        return false;
    }
  }
  return true;
}

void TakeRecorder::start_take(TakeTrigger trigger) {
  const std::uint64_t pre = options_.pre_roll_frames;
  Take take;
  take.trigger = trigger;
  take.trigger_frame = position_;
  take.first_frame = std::max(armed_from_, position_ > pre ? position_ - pre : 0);
  take.trigger_time = wall_time_of(position_);
  takes_.push_back(std::move(take));
  in_take_ = true;
  by_level_ = false;
  quiet_run_ = 0;
  recording_.store(true, std::memory_order_relaxed);
  takes_started_.fetch_add(1, std::memory_order_relaxed);
}

bool TakeRecorder::end_take(TakeEnd reason, bool manual) {
  takes_.back().end = reason;
  ends_.push_back(position_);
  if (manual && options_.level > 0) quiet_to_rearm_ = options_.hold_frames;
  armed_from_ = position_;
  in_take_ = false;
  by_level_ = false;
  recording_.store(false, std::memory_order_relaxed);
  return feed(0); // closes the file now if it is written up to the end
}

std::uint64_t TakeRecorder::backlog() const noexcept {
  if (writing_ == takes_.size()) return 0;
  return position_ - std::max(written_to_, takes_[writing_].first_frame);
}

bool TakeRecorder::advance(ConstFrames frames) {
  while (!frames.empty()) {
    const std::size_t n = std::min(frames.frames, push_step_frames);
    // The history must keep every frame a take has still to write: write out first what these
    // frames would overwrite. The history holds the pre-roll and one step more, so this writes
    // at most as many frames as arrive.
    if (const std::uint64_t keep = backlog() + n; keep > history_.capacity())
      if (!feed(keep - history_.capacity())) return false;
    history_.push(frames.first(n));
    position_ += n;
    frames = frames.from(n);
  }
  return true;
}

bool TakeRecorder::feed(std::uint64_t limit) {
  while (writing_ < takes_.size()) {
    Take& take = takes_[writing_];
    const bool ended = writing_ < ends_.size();
    const std::uint64_t end = ended ? ends_[writing_] : position_;
    written_to_ = std::max(written_to_, take.first_frame);
    if (!file_ && !open_file(take)) return false;
    while (written_to_ < end && limit > 0) {
      const ConstFrames held = history_.held(written_to_, std::min(limit, end - written_to_));
      if (!write_file(take, held)) return false;
      written_to_ += held.frames;
      limit -= held.frames;
      budget_ -= std::min<std::uint64_t>(budget_, held.frames);
    }
    if (!ended || written_to_ < end) return true; // open, or the rest waits for the next call
    const bool ok = file_->close();
    if (!ok && error_.empty()) error_ = file_->error();
    file_.reset();
    ++writing_;
    if (!ok) return false;
  }
  return true;
}

bool TakeRecorder::open_file(Take& take) {
  try {
    // A take never replaces a file (without --force): one that exists makes the take skip to the
    // next free number, and the takes after it go on from there. Bounded: a directory holding
    // every number up to the limit is an error, like any other.
    for (unsigned tries = 0;; ++tries) {
      const unsigned number = next_number_++;
      const auto when = static_cast<std::time_t>(take.trigger_time);
      try {
        file_ = std::make_unique<FileSet>(
            pattern_,
            [&](const std::string& pattern) {
              return expand_file_name(pattern, number, when, true);
            },
            format_, rate_, overwrite_, history_.channels(), split_channels_);
        take.path = file_->paths().front();
        if (split_channels_) take.channel_paths = file_->paths();
        return true;
      } catch (const FileExists&) {
        if (tries + 1 == max_skipped_numbers) throw;
      }
    }
  } catch (const std::exception& e) {
    error_ = e.what();
    return false;
  }
}

bool TakeRecorder::write_file(Take& take, ConstFrames frames) {
  const bool ok = file_->write(frames);
  if (const auto kept = file_->frames_appended())
    take.frames = *kept;
  else if (ok)
    take.frames += frames.frames;
  if (!ok) error_ = file_->error();
  return ok;
}

bool TakeRecorder::is_loud(const float* frame) const noexcept {
  for (int c = 0; c < history_.channels(); ++c)
    if (std::fabs(frame[c]) >= options_.level) return true;
  return false;
}

std::size_t TakeRecorder::rearm_prefix(ConstFrames frames) noexcept {
  for (std::size_t i = 0; i < frames.frames; ++i) {
    quiet_to_rearm_ = is_loud(frames.frame(i)) ? options_.hold_frames : quiet_to_rearm_ - 1;
    if (quiet_to_rearm_ == 0) return i + 1;
  }
  return frames.frames;
}

std::size_t TakeRecorder::quiet_prefix(ConstFrames frames) const noexcept {
  for (std::size_t i = 0; i < frames.frames; ++i)
    if (is_loud(frames.frame(i))) return i;
  return frames.frames;
}

double TakeRecorder::wall_time_of(std::uint64_t frame) const noexcept {
  // The block's last frame arrived about now (the worker runs a poll interval behind the
  // callback): good to a few milliseconds, which is what a wall clock in a report is for.
  return block_end_time_ - double(block_end_ - frame) / rate_;
}

} // namespace rc
