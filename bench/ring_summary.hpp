// bench/ring_summary.hpp - turns ring_peers_bench's Google Benchmark runs into the figures the
// project tracks: each ring's median frames per second, its ratio to SpscRing, and the two
// targets (ratios measured in one run, reported as MET/SHORT and never asserted: the machines
// here are too noisy for timed pass/fail).
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ring_peers {

/// Mode names: the first part of every benchmark name.
inline constexpr std::string_view one_by_one_mode = "one_by_one";
inline constexpr std::string_view block256_mode = "block256";

/// Ring names: the second part of every benchmark name.
inline constexpr std::string_view spsc_ring_name = "SpscRing";
inline constexpr std::string_view spsc_ring_zero_copy_name = "SpscRing_zero_copy";
inline constexpr std::string_view boost_name = "boost_spsc_queue";
inline constexpr std::string_view moodycamel_name = "moodycamel_RWQ";
inline constexpr std::string_view jack_name = "jack_ringbuffer";

/// Returns: "mode/ring", the name a benchmark is registered and looked up under.
std::string benchmark_name(std::string_view mode, std::string_view ring);

/// Median items (frames) per second of each benchmark, keyed by benchmark_name().
using Medians = std::map<std::string, double>;

/// The usual console output, plus a record of every benchmark's median items_per_second.
class MedianCapture final : public benchmark::ConsoleReporter {
public:
  /// Colour only when stdout is a terminal.
  MedianCapture();
  /// Prints the runs and keeps the "median" aggregate of each benchmark.
  void ReportRuns(const std::vector<Run>& runs) override;
  /// The medians captured so far.
  [[nodiscard]] const Medians& medians() const noexcept { return medians_; }

private:
  Medians medians_;
};

/// One ring in one mode. Empty optionals: that benchmark did not run (e.g. filtered out).
struct SummaryRow {
  std::string ring;                        ///< Ring name, e.g. "boost_spsc_queue".
  std::optional<double> frames_per_second; ///< Median over the repetitions.
  std::optional<double> vs_spsc_ring;      ///< frames_per_second / SpscRing's, same mode.
};

/// All rings of one mode, SpscRing first.
struct SummaryMode {
  std::string name;  ///< Mode name, e.g. "block256".
  std::string title; ///< Human-readable, e.g. "256-frame blocks".
  std::vector<SummaryRow> rows;
};

/// One project target: SpscRing / peer >= required.
struct SummaryTarget {
  std::string what;            ///< What is compared, in words.
  std::string peer;            ///< The peer the ratio was taken against (the best one, if several).
  std::optional<double> ratio; ///< SpscRing / peer, from this run's medians.
  double required = 0;         ///< The target ratio.
  /// Returns: "MET", "SHORT", or "n/a" when a benchmark it needs did not run.
  [[nodiscard]] const char* status() const;
};

/// How the figures were measured; printed with them, since they depend on it.
struct BenchSettings {
  int repetitions = 0;                 ///< Repetitions each median is taken over.
  std::size_t frames_per_transfer = 0; ///< Frames moved per timed transfer (one iteration).
  std::size_t ring_capacity = 0;       ///< Frames requested from every ring.
  int wait_pauses = 0;                 ///< Pause instructions before retrying a full/empty ring.
};

/// Everything the summary prints or writes.
struct Summary {
  BenchSettings settings;
  std::vector<SummaryMode> modes;
  std::vector<SummaryTarget> targets; ///< The project's two targets.
  /// Not a target: the zero-copy row against the peer of the block target.
  std::optional<double> zero_copy_vs_block_peer;
};

/// Returns: the table rows, the two targets and the zero-copy note computed from `medians`.
Summary summarize(const Medians& medians, const BenchSettings& settings);

/// Prints the summary table and the targets to `out`.
void print_summary(const Summary& summary, std::FILE* out);

/// Writes the same figures as JSON to `path`. Returns: false if the file could not be written.
bool write_summary_json(const Summary& summary, const std::string& path);

} // namespace ring_peers
