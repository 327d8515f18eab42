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

} // namespace rc
