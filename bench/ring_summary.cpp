// bench/ring_summary.cpp - ring_peers_bench's summary: captures each benchmark's median
// frames/s from Google Benchmark, then prints (and optionally writes as JSON) the per-mode table
// and the project's two ratio targets. See ring_summary.hpp.
#include "ring_summary.hpp"

#include <unistd.h>

#include <cmath>
#include <fstream>

namespace ring_peers {

std::string benchmark_name(std::string_view mode, std::string_view ring) {
  std::string name(mode);
  name += '/';
  name += ring;
  return name;
}

// ------------------------------------------------------------------ capture

namespace {

benchmark::ConsoleReporter::OutputOptions console_options() {
  return isatty(STDOUT_FILENO) ? benchmark::ConsoleReporter::OO_ColorTabular
                               : benchmark::ConsoleReporter::OO_Tabular;
}

} // namespace

MedianCapture::MedianCapture() : benchmark::ConsoleReporter(console_options()) {}

void MedianCapture::ReportRuns(const std::vector<Run>& runs) {
  benchmark::ConsoleReporter::ReportRuns(runs);
  for (const Run& run : runs) {
    if (run.error_occurred || run.run_type != Run::RT_Aggregate || run.aggregate_name != "median")
      continue;
    const auto rate = run.counters.find("items_per_second");
    if (rate != run.counters.end()) medians_[run.run_name.function_name] = rate->second.value;
  }
}

// ------------------------------------------------------------------ figures

namespace {

std::optional<double> median_of(const Medians& medians, std::string_view mode,
                                std::string_view ring) {
  const auto it = medians.find(benchmark_name(mode, ring));
  if (it == medians.end() || !(it->second > 0)) return std::nullopt;
  return it->second;
}

std::optional<double> ratio(std::optional<double> numerator, std::optional<double> denominator) {
  if (!numerator || !denominator) return std::nullopt;
  return *numerator / *denominator;
}

SummaryMode mode_table(const Medians& medians, std::string_view mode, std::string title,
                       const std::vector<std::string_view>& rings) {
  SummaryMode table{std::string(mode), std::move(title), {}};
  const std::optional<double> ours = median_of(medians, mode, spsc_ring_name);
  for (std::string_view ring : rings) {
    const std::optional<double> rate = median_of(medians, mode, ring);
    table.rows.push_back({std::string(ring), rate, ratio(rate, ours)});
  }
  return table;
}

// One frame at a time: SpscRing >= 1.5 x boost spsc_queue.
SummaryTarget one_by_one_target(const Medians& medians) {
  return {"one frame at a time: SpscRing / boost spsc_queue", std::string(boost_name),
          ratio(median_of(medians, one_by_one_mode, spsc_ring_name),
                median_of(medians, one_by_one_mode, boost_name)),
          1.5};
}

// 256-frame blocks: SpscRing (bulk push/pop) >= 1.2 x the faster of boost bulk, jack_ringbuffer.
SummaryTarget block256_target(const Medians& medians) {
  const std::optional<double> boost = median_of(medians, block256_mode, boost_name);
  const std::optional<double> jack = median_of(medians, block256_mode, jack_name);
  SummaryTarget target{"256-frame blocks: SpscRing / best of (boost bulk, jack_ringbuffer)", "",
                       std::nullopt, 1.2};
  if (!boost || !jack) return target; // "best of both" needs both
  const bool boost_is_best = *boost >= *jack;
  target.peer = std::string(boost_is_best ? boost_name : jack_name);
  target.ratio =
      ratio(median_of(medians, block256_mode, spsc_ring_name), boost_is_best ? boost : jack);
  return target;
}

} // namespace

const char* SummaryTarget::status() const {
  if (!ratio) return "n/a";
  return *ratio >= required ? "MET" : "SHORT";
}

Summary summarize(const Medians& medians, const BenchSettings& settings) {
  Summary summary{settings, {}, {}, std::nullopt};
  summary.modes.push_back(mode_table(medians, one_by_one_mode, "one frame at a time",
                                     {spsc_ring_name, boost_name, moodycamel_name, jack_name}));
  summary.modes.push_back(
      mode_table(medians, block256_mode, "256-frame blocks",
                 {spsc_ring_name, spsc_ring_zero_copy_name, boost_name, jack_name}));
  summary.targets.push_back(one_by_one_target(medians));
  summary.targets.push_back(block256_target(medians));
  const SummaryTarget& block_target = summary.targets.back();
  if (!block_target.peer.empty())
    summary.zero_copy_vs_block_peer =
        ratio(median_of(medians, block256_mode, spsc_ring_zero_copy_name),
              median_of(medians, block256_mode, block_target.peer));
  return summary;
}

// ------------------------------------------------------------------ text

namespace {

void print_mode(const SummaryMode& mode, std::FILE* out) {
  std::fprintf(out, "%s (%s/*)\n", mode.title.c_str(), mode.name.c_str());
  for (const SummaryRow& row : mode.rows) {
    if (!row.frames_per_second) {
      std::fprintf(out, "  %-20s %12s %16s\n", row.ring.c_str(), "n/a", "n/a");
      continue;
    }
    std::fprintf(out, "  %-20s %12.1f", row.ring.c_str(), *row.frames_per_second / 1e6);
    if (row.vs_spsc_ring)
      std::fprintf(out, " %15.2fx\n", *row.vs_spsc_ring);
    else
      std::fprintf(out, " %16s\n", "n/a");
  }
}

void print_target(const SummaryTarget& target, std::FILE* out) {
  std::fprintf(out, "  %-68s", target.what.c_str());
  if (target.ratio)
    std::fprintf(out, " %5.2fx", *target.ratio);
  else
    std::fprintf(out, " %6s", "n/a");
  std::fprintf(out, "  (>= %.1fx)  %-5s", target.required, target.status());
  if (!target.peer.empty()) std::fprintf(out, "  vs %s", target.peer.c_str());
  std::fputc('\n', out);
}

} // namespace

void print_summary(const Summary& summary, std::FILE* out) {
  const BenchSettings& settings = summary.settings;
  std::fprintf(out,
               "\nSummary: median of %d repetitions, %zu frames per transfer, %zu-frame rings, "
               "%d pause(s) per wait\n",
               settings.repetitions, settings.frames_per_transfer, settings.ring_capacity,
               settings.wait_pauses);
  std::fprintf(out, "  %-20s %12s %16s\n", "ring", "M frames/s", "ring / SpscRing");
  for (const SummaryMode& mode : summary.modes) print_mode(mode, out);
  std::fprintf(out, "Targets (ratios measured in this run; reported, not asserted)\n");
  for (const SummaryTarget& target : summary.targets) print_target(target, out);
  if (summary.zero_copy_vs_block_peer)
    std::fprintf(out, "  (not a target: SpscRing_zero_copy / %s = %.2fx)\n",
                 summary.targets.back().peer.c_str(), *summary.zero_copy_vs_block_peer);
  std::fflush(out);
}

// ------------------------------------------------------------------ JSON

namespace {

// Our names and texts contain no characters that need escaping; quote them anyway in case.
std::string json_string(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string json_number(std::optional<double> value) {
  if (!value || !std::isfinite(*value)) return "null";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", *value);
  return text;
}

void write_mode_json(std::ofstream& out, const SummaryMode& mode) {
  out << "    " << json_string(mode.name) << ": {";
  const char* separator = "\n";
  for (const SummaryRow& row : mode.rows) {
    out << separator << "      " << json_string(row.ring)
        << ": {\"frames_per_second\": " << json_number(row.frames_per_second)
        << ", \"vs_SpscRing\": " << json_number(row.vs_spsc_ring) << "}";
    separator = ",\n";
  }
  out << "\n    }";
}

void write_target_json(std::ofstream& out, const SummaryTarget& target) {
  out << "    {\"what\": " << json_string(target.what) << ", \"peer\": " << json_string(target.peer)
      << ", \"ratio\": " << json_number(target.ratio)
      << ", \"required\": " << json_number(target.required)
      << ", \"status\": " << json_string(target.status()) << "}";
}

} // namespace

bool write_summary_json(const Summary& summary, const std::string& path) {
  std::ofstream out(path);
  const BenchSettings& settings = summary.settings;
  out << "{\n  \"statistic\": \"median\",\n  \"repetitions\": " << settings.repetitions
      << ",\n  \"frames_per_transfer\": " << settings.frames_per_transfer
      << ",\n  \"ring_capacity_frames\": " << settings.ring_capacity
      << ",\n  \"wait_pauses\": " << settings.wait_pauses << ",\n  \"modes\": {\n";
  for (std::size_t i = 0; i < summary.modes.size(); ++i) {
    write_mode_json(out, summary.modes[i]);
    out << (i + 1 < summary.modes.size() ? ",\n" : "\n");
  }
  out << "  },\n  \"targets\": [\n";
  for (std::size_t i = 0; i < summary.targets.size(); ++i) {
    write_target_json(out, summary.targets[i]);
    out << (i + 1 < summary.targets.size() ? ",\n" : "\n");
  }
  out << "  ],\n  \"zero_copy_vs_block_peer\": " << json_number(summary.zero_copy_vs_block_peer)
      << "\n}\n";
  out.flush();
  return static_cast<bool>(out);
}

} // namespace ring_peers
