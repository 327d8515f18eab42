// tests/engine/jack_claim_test.cpp - the host's latency claim on JACK: the graph's latencies of
// our ports plus PortAudio's buffering, and when there is none to give.
#include "engine/latency/jack_claim.hpp"

#include <doctest/doctest.h>

TEST_CASE("jack latency claim: our input channel's capture plus the largest playback plus "
          "PortAudio's buffering") {
  const rc::JackPortClaims ports{{128, 300}, {128, 200, 150}};
  const std::optional<rc::JackClaim> claim = rc::jack_claim(ports, 1, 0, 64, 48000);
  REQUIRE(claim);
  CHECK(claim->capture_frames == 300);
  CHECK(claim->playback_frames == 200);
  CHECK(claim->input_frames() == 300);
  CHECK(claim->output_frames() == 264);
  CHECK(claim->total_frames() == 564);
  CHECK(rc::jack_claim(ports, 0, 0, 0, 48000)->total_frames() == 328);
}

TEST_CASE("jack latency claim: none without the ports it is read from") {
  CHECK_FALSE(rc::jack_claim({{128}, {}}, 0, 0, 0, 48000));
  CHECK_FALSE(rc::jack_claim({{}, {128}}, 0, 0, 0, 48000));
  CHECK_FALSE(rc::jack_claim({{128}, {128}}, 1, 0, 0, 48000)); // no port for channel 2
  CHECK_FALSE(rc::jack_claim({{128}, {128}}, -1, 0, 0, 48000));
}

TEST_CASE("jack latency claim: a range no client set (2^32 - 1 frames) is no claim") {
  CHECK_FALSE(rc::jack_claim({{4294967295u}, {128}}, 0, 0, 0, 48000));
  CHECK_FALSE(rc::jack_claim({{128}, {128, 480000}}, 0, 0, 0, 48000)); // 10 s
  CHECK(rc::jack_claim({{128}, {128, 479999}}, 0, 0, 0, 48000));
}
