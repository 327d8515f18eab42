// engine/capture/capture_report.cpp - see capture_report.hpp.
#include "engine/capture/capture_report.hpp"
#include "engine/util/text.hpp"

#include "engine/capture/report_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace rc {

Percentiles percentiles_of(const LogHistogram& h, double scale) {
  return {double(h.quantile(0.5)) / scale, double(h.quantile(0.99)) / scale,
          double(h.max()) / scale};
}

nlohmann::ordered_json percentiles_json(const Percentiles& p) {
  return {{"p50", p.p50}, {"p99", p.p99}, {"max", p.max}};
}

nlohmann::ordered_json timing_json(const StreamTiming& t) {
  using json = nlohmann::ordered_json;
  json jitter = json();
  if (const auto& h = t.jitter_us()) {
    json bins = json::array();
    for (const SignedHistogram::Bin& b : h->bins())
      if (b.count > 0) bins.push_back({{"low", b.low}, {"high", b.high}, {"count", b.count}});
    jitter = {{"callbacks", h->count()}, {"mean", h->mean()}, {"rms", h->rms()},
              {"min", h->min()},         {"max", h->max()},   {"histogram", bins}};
  }
  auto series = [](const MaxTimeSeries& s) {
    json points = json::array();
    for (const auto& [time, value] : s.points()) points.push_back(json::array({time, value}));
    return points;
  };
  json xruns = json::array();
  for (const XrunRecord& x : t.xruns())
    xruns.push_back(
        {{"time", x.time}, {"kind", to_string(x.kind)}, {"frame", x.frame}, {"frames", x.frames}});
  return {{"period_us", t.period_us()},
          {"callback_interval_jitter_us", jitter},
          {"capture_ring_fill", series(t.capture_fill())},
          {"playback_ring_fill", series(t.playback_fill())},
          {"xruns", xruns},
          {"xruns_not_listed", t.xruns_not_listed()}};
}

nlohmann::ordered_json dbfs_json(const std::vector<double>& db) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (double v : db)
    out.push_back(std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json());
  return out;
}

std::string dbfs_text(double db) {
  return std::isfinite(db) ? format_double("%.1f dBFS", db) : "silent";
}

std::string levels_text(const std::vector<double>& peak_dbfs, const std::vector<double>& rms_dbfs) {
  const auto list = [](const std::vector<double>& db) {
    if (db.size() == 1) return dbfs_text(db[0]);
    std::string out;
    for (std::size_t c = 0; c < db.size(); ++c) {
      const std::string name =
          db.size() == 2 ? (c == 0 ? "L " : "R ") : std::to_string(c + 1) + ": ";
      out += (c ? ", " : "") + name + dbfs_text(db[c]);
    }
    return out;
  };
  return "peak " + list(peak_dbfs) + "; rms " + list(rms_dbfs);
}

namespace {

// "2026-11-23T09:41:07.250Z": a take's trigger, to the millisecond, in UTC.
std::string iso8601_utc(double unix_seconds) {
  const auto whole = static_cast<std::time_t>(std::floor(unix_seconds));
  const int millis = std::min(999, static_cast<int>((unix_seconds - double(whole)) * 1000.0));
  std::tm utc{};
  gmtime_r(&whole, &utc);
  char text[40];
  const std::size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::snprintf(text + n, sizeof text - n, ".%03dZ", millis);
  return text;
}

nlohmann::ordered_json trigger_json(const CaptureReport& r) {
  if (!r.triggered) return nullptr;
  nlohmann::ordered_json takes = nlohmann::ordered_json::array();
  for (const Take& t : r.takes)
    takes.push_back({{"path", t.path},
                     {"trigger", to_string(t.trigger)},
                     {"trigger_frame", t.trigger_frame},
                     {"trigger_time", iso8601_utc(t.trigger_time)},
                     {"trigger_unix_s", t.trigger_time},
                     {"first_frame", t.first_frame},
                     {"pre_roll_frames", t.trigger_frame - t.first_frame},
                     {"frames", t.frames},
                     {"end", to_string(t.end)},
                     {"channel_paths", t.channel_paths}});
  return {{"pre_roll_s", r.pre_roll_seconds},
          {"level_dbfs", r.trigger_level_dbfs ? nlohmann::ordered_json(*r.trigger_level_dbfs)
                                              : nlohmann::ordered_json()},
          {"hold_s", r.trigger_level_dbfs ? nlohmann::ordered_json(r.hold_seconds)
                                          : nlohmann::ordered_json()},
          {"takes", takes}};
}

} // namespace

