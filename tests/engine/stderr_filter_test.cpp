// tests/engine/stderr_filter_test.cpp - PortAudio's assertion lines are dropped, nothing else is
// held back or changed.
#include "engine/device/stderr_filter.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using rc::StderrFilter;

namespace {
const std::string assertion =
    "Expression 'alsa_snd_pcm_poll_descriptors_revents( self->pcm, pfds, self->nfds, &revents )' "
    "failed in 'src/hostapi/alsa/pa_linux_alsa.c', line: 3665\n";

/// Returns: what the filter forwards when `text` arrives in `pieces` of the given sizes.
std::string through(const std::string& text, std::vector<std::size_t> pieces,
                    unsigned long* dropped = nullptr) {
  StderrFilter filter;
  std::string out;
  std::size_t at = 0;
  for (std::size_t size : pieces) {
    filter.write(std::string_view(text).substr(at, size), out);
    at += size;
  }
  filter.write(std::string_view(text).substr(std::min(at, text.size())), out);
  if (dropped != nullptr) *dropped = filter.dropped();
  return out;
}
} // namespace

TEST_CASE("stderr filter: PortAudio's assertion lines go, ours stay, in order") {
  const std::string ours = "ringcorder: the audio device stopped delivering input\n";
  unsigned long dropped = 0;
  CHECK(through(assertion + ours + assertion, {}, &dropped) == ours);
  CHECK(dropped == 2);
  // Byte by byte, as an unbuffered stream may deliver them.
  const std::string text = assertion + ours;
  CHECK(through(text, std::vector<std::size_t>(text.size(), 1), &dropped) == ours);
  CHECK(dropped == 1);
}

TEST_CASE("stderr filter: a line is held only while it can still be PortAudio's") {
  StderrFilter filter;
  std::string out;
  // A live status line redrawn with '\r' and no newline passes at once.
  filter.write("\r 00:01  -12 dB", out);
  CHECK(out == "\r 00:01  -12 dB");
  out.clear();
  filter.write(" more\n", out);
  CHECK(out == " more\n");
  out.clear();
  // "Exp" might become an assertion: held; "Expected" cannot: forwarded whole.
  filter.write("Exp", out);
  CHECK(out.empty());
  filter.write("ected 3 frames", out);
  CHECK(out == "Expected 3 frames");
  out.clear();
  // A line that starts like one but is not one (no "failed in 'src/") is kept, whole.
  filter.write("Expression 'x' is fine\n", out);
  CHECK(out == "Expression 'x' is fine\n");
  CHECK(filter.dropped() == 0);
}

TEST_CASE("stderr filter: identifies the assertion form only") {
  CHECK(StderrFilter::is_portaudio_assertion(assertion.substr(0, assertion.size() - 1)));
  CHECK_FALSE(StderrFilter::is_portaudio_assertion("ringcorder: Expression 'a' failed in 'src/x'"));
  CHECK_FALSE(StderrFilter::is_portaudio_assertion(""));
}
