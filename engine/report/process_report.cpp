// engine/report/process_report.cpp - see process_report.hpp.
#include "engine/report/process_report.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace rc {

namespace {

using json = nlohmann::ordered_json;

// A figure that may be infinite (the dB of silence): JSON has no infinity, so null.
json finite_or_null(double v) { return std::isfinite(v) ? json(v) : json(); }

json to_json(const StatFigures& f) {
  json j;
  j["samples"] = f.samples;
  j["seconds"] = finite_or_null(f.seconds);
  j["scale"] = finite_or_null(f.scale);
  j["rms_scale"] = f.options.rms ? finite_or_null(f.rms_scale) : json();
  j["maximum_amplitude"] = finite_or_null(f.maximum);
  j["minimum_amplitude"] = finite_or_null(f.minimum);
  j["midline_amplitude"] = finite_or_null(f.midline);
  j["mean_norm"] = finite_or_null(f.mean_norm);
  j["mean_amplitude"] = finite_or_null(f.mean);
  j["rms_amplitude"] = finite_or_null(f.rms);
  j["maximum_delta"] = finite_or_null(f.maximum_delta);
  j["minimum_delta"] = finite_or_null(f.minimum_delta);
  j["mean_delta"] = finite_or_null(f.mean_delta);
  j["rms_delta"] = finite_or_null(f.rms_delta);
  j["rough_frequency"] = f.rough_frequency;
  j["volume_adjustment"] = f.volume_adjustment ? finite_or_null(*f.volume_adjustment) : json();
  return j;
}

json to_json(const StatsColumn& c) {
  json j;
  j["dc_offset"] = finite_or_null(c.dc_offset);
  j["min_level"] = finite_or_null(c.min_level);
  j["max_level"] = finite_or_null(c.max_level);
  j["peak_db"] = finite_or_null(c.peak_db);
  j["rms_db"] = finite_or_null(c.rms_db);
  j["rms_peak_db"] = finite_or_null(c.rms_peak_db);
  j["rms_trough_db"] = c.rms_trough_db ? finite_or_null(*c.rms_trough_db) : json();
  j["crest_factor"] = c.crest_factor ? finite_or_null(*c.crest_factor) : json();
  j["flat_factor"] = finite_or_null(c.flat_factor);
  j["peak_count"] = c.peak_count;
  j["bit_depth"] = json::array({c.bit_depth, c.bit_depth_used});
  return j;
}

json to_json(const StatsFigures& f) {
  json j;
  j["overall"] = to_json(f.overall);
  json channels = json::array();
  for (const StatsColumn& c : f.channels) channels.push_back(to_json(c));
  j["channels"] = channels;
  j["samples"] = f.samples;
  j["seconds"] = f.seconds;
  j["window"] = f.options.window;
  return j;
}

json to_json(const EffectAnalysis& a) {
  json j;
  j["effect"] = a.effect;
  if (a.stat) j["stat"] = to_json(*a.stat);
  if (!a.stat) j["stats"] = a.stats ? to_json(*a.stats) : json();
  return j;
}

} // namespace

std::string to_json(const std::vector<ProcessOutcome>& outcomes) {
  json files = json::array();
  std::size_t failed = 0, skipped = 0;
  for (const ProcessOutcome& o : outcomes) {
    json f;
    f["input"] = o.input;
    f["output"] = o.output;
    f["ok"] = o.result.has_value();
    f["skipped"] = o.skipped;
    f["error"] = o.error.empty() ? json() : json(o.error);
    if (const ProcessResult* r = o.result ? &*o.result : nullptr) {
      f["input_format"] = r->input_format;
      f["input_rate"] = r->input_rate;
      f["input_channels"] = r->input_channels;
      f["frames_in"] = r->frames_in;
      f["output_format"] = r->output_format;
      f["output_rate"] = r->output_rate;
      f["output_channels"] = r->output_channels;
      f["frames_out"] = r->frames_out;
      json written = json::array();
      for (const WrittenFile& w : r->files)
        written.push_back({{"file", w.path}, {"frames", w.frames}});
      f["outputs"] = written;
      f["effects"] = r->chain;
      json clips = json::object();
      for (const auto& [effect, n] : r->clips) clips[effect] = n;
      f["clipped"] = clips;
      f["output_clipped"] = r->output_clipped;
      json analyses = json::array();
      for (const EffectAnalysis& a : r->analyses) analyses.push_back(to_json(a));
      f["analyses"] = analyses;
      f["seconds"] = r->seconds;
      const double audio_seconds = r->input_rate > 0 ? double(r->frames_in) / r->input_rate : 0;
      f["speed"] = r->seconds > 0 ? json(audio_seconds / r->seconds) : json();
    } else if (o.skipped) {
      ++skipped;
    } else {
      ++failed;
    }
    files.push_back(std::move(f));
  }
  const json doc = {{"files", files},
                    {"converted", outcomes.size() - failed - skipped},
                    {"skipped", skipped},
                    {"failed", failed}};
  return doc.dump(2) + "\n";
}

std::string manifest_line(const ProcessOutcome& o) {
  json j;
  j["input"] = o.input;
  j["output"] = o.output;
  j["result"] = o.result ? "converted" : o.skipped ? "skipped" : "failed";
  const ProcessResult* r = o.result ? &*o.result : nullptr;
  j["frames"] = r ? json(r->frames_out) : json();
  j["seconds"] = r && r->output_rate > 0 ? json(double(r->frames_out) / r->output_rate) : json();
  j["wall_seconds"] = r ? json(r->seconds) : json();
  std::uint64_t clips = r ? r->output_clipped : 0;
  if (r)
    for (const auto& [effect, n] : r->clips) clips += n;
  j["clips"] = r ? json(clips) : json();
  j["error"] = o.error.empty() ? json() : json(o.error);
  return j.dump() + "\n";
}

} // namespace rc