namespace {

nlohmann::ordered_json gaps_json(const std::vector<OverrunEvent>& gaps) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const OverrunEvent& e : gaps) out.push_back({{"frame", e.frame}, {"frames", e.frames}});
  return out;
}

// Key by key: one initializer list of forty members cost this file 45 s of CPU to compile under
// ASan+UBSan, key by key 33 s. The keys keep this order (ordered_json).

void add_recording_json(nlohmann::ordered_json& j, const CaptureReport& r) {
  nlohmann::ordered_json files = nlohmann::ordered_json::array();
  for (const SplitFile& f : r.files)
    files.push_back({{"path", f.path},
                     {"first_frame", f.first_frame},
                     {"frames", f.frames},
                     {"channel_paths", f.channel_paths}});
  j["output"] = r.output_path;
  j["files"] = files;
  j["triggered"] = trigger_json(r);
  j["format"] = r.format;
  j["frames_written"] = r.frames_written;
  j["disk_latency_ms"] = percentiles_json(r.disk_latency_ms);
}

void add_stream_json(nlohmann::ordered_json& j, const CaptureReport& r) {
  j["device"] = r.device;
  j["host_api"] = r.host_api;
  j["channels"] = r.channel_map.size();
  j["channel_map"] = r.channel_map;
  j["ports"] = r.ports;
  j["rate"] = r.rate;
  j["period"] = r.period;
  j["reported_input_latency_ms"] = optional_json(r.reported_input_latency_ms);
  j["ring_capacity"] = r.ring_capacity;
  j["seconds"] = r.seconds;
  j["frames_captured"] = r.frames_captured;
  j["overrun_events"] = r.overrun_events;
  j["overrun_frames"] = r.overrun_frames;
  j["overruns"] = gaps_json(r.overruns);
  j["device_clock"] =
      r.device_clock.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(r.device_clock);
  j["host_gap_events"] = r.host_gap_events;
  j["host_gap_frames"] = r.host_gap_frames;
  j["host_gaps"] = gaps_json(r.host_gaps);
  j["uncertain_gap_events"] = r.uncertain_gap_events;
  j["uncertain_gap_frames"] = r.uncertain_gap_frames;
  j["clock_steps"] = r.clock_steps;
  j["input_overflow_flags"] = r.input_overflow_flags;
  j["input_underflow_flags"] = r.input_underflow_flags;
  j["host_inserted_frames"] = r.host_inserted_frames;
  j["callbacks"] = r.callbacks;
  j["callback_us"] = percentiles_json(r.callback_us);
  j["ring_fill_max"] = r.ring_fill_max;
  j["worker_wake_delay_us"] = percentiles_json(r.worker_wake_delay_us);
}

