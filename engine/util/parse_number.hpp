// engine/util/parse_number.hpp - strict parsing of the numbers and durations users type.
#pragma once

#include <optional>
#include <string>

namespace rc {

/// Returns: the finite number `text` spells in full (no trailing junk, no NaN/inf), or nullopt.
std::optional<double> parse_finite(const std::string& text);

/// Returns: a duration in seconds from "90", "2.5", "1:30", "01:02:03.5" (sox's [[hh:]mm:]ss),
/// or nullopt if malformed or negative.
std::optional<double> parse_duration(const std::string& text);

/// The longest duration or time position any option or effect accepts, in seconds (about 31
/// years): times 768 kHz it is still an exact integer in a double and fits 64 bits, so frame
/// positions computed from user times never overflow.
inline constexpr double max_duration_seconds = 1e9;

} // namespace rc
