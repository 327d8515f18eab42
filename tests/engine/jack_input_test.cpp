// tests/engine/jack_input_test.cpp - --port's patterns (shell wildcards to jack_get_ports'
// regular expressions) and the natural order of the ports they match.
#include "engine/device/jack_input_stream.hpp"

#include <doctest/doctest.h>

#include <regex.h>

#include <algorithm>
#include <string>
#include <vector>

namespace {

/// Returns: whether `pattern` matches `name` as jack_get_ports matches its regex: POSIX extended
/// (regcomp with REG_EXTENDED | REG_NOSUB), searched anywhere in the name, so the anchors make
/// it the whole name.
bool port_matches(const std::string& pattern, const std::string& name) {
  regex_t compiled;
  REQUIRE(regcomp(&compiled, rc::port_pattern_regex(pattern).c_str(), REG_EXTENDED | REG_NOSUB) ==
          0);
  const bool match = regexec(&compiled, name.c_str(), 0, nullptr, 0) == 0;
  regfree(&compiled);
  return match;
}

} // namespace

TEST_CASE("port patterns: * and ? are wildcards, the rest literal, the whole name anchored") {
  CHECK(rc::port_pattern_regex("system:capture_*") == "^system:capture_.*$");
  CHECK(port_matches("system:capture_*", "system:capture_1"));
  CHECK(port_matches("system:capture_*", "system:capture_12"));
  CHECK_FALSE(port_matches("system:capture_*", "system:playback_1"));
  CHECK_FALSE(port_matches("capture_*", "system:capture_1"));         // anchored at the start
  CHECK_FALSE(port_matches("system:capture_1", "system:capture_12")); // and at the end
  CHECK(port_matches("src:out_1?", "src:out_10"));
  CHECK_FALSE(port_matches("src:out_1?", "src:out_1"));
  CHECK_FALSE(port_matches("src:out_1?", "src:out_100"));
  CHECK(port_matches("*", "anything:at_all"));
}

TEST_CASE("port patterns: regular-expression characters in a name are literal") {
  const std::string odd = "a.b[1](x)+y|z^$\\{2}:out";
  CHECK(port_matches(odd, odd));
  CHECK_FALSE(port_matches("a.b", "axb"));
  CHECK_FALSE(port_matches("x+", "xx"));
  CHECK(port_matches("PulseAudio JACK Sink:front-*", "PulseAudio JACK Sink:front-left"));
}

TEST_CASE("natural order: numbers by value, the rest character by character") {
  std::vector<std::string> names{"src:out_10", "src:out_2", "src:out_1",   "system:capture_1",
                                 "src:out_0",  "src:out_9", "src:out_100", "src:in"};
  std::sort(names.begin(), names.end(), rc::natural_less);
  CHECK(names == std::vector<std::string>{"src:in", "src:out_0", "src:out_1", "src:out_2",
                                          "src:out_9", "src:out_10", "src:out_100",
                                          "system:capture_1"});
  CHECK(rc::natural_less("a2b", "a10a"));
  CHECK(rc::natural_less("a1", "a1b"));
  CHECK_FALSE(rc::natural_less("a1", "a1"));
  // Leading zeros: equal values still have one order, so a sort is total.
  CHECK(rc::natural_less("x1", "x01") != rc::natural_less("x01", "x1"));
  CHECK(rc::natural_less("x007", "x8"));
}
