// engine/live/tap_session.cpp - see tap_session.hpp.
#include "engine/live/tap_session.hpp"

#include "engine/capture/report_json.hpp"
#include "engine/dsp/level_meter.hpp"
#include "engine/files/sound_file_writer.hpp"
#include "engine/tap/tap_reader.hpp"
#include "engine/util/monotonic_clock.hpp"
#include "engine/util/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <thread>
#include <vector>

namespace rc {

namespace {

constexpr std::int64_t status_every_ns = 100'000'000;
constexpr std::chrono::milliseconds idle_sleep{2};
constexpr std::int64_t checkpoint_every_ns = 1'000'000'000;

// Peak and sum of squares per channel since the last live status.
struct Window {
  explicit Window(int channels)
      : peak(static_cast<std::size_t>(channels)), sum_squares(static_cast<std::size_t>(channels)) {}
  std::vector<float> peak;
  std::vector<double> sum_squares;
  std::uint64_t frames = 0;

  void add(ConstFrames block) {
    for (std::size_t i = 0; i < block.frames; ++i) {
      const float* f = block.frame(i);
      for (std::size_t c = 0; c < peak.size(); ++c) {
        peak[c] = std::max(peak[c], std::fabs(f[c]));
        sum_squares[c] += double(f[c]) * f[c];
      }
    }
    frames += block.frames;
  }
  void reset() {
    std::fill(peak.begin(), peak.end(), 0.0f);
    std::fill(sum_squares.begin(), sum_squares.end(), 0.0);
    frames = 0;
  }
};

/// One tap run in the phases of a run: the constructor attaches to the tap and creates the
/// copy (open), watch() reads until an end, finish() closes the copy and returns the report.
/// Main thread only.
class TapRun {
public:
  /// Throws: std::runtime_error (no such tap, the copy exists or cannot be created);
  /// std::invalid_argument for a bad name.
  TapRun(const TapOptions& options, const TapStatusCallback& on_status)
      : options_(options), on_status_(on_status), reader_(options.name),
        limit_(options.duration > 0
                   ? static_cast<std::uint64_t>(std::llround(options.duration * reader_.rate()))
                   : std::numeric_limits<std::uint64_t>::max()),
        meter_(reader_.channels()), window_(reader_.channels()) {
    report_.name = options.name;
    report_.rate = reader_.rate();
    report_.channels = reader_.channels();
    report_.capture_pid = reader_.writer_pid();
    report_.slot_count = reader_.slot_count();
    report_.slot_frames = reader_.slot_frames();
    report_.start_sequence = reader_.start_sequence();
    if (!options.output_path.empty()) {
      copy_ = std::make_unique<SoundFileWriter>(options.output_path, options.format, reader_.rate(),
                                                options.overwrite, reader_.channels());
      report_.output = options.output_path;
      report_.format = options.format.description;
    }
  }

  /// Effects: reads until the capture finishes or is gone, a stop `controls` asks for, the
  /// duration is covered or the copy fails; a live status about ten times a second, the copy's
  /// header brought up to date every second.
  void watch(LiveControls& controls) {
    std::int64_t next_status = monotonic_ns() + status_every_ns;
    std::int64_t next_checkpoint = monotonic_ns() + checkpoint_every_ns;
    while (!end_) {
      if (controls.stop_requested()) {
        end_ = TapEnd::signal;
        break;
      }
      read_next();
      const std::int64_t now = monotonic_ns();
      if (now >= next_status) {
        status();
        next_status = now + status_every_ns;
      }
      if (copy_ && now >= next_checkpoint) {
        copy_->checkpoint();
        next_checkpoint = now + checkpoint_every_ns;
      }
    }
    status();
  }

  /// Returns: the report, once the copy is closed (a copy that fails to close ends in error).
  TapReport finish() {
    report_.end = end_.value_or(TapEnd::signal);
    if (copy_ && !copy_->close() && report_.error.empty()) {
      report_.end = TapEnd::error;
      report_.error = copy_->error();
    }
    report_.first_frame = reader_.first_frame().value_or(0);
    report_.blocks = reader_.blocks();
    report_.missed_blocks = reader_.missed_blocks();
    report_.frames_written = copy_ ? copy_->frames_written() : 0;
    report_.published = reader_.published();
    report_.seconds = double(covered_) / reader_.rate();
    const auto& totals = meter_.totals();
    const double metered = double(std::max<std::uint64_t>(1, meter_.frames()));
    for (const ChannelLevels& levels : totals) {
      report_.peak_dbfs.push_back(to_dbfs(levels.peak));
      report_.rms_dbfs.push_back(to_dbfs(std::sqrt(levels.sum_squares / metered)));
    }
    return std::move(report_);
  }

private:
  // One look at the tap: a block into the timeline, or a wait, or an end.
  void read_next() {
    TapBlock block;
    switch (reader_.next(block)) {
    case TapEvent::block:
      take(block);
      if (options_.test_delay.count() > 0) std::this_thread::sleep_for(options_.test_delay);
      break;
    case TapEvent::idle:
      std::this_thread::sleep_for(idle_sleep);
      break;
    case TapEvent::finished:
      end_ = TapEnd::finished;
      break;
    case TapEvent::writer_gone:
      end_ = TapEnd::capture_gone;
      report_.error = reader_.gone_reason();
      break;
    }
  }

