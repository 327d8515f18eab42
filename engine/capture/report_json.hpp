// engine/capture/report_json.hpp - JSON pieces the capture, playthrough and latency reports
// share. Included by engine .cpp files only (nlohmann/json is the engine's private dependency).
#pragma once

#include "engine/capture/capture_report.hpp"
#include "engine/capture/stream_timing.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>

namespace rc {

/// Returns: the value, or null when there is none (a latency the host did not report).
inline nlohmann::ordered_json optional_json(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}
/// Returns: {"p50", "p99", "max"}.
nlohmann::ordered_json percentiles_json(const Percentiles& p);
/// Returns: the "timing" object of the README's schema: period, jitter histogram, ring fill
/// over time, problems with their times.
nlohmann::ordered_json timing_json(const StreamTiming& timing);
/// Returns: one level per channel in dBFS, null for digital silence (JSON has no -infinity).
nlohmann::ordered_json dbfs_json(const std::vector<double>& db);
/// Returns: "-12.3 dBFS", or "silent" for -infinity (the text reports' level lines).
std::string dbfs_text(double db);
/// Effects: adds the keys of `section` of `report` to `out` (a JSON object).
void add_section_json(nlohmann::ordered_json& out, const CaptureReport& report,
                      ReportSection section);
/// Returns: a JSON object of the `sections` of `report`, in that order.
template <class Sections>
nlohmann::ordered_json sections_json(const CaptureReport& report, const Sections& sections) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const ReportSection section : sections) add_section_json(out, report, section);
  return out;
}

} // namespace rc
