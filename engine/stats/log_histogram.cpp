// engine/stats/log_histogram.cpp - see log_histogram.hpp.
#include "engine/stats/log_histogram.hpp"

#include <bit>

namespace rc {

// Values below 2^(sub_bits+1) map to themselves; above, the top sub_bits+1 significant bits
// select the bucket: (exponent, mantissa) -> exponent * 32 + mantissa.
std::size_t LogHistogram::bucket_of(std::uint64_t value) noexcept {
  constexpr std::uint64_t linear_limit = std::uint64_t{1} << (sub_bits + 1);
  if (value < linear_limit) return static_cast<std::size_t>(value);
  const int width = std::bit_width(value); // > sub_bits + 1
  const int shift = width - (sub_bits + 1);
  const std::uint64_t top = value >> shift; // in [32, 64)
  return static_cast<std::size_t>(shift + 1) * (1u << sub_bits) +
         static_cast<std::size_t>(top - (1u << sub_bits));
}

std::uint64_t LogHistogram::bucket_lower(std::size_t index) noexcept {
  constexpr std::size_t linear_buckets = std::size_t{1} << (sub_bits + 1);
  if (index < linear_buckets) return index;
  const std::size_t shift = index / (1u << sub_bits) - 1;
  const std::uint64_t top = (index % (1u << sub_bits)) + (1u << sub_bits);
  if (shift >= 64 - sub_bits - 1 && top >= (std::uint64_t{1} << (63 - shift)))
    return ~std::uint64_t{0};
  return top << shift;
}

void LogHistogram::record(std::uint64_t value) noexcept {
  ++buckets_[bucket_of(value)];
  ++count_;
  sum_ += value;
  if (value > max_) max_ = value;
  if (value < min_) min_ = value;
}

std::uint64_t LogHistogram::quantile(double q) const noexcept {
  if (count_ == 0) return 0;
  if (q <= 0) return min();
  const double target = q * double(count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (buckets_[i] != 0 && double(seen) >= target) {
      const std::uint64_t upper = bucket_lower(i + 1) - 1;
      return upper < max_ ? upper : max_;
    }
  }
  return max_;
}

} // namespace rc
