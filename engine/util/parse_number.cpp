// engine/util/parse_number.cpp - see parse_number.hpp.
#include "engine/util/parse_number.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace rc {

std::optional<double> parse_finite(const std::string& text) {
  if (text.empty() || std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<double> parse_duration(const std::string& text) {
  double total = 0;
  std::size_t start = 0;
  int fields = 0;
  for (;;) {
    const std::size_t colon = text.find(':', start);
    const std::string part =
        text.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    const std::optional<double> value = parse_finite(part);
    if (!value || *value < 0 || part.front() == '+' || part.front() == '-') return std::nullopt;
    const bool last = colon == std::string::npos;
    // Only the last field may have a fraction, and minutes/seconds before it stay below 60.
    if (!last && *value != std::floor(*value)) return std::nullopt;
    if (fields > 0 && *value >= 60) return std::nullopt;
    total = total * 60 + *value;
    if (++fields > 3) return std::nullopt;
    if (last) break;
    start = colon + 1;
  }
  return total;
}

} // namespace rc
