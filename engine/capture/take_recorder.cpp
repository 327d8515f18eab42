// engine/capture/take_recorder.cpp - see take_recorder.hpp.
#include "engine/capture/take_recorder.hpp"

#include "engine/files/rotating_writer.hpp" // expand_file_name

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <stdexcept>

namespace rc {

namespace {

constexpr std::size_t scratch_frames = 4096;

const char* manual_trigger_name(std::size_t source) {
  return source == static_cast<std::size_t>(ManualTrigger::signal) ? "SIGUSR1" : "Enter";
}

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

} // namespace

TakeRecorder::TakeRecorder(std::string pattern, const OutputFormat& format, int rate,
                           bool overwrite, const TriggerOptions& options)
    : pattern_(std::move(pattern)), format_(format), rate_(rate), overwrite_(overwrite),
      options_(options), pre_roll_(std::max<std::uint64_t>(1, options.pre_roll_frames)),
      scratch_(scratch_frames) {
  if (options_.level > 0 && options_.hold_frames == 0)
    throw std::invalid_argument("a level trigger needs a hold time above zero");
  check_directory_writable(pattern_);
}

bool TakeRecorder::write(std::span<const StereoFrame> frames) {
  block_end_ = position_ + frames.size();
  block_end_time_ = unix_now();
  if (!apply_requested_toggles()) return false;
  while (!frames.empty()) {
    if (!file_ && quiet_to_rearm_ > 0) {
      // A manual end while the sound went on: the level trigger waits for it to end (`hold` of
      // quiet, as a level take ends), so the toggle does end the take.
      const std::size_t n = rearm_prefix(frames);
      pre_roll_.push(frames.data(), n);
      position_ += n;
      frames = frames.subspan(n);
      continue;
    }
    if (!file_) {
      // Armed: the frames before a trigger only feed the pre-roll.
      const std::size_t n = options_.level > 0 ? quiet_prefix(frames) : frames.size();
      pre_roll_.push(frames.data(), n);
      position_ += n;
      frames = frames.subspan(n);
      if (frames.empty()) break;
      if (!start_take("level")) return false;
      by_level_ = true;
      continue;
    }
    std::size_t n = frames.size();
    bool quiet_enough = false;
    if (by_level_) {
      for (std::size_t i = 0; i < frames.size(); ++i) {
        const StereoFrame f = frames[i];
        quiet_run_ =
            std::max(std::fabs(f.left), std::fabs(f.right)) >= options_.level ? 0 : quiet_run_ + 1;
        if (quiet_run_ == options_.hold_frames) {
          n = i + 1; // the file keeps the hold's quiet frames: a natural decay, not a cut
          quiet_enough = true;
          break;
        }
      }
    }
    if (!record(frames.first(n))) return false;
    frames = frames.subspan(n);
    if (quiet_enough && !end_take("quiet")) return false;
  }
  return true;
}

void TakeRecorder::checkpoint() {
  if (file_) file_->checkpoint();
}

bool TakeRecorder::finalize() {
  if (file_) return end_take("stop");
  return error_.empty();
}

bool TakeRecorder::apply_requested_toggles() {
  for (std::size_t source = 0; source < toggles_requested_.size(); ++source) {
    const unsigned asked = toggles_requested_[source].load(std::memory_order_relaxed);
    // Each request toggles once, in order: two quick presses make a take of the pre-roll alone.
    for (; toggles_done_[source] != asked; ++toggles_done_[source]) {
      const char* name = manual_trigger_name(source);
      if (file_ ? !end_take(name, /*manual=*/true) : !start_take(name)) return false;
    }
  }
  return true;
}

bool TakeRecorder::start_take(const char* trigger) {
  const std::uint64_t pre = options_.pre_roll_frames;
  Take take;
  take.trigger = trigger;
  take.trigger_frame = position_;
  take.first_frame = std::max(armed_from_, position_ > pre ? position_ - pre : 0);
  take.trigger_time = wall_time_of(position_);
  try {
    // A take never replaces a file (without --force): one that exists makes the take skip to the
    // next free number, and the takes after it go on from there. Bounded: a directory holding
    // every number up to the limit is an error, like any other.
    for (unsigned tries = 0;; ++tries) {
      take.path = expand_file_name(pattern_, next_number_++,
                                   static_cast<std::time_t>(take.trigger_time), true);
      try {
        file_ = std::make_unique<SoundFileWriter>(take.path, format_, rate_, overwrite_);
        break;
      } catch (const FileExists&) {
        if (tries + 1 == max_skipped_numbers) throw;
      }
    }
  } catch (const std::exception& e) {
    error_ = e.what();
    return false;
  }
  takes_.push_back(std::move(take));
  by_level_ = false;
  quiet_run_ = 0;
  recording_.store(true, std::memory_order_relaxed);
  takes_started_.fetch_add(1, std::memory_order_relaxed);
  return write_pre_roll(takes_.back().first_frame);
}

bool TakeRecorder::write_pre_roll(std::uint64_t from) {
  // The ring's sequence numbers are timeline positions and it holds at least the last
  // pre_roll_frames, so [from, position_) is all there; one thread writes and reads it.
  ringbuf::OverwriteRing<StereoFrame>::Cursor cursor{from};
  while (cursor.next < position_) {
    const auto want =
        static_cast<std::size_t>(std::min<std::uint64_t>(scratch_.size(), position_ - cursor.next));
    const ringbuf::OverwriteReadResult got =
        pre_roll_.read(cursor, std::span<StereoFrame>(scratch_.data(), want));
    if (got.lost != 0 || got.copied == 0) {
      error_ = "internal error: the pre-roll ring lost frames";
      return false;
    }
    if (!file_->write(std::span<const StereoFrame>(scratch_.data(), got.copied))) {
      error_ = file_->error();
      return false;
    }
    takes_.back().frames += got.copied;
  }
  return true;
}

bool TakeRecorder::record(std::span<const StereoFrame> frames) {
  pre_roll_.push(frames.data(), frames.size()); // keeps sequence number = timeline position
  position_ += frames.size();
  const bool ok = file_->write(frames);
  Take& take = takes_.back();
  if (const auto kept = file_->frames_appended())
    take.frames = *kept;
  else if (ok)
    take.frames += frames.size();
  if (!ok) error_ = file_->error();
  return ok;
}

bool TakeRecorder::end_take(const char* reason, bool manual) {
  takes_.back().end = reason;
  if (manual && options_.level > 0) quiet_to_rearm_ = options_.hold_frames;
  const bool ok = file_->close();
  if (!ok && error_.empty()) error_ = file_->error();
  file_.reset();
  armed_from_ = position_;
  by_level_ = false;
  recording_.store(false, std::memory_order_relaxed);
  return ok;
}

std::size_t TakeRecorder::rearm_prefix(std::span<const StereoFrame> frames) noexcept {
  for (std::size_t i = 0; i < frames.size(); ++i) {
    const bool loud =
        std::max(std::fabs(frames[i].left), std::fabs(frames[i].right)) >= options_.level;
    quiet_to_rearm_ = loud ? options_.hold_frames : quiet_to_rearm_ - 1;
    if (quiet_to_rearm_ == 0) return i + 1;
  }
  return frames.size();
}

std::size_t TakeRecorder::quiet_prefix(std::span<const StereoFrame> frames) const noexcept {
  for (std::size_t i = 0; i < frames.size(); ++i)
    if (std::max(std::fabs(frames[i].left), std::fabs(frames[i].right)) >= options_.level) return i;
  return frames.size();
}

double TakeRecorder::wall_time_of(std::uint64_t frame) const noexcept {
  // The block's last frame arrived about now (the worker runs a poll interval behind the
  // callback): good to a few milliseconds, which is what a wall clock in a report is for.
  return block_end_time_ - double(block_end_ - frame) / rate_;
}

} // namespace rc
