// engine/dsp/sox_position.hpp - sox's times and positions, as its effects read them (trim, pad):
// "1:30", "2.5", "4800s", "1.1t", sums and differences ("1:23+37", "1e6s-10"), and positions
// anchored at the start ("="), at the last position ("+") or at the end ("-").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace rc {

/// Any thread. Returns: `text` as a number of frames at `rate`, as sox's lsx_parsesamples reads
/// it: terms of hh:mm:ss.frac time (a colon, a dot without an e, or a trailing t) or of samples
/// (a trailing s; a bare number is time when `bare_is_time`, else samples), joined by + and -
/// (a difference stops at 0). Rounds as sox does (to the nearest frame, halves up). Nothing when
/// the text is not such a sum or a term is out of range (more than max_duration_seconds).
std::optional<std::uint64_t> sox_samples(const std::string& text, double rate,
                                         bool bare_is_time = true);

/// Where a position is anchored when it does not say (sox's `def` argument).
enum class SoxAnchor { start, last, end };

/// What a position resolved to.
struct SoxPosition {
  std::uint64_t frames = 0;    ///< The position, frames from the start.
  bool at_unknown_end = false; ///< "-0" with the length unknown: the end, wherever it is.
};

/// Any thread. Returns: `text` as a position in frames at `rate`, as sox's lsx_parseposition
/// reads it: a first '=', '+' or '-' anchors it at the start, at `last` or at `end` (otherwise
/// `anchor`), the rest a sum as sox_samples. `end` unknown (nothing): only "-0" is accepted
/// relative to the end. Nothing when the text is not a position.
std::optional<SoxPosition> sox_position(const std::string& text, double rate, std::uint64_t last,
                                        std::optional<std::uint64_t> end, SoxAnchor anchor);

} // namespace rc
