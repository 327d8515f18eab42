// engine/stats/time_series.hpp - a fixed-memory record of a value over time (its maximum per
// interval), for "ring fill over time" charts of runs of any length.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace rc {

/// Keeps at most `max_points` (time, maximum value) points: when full, neighbouring intervals
/// merge and the interval doubles, so a ten-hour run costs what a ten-second one does and a
/// spike is never averaged away. One thread at a time; not for the audio thread.
class MaxTimeSeries {
public:
  /// `interval`: initial seconds per point; `max_points`: even, at least 2.
  explicit MaxTimeSeries(double interval = 0.1, std::size_t max_points = 1024);
  /// Effects: accounts `value` at `time` seconds (non-decreasing across calls).
  void record(double time, double value);
  /// Returns: (interval start time, maximum) per interval that saw a value, in time order.
  [[nodiscard]] std::vector<std::pair<double, double>> points() const;
  /// Returns: the seconds each point covers now.
  [[nodiscard]] double interval() const noexcept { return interval_; }

private:
  void halve();

  double interval_;
  std::size_t max_points_;
  std::vector<double> max_; // per interval; NaN where nothing was recorded
};

/// Counts signed values (e.g. callback interval minus the ideal period, microseconds) in
/// equal-width bins over [-range, +range], with the outliers in the two end bins.
class SignedHistogram {
public:
  /// `range`: the largest |value| with a bin of its own; `bins`: even, at least 2.
  SignedHistogram(double range, std::size_t bins = 80);
  /// Effects: counts `value`.
  void record(double value) noexcept;
  /// Returns: (bin low edge, bin high edge, count) for every bin; the end bins reach to
  /// -inf/+inf (their edges say -range/+range).
  struct Bin {
    double low, high;
    std::size_t count;
  };
  [[nodiscard]] std::vector<Bin> bins() const;
  /// Returns: samples counted / mean / RMS / smallest / largest (exact).
  [[nodiscard]] std::size_t count() const noexcept { return count_; }
  [[nodiscard]] double mean() const noexcept { return count_ ? sum_ / double(count_) : 0; }
  [[nodiscard]] double rms() const noexcept;
  [[nodiscard]] double min() const noexcept { return count_ ? min_ : 0; }
  [[nodiscard]] double max() const noexcept { return count_ ? max_ : 0; }

private:
  double range_;
  std::vector<std::size_t> counts_;
  std::size_t count_ = 0;
  double sum_ = 0, sum_squares_ = 0, min_ = 0, max_ = 0;
};

} // namespace rc
