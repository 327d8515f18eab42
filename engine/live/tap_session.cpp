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
#include <memory>
#include <optional>
#include <thread>

namespace rc {

namespace {

constexpr std::int64_t status_every_ns = 100'000'000;
constexpr std::chrono::milliseconds idle_sleep{2};
constexpr std::int64_t checkpoint_every_ns = 1'000'000'000;

// Peak and sum of squares per channel since the last live status.
struct Window {
  std::array<float, 2> peak{};
  std::array<double, 2> sum_squares{};
  std::uint64_t frames = 0;

  void add(std::span<const StereoFrame> block) {
    for (const StereoFrame& f : block) {
      peak[0] = std::max(peak[0], std::fabs(f.left));
      peak[1] = std::max(peak[1], std::fabs(f.right));
      sum_squares[0] += double(f.left) * f.left;
      sum_squares[1] += double(f.right) * f.right;
    }
    frames += block.size();
  }
};

} // namespace

TapReport run_tap(const TapOptions& options, LiveControls& controls,
                  const TapStatusCallback& on_status) {
  TapReader reader(options.name);
  TapReport report;
  report.name = options.name;
  report.rate = reader.rate();
  report.capture_pid = reader.writer_pid();
  report.slot_count = reader.slot_count();
  report.slot_frames = reader.slot_frames();
  report.start_sequence = reader.start_sequence();

  std::unique_ptr<SoundFileWriter> copy;
  if (!options.output_path.empty()) {
    copy = std::make_unique<SoundFileWriter>(options.output_path, options.format, reader.rate(),
                                             options.overwrite);
    report.output = options.output_path;
    report.format = options.format.description;
  }
  const std::uint64_t limit =
      options.duration > 0
          ? static_cast<std::uint64_t>(std::llround(options.duration * reader.rate()))
          : std::numeric_limits<std::uint64_t>::max();

  LevelMeter meter;
  Window window;
  std::uint64_t covered = 0; // timeline frames since the tap attached: read + missed
  std::int64_t next_status = monotonic_ns() + status_every_ns;
  std::int64_t next_checkpoint = monotonic_ns() + checkpoint_every_ns;
  auto status = [&] {
    if (!on_status) return;
    TapStatus s;
    s.seconds = double(covered) / reader.rate();
    s.peak = window.peak;
    for (int c = 0; c < 2; ++c)
      s.rms[c] =
          window.frames ? float(std::sqrt(window.sum_squares[c] / double(window.frames))) : 0.0f;
    s.blocks = reader.blocks();
    s.missed_blocks = reader.missed_blocks();
    s.missed_frames = report.missed_frames;
    on_status(s);
    window = {};
  };
  std::optional<TapEnd> end; // set when the copy ends
  auto fail = [&end, &report, &copy] {
    end = TapEnd::error;
    report.error = copy->error();
  };

  while (!end) {
    if (controls.stop_requested()) {
      end = TapEnd::signal;
      break;
    }
    TapBlock block;
    switch (reader.next(block)) {
    case TapEvent::block: {
      // The timeline: silence for what was missed, then the block, both cut at the duration.
      const std::uint64_t gap = std::min(block.missed_frames, limit - covered);
      std::span<const StereoFrame> frames = block.frames;
      if (frames.size() > limit - covered - gap)
        frames = frames.first(static_cast<std::size_t>(limit - covered - gap));
      if (copy && gap > 0 && !copy->write_silence(gap)) {
        fail();
        break;
      }
      if (copy && !frames.empty() && !copy->write(frames)) {
        fail();
        break;
      }
      report.missed_frames += gap;
      report.frames += frames.size();
      covered += gap + frames.size();
      meter.process(frames);
      window.add(frames);
      if (covered >= limit) end = TapEnd::duration;
      if (options.test_delay.count() > 0) std::this_thread::sleep_for(options.test_delay);
      break;
    }
    case TapEvent::idle:
      std::this_thread::sleep_for(idle_sleep);
      break;
    case TapEvent::finished:
      end = TapEnd::finished;
      break;
    case TapEvent::writer_gone:
      end = TapEnd::capture_gone;
      report.error = reader.gone_reason();
      break;
    }
    const std::int64_t now = monotonic_ns();
    if (now >= next_status) {
      status();
      next_status = now + status_every_ns;
    }
    if (copy && now >= next_checkpoint) {
      copy->checkpoint();
      next_checkpoint = now + checkpoint_every_ns;
    }
  }
  status();
  report.end = *end;

  if (copy && !copy->close() && report.error.empty()) {
    report.end = TapEnd::error;
    report.error = copy->error();
  }
  report.first_frame = reader.first_frame().value_or(0);
  report.blocks = reader.blocks();
  report.missed_blocks = reader.missed_blocks();
  report.frames_written = copy ? copy->frames_written() : 0;
  report.published = reader.published();
  report.seconds = double(covered) / reader.rate();
  const auto& totals = meter.totals();
  const double metered = double(std::max<std::uint64_t>(1, meter.frames()));
  for (int c = 0; c < 2; ++c) {
    report.peak_dbfs[c] = to_dbfs(totals[c].peak);
    report.rms_dbfs[c] = to_dbfs(std::sqrt(totals[c].sum_squares / metered));
  }
  return report;
}

std::string to_json(const TapReport& r) {
  using json = nlohmann::ordered_json;
  const json j = {
      {"name", r.name},
      {"output", r.output.empty() ? json() : json(r.output)},
      {"format", r.format.empty() ? json() : json(r.format)},
      {"rate", r.rate},
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
         std::to_string(r.rate) + " Hz, " + std::to_string(r.slot_count) + " slots of " +
         std::to_string(r.slot_frames) + " frames)\n";
  if (!r.output.empty())
    out += "copied    " + r.output + " (" + r.format + ", " + std::to_string(r.frames_written) +
           " frames from timeline frame " + std::to_string(r.first_frame) + ")\n";
  out += "read      " + std::to_string(r.blocks) + " blocks, " + std::to_string(r.frames) +
         " frames, " + format_double("%.3f s", r.seconds) + "\n";
  out += "missed    " + std::to_string(r.missed_blocks) + " blocks, " +
         std::to_string(r.missed_frames) + " frames" +
         (r.output.empty() ? std::string() : std::string(" (written as silence)")) + "\n";
  out += "levels    peak L " + dbfs_text(r.peak_dbfs[0]) + ", R " + dbfs_text(r.peak_dbfs[1]) +
         "; rms L " + dbfs_text(r.rms_dbfs[0]) + ", R " + dbfs_text(r.rms_dbfs[1]) + "\n";
  out +=
      std::string("ended     ") + to_string(r.end) + (r.error.empty() ? "" : ": " + r.error) + "\n";
  return out;
}

} // namespace rc
