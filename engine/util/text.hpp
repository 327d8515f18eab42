// engine/util/text.hpp - small string helpers shared by messages and descriptions.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <string>

namespace rc {

/// Returns: `s` in ASCII lower case (names and extensions compare case-insensitively).
inline std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// Returns: `v` as printf's %g writes it ("80", "0.707", "1e+06"): how users typed it.
inline std::string shortest(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

/// Returns: `v` as printf writes it with `format`, which holds one double conversion
/// ("%.2f ms"): report lines in a fixed, locale-independent layout.
inline std::string format_double(const char* format, double v);

/// Returns: `ms` in `format` ("%.2f ms"), or "not reported" when the host gave no latency.
inline std::string reported_ms_text(const char* format, const std::optional<double>& ms) {
  return ms ? format_double(format, *ms) : std::string("not reported");
}

inline std::string format_double(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

/// Returns: `message` as one line for stderr: trailing blanks and line breaks dropped, inner
/// line breaks (libsndfile's messages may hold some) folded to "; ".
inline std::string one_line(const std::string& message) {
  std::string line;
  bool line_start = false; // just after a break: its indentation is dropped
  for (const char c : message) {
    if (c == '\n' || c == '\r') {
      if (!line_start && !line.empty()) line += "; ";
      line_start = true;
    } else if (!(line_start && (c == ' ' || c == '\t'))) {
      line += c;
      line_start = false;
    }
  }
  while (!line.empty() && (line.back() == ' ' || line.back() == ';')) line.pop_back();
  return line;
}

} // namespace rc
