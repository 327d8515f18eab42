// engine/stats/log_histogram.hpp - fixed-memory percentiles of durations (HDR-style buckets).
#pragma once

#include <array>
#include <cstdint>

namespace rc {

/// Counts non-negative integer samples (e.g. nanoseconds) in log-linear buckets: exact below 64,
/// then 32 buckets per power of two (relative error <= 1/32). Fixed size, so memory stays flat
/// however long a recording runs. One thread at a time; not for the audio thread (it is 16 KiB).
class LogHistogram {
public:
  /// Effects: counts one sample.
  void record(std::uint64_t value) noexcept;
  /// Returns: the number of samples recorded.
  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  /// Returns: the largest sample recorded (exact), or 0 when empty.
  [[nodiscard]] std::uint64_t max() const noexcept { return max_; }
  /// Returns: the smallest sample recorded (exact), or 0 when empty.
  [[nodiscard]] std::uint64_t min() const noexcept { return count_ ? min_ : 0; }
  /// Returns: the mean of the samples (exact), or 0 when empty.
  [[nodiscard]] double mean() const noexcept { return count_ ? double(sum_) / double(count_) : 0; }
  /// Returns: the value at or below which fraction `q` (0..1) of samples lie, as the upper edge
  /// of its bucket clamped to max(); 0 when empty.
  [[nodiscard]] std::uint64_t quantile(double q) const noexcept;
  /// Visits each non-empty bucket in ascending order as f(lower, upper_exclusive, count).
  template <class F> void for_each_bucket(F&& f) const {
    for (std::size_t i = 0; i < buckets_.size(); ++i)
      if (buckets_[i] != 0) f(bucket_lower(i), bucket_lower(i + 1), buckets_[i]);
  }

private:
  static constexpr int sub_bits = 5; // 32 sub-buckets per power of two
  static constexpr std::size_t bucket_count = (64 - sub_bits) * (1u << sub_bits) + (1u << sub_bits);
  static std::size_t bucket_of(std::uint64_t value) noexcept;
  static std::uint64_t bucket_lower(std::size_t index) noexcept;

  std::array<std::uint64_t, bucket_count> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint64_t max_ = 0;
  std::uint64_t min_ = ~std::uint64_t{0};
};

} // namespace rc