  // The timeline: silence for what was missed, then the block, both cut at the duration.
  void take(const TapBlock& block) {
    const std::uint64_t gap = std::min(block.missed_frames, limit_ - covered_);
    ConstFrames frames = block.frames;
    if (frames.frames > limit_ - covered_ - gap)
      frames = frames.first(static_cast<std::size_t>(limit_ - covered_ - gap));
    if (copy_ && ((gap > 0 && !copy_->write_silence(gap, frames.channels)) ||
                  (!frames.empty() && !copy_->write(frames)))) {
      end_ = TapEnd::error;
      report_.error = copy_->error();
      return;
    }
    report_.missed_frames += gap;
    report_.frames += frames.frames;
    covered_ += gap + frames.frames;
    meter_.process(frames);
    window_.add(frames);
    if (covered_ >= limit_) end_ = TapEnd::duration;
  }

  // The live status: levels since the last one, counts so far.
  void status() {
    if (!on_status_) return;
    TapStatus s;
    s.seconds = double(covered_) / reader_.rate();
    s.peak = window_.peak;
    for (const double sum : window_.sum_squares)
      s.rms.push_back(window_.frames ? float(std::sqrt(sum / double(window_.frames))) : 0.0f);
    s.blocks = reader_.blocks();
    s.missed_blocks = reader_.missed_blocks();
    s.missed_frames = report_.missed_frames;
    on_status_(s);
    window_.reset();
  }

  const TapOptions& options_;
  const TapStatusCallback& on_status_;
  TapReader reader_;
  const std::uint64_t limit_; ///< Timeline frames to cover (the duration), or no limit.
  TapReport report_;
  std::unique_ptr<SoundFileWriter> copy_; ///< Null when metering only.
  LevelMeter meter_;
  Window window_;
  std::uint64_t covered_ = 0; ///< Timeline frames since the tap attached: read + missed.
  std::optional<TapEnd> end_; ///< Set when the run ends.
};

} // namespace

TapReport run_tap(const TapOptions& options, LiveControls& controls,
                  const TapStatusCallback& on_status) {
  TapRun run(options, on_status); // open
  run.watch(controls);
  return run.finish();
}

std::string to_json(const TapReport& r) {
  using json = nlohmann::ordered_json;
  const json j = {
      {"name", r.name},
      {"output", r.output.empty() ? json() : json(r.output)},
      {"format", r.format.empty() ? json() : json(r.format)},
      {"rate", r.rate},
      {"channels", r.channels},
      {"capture_pid", r.capture_pid},
      {"slot_count", r.slot_count},
      {"slot_frames", r.slot_frames},
      {"start_sequence", r.start_sequence},
      {"first_frame", r.first_frame},
      {"blocks", r.blocks},
      {"missed_blocks", r.missed_blocks},
      {"frames", r.frames},
      {"missed_frames", r.missed_frames},
      {"frames_written", r.frames_written},
      {"published", r.published},
      {"seconds", r.seconds},
      {"peak_dbfs", dbfs_json(r.peak_dbfs)},
      {"rms_dbfs", dbfs_json(r.rms_dbfs)},
      {"end", to_string(r.end)},
      {"error", r.error.empty() ? json() : json(r.error)},
  };
  return j.dump(2) + "\n";
}

std::string to_text(const TapReport& r) {
  std::string out;
  out += "tap       " + r.name + " (capture pid " + std::to_string(r.capture_pid) + ", " +
         std::to_string(r.rate) + " Hz, " + std::to_string(r.channels) +
         (r.channels == 1 ? " channel, " : " channels, ") + std::to_string(r.slot_count) +
         " slots of " + std::to_string(r.slot_frames) + " frames)\n";
  if (!r.output.empty())
    out += "copied    " + r.output + " (" + r.format + ", " + std::to_string(r.frames_written) +
           " frames from timeline frame " + std::to_string(r.first_frame) + ")\n";
  out += "read      " + std::to_string(r.blocks) + " blocks, " + std::to_string(r.frames) +
         " frames, " + format_double("%.3f s", r.seconds) + "\n";
  out += "missed    " + std::to_string(r.missed_blocks) + " blocks, " +
         std::to_string(r.missed_frames) + " frames" +
         (r.output.empty() ? std::string() : std::string(" (written as silence)")) + "\n";
  out += "levels    " + levels_text(r.peak_dbfs, r.rms_dbfs) + "\n";
  out +=
      std::string("ended     ") + to_string(r.end) + (r.error.empty() ? "" : ": " + r.error) + "\n";
  return out;
}

} // namespace rc