std::string recording_text(const CaptureReport& r) {
  std::string out;
  out += "recorded  " + r.output_path + " (" + r.format + ", " + std::to_string(r.rate) + " Hz, " +
         format_double("%.3f s", r.seconds) + ", " + std::to_string(r.frames_written) +
         " frames)\n";
  if (!r.files.empty()) {
    out += "files     " + std::to_string(r.files.size()) + " (split):";
    for (const SplitFile& f : r.files)
      out += " " + f.path +
             (f.channel_paths.size() > 1
                  ? " (+" + std::to_string(f.channel_paths.size() - 1) + " channel files)"
                  : "") +
             " [" + std::to_string(f.frames) + "]";
    out += "\n";
  }
  if (r.triggered) {
    out += "takes     " + std::to_string(r.takes.size()) +
           format_double(" (pre-roll %.3f s", r.pre_roll_seconds) +
           (r.trigger_level_dbfs ? format_double(", level %.1f dBFS", *r.trigger_level_dbfs) +
                                       format_double(", hold %.3f s", r.hold_seconds)
                                 : std::string()) +
           ")\n";
    for (const Take& t : r.takes)
      out += "          " + t.path + ": " + to_string(t.trigger) + " at frame " +
             std::to_string(t.trigger_frame) +
             format_double(" (%.3f s, ", double(t.trigger_frame) / r.rate) +
             iso8601_utc(t.trigger_time) + "), " + std::to_string(t.frames) +
             " frames from frame " + std::to_string(t.first_frame) + ", ended by " +
             to_string(t.end) + "\n";
  }
  out += "disk      capture-to-disk latency p50 " + format_double("%.2f", r.disk_latency_ms.p50) +
         " ms, p99 " + format_double("%.2f", r.disk_latency_ms.p99) + " ms, max " +
         format_double("%.2f", r.disk_latency_ms.max) + " ms\n";
  return out;
}

std::string stream_text(const CaptureReport& r) {
  std::string out;
  std::string channels;
  for (std::size_t c = 0; c < r.channel_map.size(); ++c)
    channels += (c ? "," : "") + std::to_string(r.channel_map[c]);
  out += "device    " + r.device + " [" + r.host_api + "], channel" +
         (r.channel_map.size() == 1 ? " " : "s ") + channels + ", period " +
         (r.period ? std::to_string(r.period) : std::string("host default")) +
         ", host-reported input latency " +
         reported_ms_text("%.2f ms", r.reported_input_latency_ms) + "\n";
  if (!r.ports.empty()) {
    out += "ports    ";
    for (std::size_t c = 0; c < r.ports.size(); ++c) out += (c ? ", " : " ") + r.ports[c];
    out += "\n";
  }
  auto list_gaps = [&out, &r](const std::vector<OverrunEvent>& gaps) {
    for (const OverrunEvent& e : gaps)
      out += "          gap at frame " + std::to_string(e.frame) +
             format_double(" (%.3f s)", double(e.frame) / r.rate) + ": " +
             std::to_string(e.frames) + " frames\n";
  };
  out += "overruns  " + std::to_string(r.overrun_events) + " events, " +
         std::to_string(r.overrun_frames) + " frames dropped (written as silence)\n";
  list_gaps(r.overruns);
  if (r.device_clock.empty()) {
    out += "host gaps not measured (the host gives no device clock)";
  } else {
    out += "host gaps " + std::to_string(r.host_gap_events) + " events, " +
           std::to_string(r.host_gap_frames) + " frames never delivered (written as silence; " +
           r.device_clock + ")";
    if (r.clock_steps > 0) out += "; " + std::to_string(r.clock_steps) + " clock steps ignored";
  }
  out += "; PortAudio input-overflow flags " + std::to_string(r.input_overflow_flags);
  if (r.input_underflow_flags > 0)
    out += ", input-underflow flags " + std::to_string(r.input_underflow_flags) + " (" +
           std::to_string(r.host_inserted_frames) + " made-up frames left out)";
  out += "\n";
  list_gaps(r.host_gaps);
  out += "callback  " + std::to_string(r.callbacks) + " callbacks, run time p50 " +
         format_double("%.2f", r.callback_us.p50) + " us, p99 " +
         format_double("%.2f", r.callback_us.p99) + " us, max " +
         format_double("%.2f", r.callback_us.max) + " us\n";
  out += "ring      " + std::to_string(r.ring_capacity) + " frames, fill max " +
         std::to_string(r.ring_fill_max) +
         format_double(" (%.1f%%)", 100.0 * double(r.ring_fill_max) /
                                        double(r.ring_capacity ? r.ring_capacity : 1)) +
         "\n";
  if (const auto& jitter = r.timing.jitter_us())
    out +=
        "timing    callback interval vs ideal " + format_double("%.1f us", r.timing.period_us()) +
        ": mean " + format_double("%+.1f", jitter->mean()) + " us, rms " +
        format_double("%.1f", jitter->rms()) + " us, min " + format_double("%+.1f", jitter->min()) +
        " us, max " + format_double("%+.1f", jitter->max()) + " us; worker wake-up delay p50 " +
        format_double("%.0f", r.worker_wake_delay_us.p50) + " us, p99 " +
        format_double("%.0f", r.worker_wake_delay_us.p99) + " us\n";
  return out;
}

} // namespace

