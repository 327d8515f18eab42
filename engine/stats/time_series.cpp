// engine/stats/time_series.cpp - see time_series.hpp.
#include "engine/stats/time_series.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace rc {

MaxTimeSeries::MaxTimeSeries(double interval, std::size_t max_points)
    : interval_(interval), max_points_(std::max<std::size_t>(2, max_points & ~std::size_t{1})) {
  max_.reserve(max_points_);
}

void MaxTimeSeries::record(double time, double value) {
  if (!(time >= 0) || std::isnan(value)) return;
  auto index = static_cast<std::size_t>(time / interval_);
  while (index >= max_points_) {
    halve();
    index = static_cast<std::size_t>(time / interval_);
  }
  if (index >= max_.size()) max_.resize(index + 1, std::numeric_limits<double>::quiet_NaN());
  if (std::isnan(max_[index]) || value > max_[index]) max_[index] = value;
}

void MaxTimeSeries::halve() {
  std::vector<double> merged((max_.size() + 1) / 2, std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i = 0; i < max_.size(); ++i) {
    double& m = merged[i / 2];
    if (!std::isnan(max_[i]) && (std::isnan(m) || max_[i] > m)) m = max_[i];
  }
  max_ = std::move(merged);
  interval_ *= 2;
}

std::vector<std::pair<double, double>> MaxTimeSeries::points() const {
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < max_.size(); ++i)
    if (!std::isnan(max_[i])) out.emplace_back(double(i) * interval_, max_[i]);
  return out;
}

SignedHistogram::SignedHistogram(double range, std::size_t bins)
    : range_(range > 0 ? range : 1.0), counts_(std::max<std::size_t>(2, bins & ~std::size_t{1})) {}

void SignedHistogram::record(double value) noexcept {
  if (std::isnan(value)) return;
  const double width = 2 * range_ / double(counts_.size());
  const double position = std::floor((value + range_) / width);
  const auto last = static_cast<double>(counts_.size() - 1);
  ++counts_[static_cast<std::size_t>(std::clamp(position, 0.0, last))];
  min_ = count_ ? std::min(min_, value) : value;
  max_ = count_ ? std::max(max_, value) : value;
  ++count_;
  sum_ += value;
  sum_squares_ += value * value;
}

double SignedHistogram::rms() const noexcept {
  return count_ ? std::sqrt(sum_squares_ / double(count_)) : 0;
}

std::vector<SignedHistogram::Bin> SignedHistogram::bins() const {
  std::vector<Bin> out;
  const double width = 2 * range_ / double(counts_.size());
  for (std::size_t i = 0; i < counts_.size(); ++i)
    out.push_back({-range_ + double(i) * width, -range_ + double(i + 1) * width, counts_[i]});
  return out;
}

} // namespace rc
