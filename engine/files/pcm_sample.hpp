// engine/files/pcm_sample.hpp - a float sample as an integer PCM sample: one rule for every
// integer file and stream ringcorder writes.
#pragma once

#include <cstdint>

namespace rc {

/// Returns: `x` (full scale is ±1) as a `bits`-bit PCM sample, 8 to 32, exactly as sox 14.4.2
/// converts (SOX_FLOAT_64BIT_TO_SAMPLE, then SOX_SAMPLE_TO_SIGNED): x · 2^31 rounded half away
/// from zero and clipped to 32 bits, then rounded half up to `bits` bits, clipped at the top.
/// libsndfile's own float conversion rounds down: half a step of offset and twice the error,
/// and a 16-bit file 1 step away from sox's in half of its samples. NaN becomes 0.
/// Real-time safe (no allocation, lock or system call).
inline std::int32_t pcm_sample(float x, int bits) noexcept {
  if (x != x) return 0;
  const double d = double(x) * 2147483648.0;
  std::int64_t s; // sox's 32-bit sample
  if (d < 0)
    s = d <= -2147483648.5 ? INT32_MIN : static_cast<std::int64_t>(d - 0.5);
  else
    s = d >= 2147483647.5 ? INT32_MAX : static_cast<std::int64_t>(d + 0.5);
  if (bits >= 32) return static_cast<std::int32_t>(s);
  const std::int64_t half = std::int64_t{1} << (31 - bits);
  if (s > INT32_MAX - half) return static_cast<std::int32_t>((std::int64_t{1} << (bits - 1)) - 1);
  return static_cast<std::int32_t>((s + half) >> (32 - bits));
}

/// Returns: pcm_sample(x, bits) in the top `bits` bits of 32 (libsndfile's int scale: its
/// sf_write_int stores the top bits of each value in a file of fewer).
inline std::int32_t pcm_word(float x, int bits) noexcept {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(pcm_sample(x, bits)) << (32 - bits));
}

} // namespace rc