void add_section_json(nlohmann::ordered_json& j, const CaptureReport& r, ReportSection section) {
  switch (section) {
  case ReportSection::recording:
    add_recording_json(j, r);
    return;
  case ReportSection::stream:
    add_stream_json(j, r);
    return;
  case ReportSection::levels:
    j["peak_dbfs"] = dbfs_json(r.peak_dbfs);
    j["rms_dbfs"] = dbfs_json(r.rms_dbfs);
    j["clipped_samples"] = r.clipped_samples;
    return;
  case ReportSection::effects: {
    nlohmann::ordered_json clips = nlohmann::ordered_json::array();
    for (const auto& [effect, n] : r.effect_clips)
      clips.push_back({{"effect", effect}, {"samples", n}});
    j["effects"] = r.effects;
    j["effect_clips"] = clips;
    return;
  }
  case ReportSection::tap:
    j["tap"] = r.tap ? nlohmann::ordered_json{{"name", r.tap->name},
                                              {"blocks_published", r.tap->blocks_published},
                                              {"slot_count", r.tap->slot_count},
                                              {"slot_frames", r.tap->slot_frames}}
                     : nlohmann::ordered_json();
    return;
  case ReportSection::stop:
    j["stop_reason"] = to_string(r.stop_reason);
    j["error"] = r.error.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(r.error);
    return;
  }
}

std::string section_text(const CaptureReport& r, ReportSection section) {
  switch (section) {
  case ReportSection::recording:
    return recording_text(r);
  case ReportSection::stream:
    return stream_text(r);
  case ReportSection::levels:
    return "levels    " + levels_text(r.peak_dbfs, r.rms_dbfs) + "; clipped samples " +
           std::to_string(r.clipped_samples) + "\n";
  case ReportSection::effects: {
    std::string out;
    if (!r.effects.empty()) out += "effects   " + r.effects + "\n";
    for (const auto& [effect, n] : r.effect_clips)
      out += "          " + effect + " clipped " + std::to_string(n) + " samples\n";
    return out;
  }
  case ReportSection::tap:
    if (!r.tap) return {};
    return "tap       " + r.tap->name + ": " + std::to_string(r.tap->blocks_published) +
           " blocks published (" + std::to_string(r.tap->slot_count) + " slots of " +
           std::to_string(r.tap->slot_frames) + " frames)\n";
  case ReportSection::stop:
    return std::string("stopped   by ") + to_string(r.stop_reason) +
           (r.error.empty() ? "" : ": " + r.error) + "\n";
  }
  return {};
}

std::string to_json(const CaptureReport& r) {
  nlohmann::ordered_json j = sections_json(r, all_sections);
  j["timing"] = timing_json(r.timing);
  return j.dump(2) + "\n";
}

std::string to_text(const CaptureReport& r) {
  std::string out;
  for (const ReportSection section : all_sections) out += section_text(r, section);
  return out;
}

} // namespace rc
