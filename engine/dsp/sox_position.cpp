// engine/dsp/sox_position.cpp - see sox_position.hpp. The grammar and rounding are sox's
// (effects_i.c: parsesamples, lsx_parseposition), checked against its own test cases.
#include "engine/dsp/sox_position.hpp"

#include "engine/util/parse_number.hpp"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace rc {

namespace {

/// The largest term: max_duration_seconds at 768 kHz, exact in a double and far from 2^64.
constexpr double max_term = max_duration_seconds * 768000.0;

/// Parses a sum of terms from `text` at `pos` into `frames` (combined into it with `combine`,
/// '+' or '-'). Returns: the index after the sum, or nothing on a syntax error.
std::optional<std::size_t> parse_sum(const std::string& text, std::size_t pos, double rate,
                                     bool bare_is_time, std::uint64_t& frames, char combine) {
  static constexpr std::string_view term_chars = "0123456789:.ets";
  do {
    while (pos < text.size() && text[pos] == ' ') ++pos;
    std::size_t end = pos;
    while (end < text.size() && term_chars.find(text[end]) != std::string_view::npos) ++end;
    if (end == pos) return std::nullopt;
    const std::string term = text.substr(pos, end - pos);
    const bool colon = term.find(':') != std::string::npos;
    const bool dot = term.find('.') != std::string::npos;
    const bool e = term.find('e') != std::string::npos;
    const bool time = colon || (dot && !e) || term.back() == 't';
    const bool samples = !time && term.back() == 's';
    double part = 0;
    const char* s = term.c_str();
    char* after = nullptr;
    if (time || (bare_is_time && !samples)) {
      if (e) return std::nullopt; // no e notation in a time
      double whole = 0;           // hh:mm:ss, each part an integer, as sox's strtol
      for (int i = 0; *s != '.' && i < 3; ++i) {
        const long n = std::strtol(s, &after, 10);
        if (i == 0 && after == s) return std::nullopt;
        if (n < 0) return std::nullopt;
        s = after;
        whole = std::floor(whole + rate * static_cast<double>(n)); // sox adds to an integer
        if (i < 2) {
          if (*s != ':') break;
          ++s;
          whole *= 60;
        }
      }
      part = whole;
      if (*s == '.') {
        const double fraction = std::strtod(s, &after);
        if (after == s) return std::nullopt;
        s = after;
        part = std::floor(part + rate * fraction + 0.5);
      }
      if (*s == 't') ++s;
    } else {
      const double n = std::strtod(s, &after);
      if (after == s || !std::isfinite(n) || n < 0) return std::nullopt;
      s = after;
      part = std::floor(n + 0.5);
      if (*s == 's') ++s;
    }
    if (s != term.c_str() + term.size()) return std::nullopt; // trailing characters
    if (!(part <= max_term)) return std::nullopt;
    const auto value = static_cast<std::uint64_t>(part);
    if (combine == '+')
      frames += value;
    else
      frames = value <= frames ? frames - value : 0;
    pos = end;
    combine = '\0';
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) combine = text[pos++];
  } while (combine != '\0');
  return pos;
}

} // namespace

std::optional<std::uint64_t> sox_samples(const std::string& text, double rate, bool bare_is_time) {
  std::uint64_t frames = 0;
  const auto end = parse_sum(text, 0, rate, bare_is_time, frames, '+');
  if (!end || *end != text.size()) return std::nullopt;
  return frames;
}

std::optional<SoxPosition> sox_position(const std::string& text, double rate, std::uint64_t last,
                                        std::optional<std::uint64_t> end, SoxAnchor anchor) {
  std::size_t pos = 0;
  char a = anchor == SoxAnchor::start ? '=' : anchor == SoxAnchor::last ? '+' : '-';
  if (pos < text.size() && std::strchr("+-=", text[pos]) != nullptr && text[pos] != '\0')
    a = text[pos++];
  char combine = '+';
  if (a == '+' || a == '-') {
    combine = a;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) combine = text[pos++];
  }
  if (a == '-' && !end) {
    // Relative to an end not known yet: only "-0", the end itself.
    if (text.substr(pos) == "0") return SoxPosition{0, true};
    return std::nullopt;
  }
  std::uint64_t frames = a == '=' ? 0 : a == '+' ? last : *end;
  const auto stop = parse_sum(text, pos, rate, true, frames, combine);
  if (!stop || *stop != text.size()) return std::nullopt;
  return SoxPosition{frames, false};
}

} // namespace rc
