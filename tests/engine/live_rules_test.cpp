// tests/engine/live_rules_test.cpp - the rules a live request must meet whatever the device,
// checked once in the engine (capture_options_problem() and its kin) and asked by the command
// line; and the JSON of a process run.
#include "engine/live/capture_session.hpp"
#include "engine/live/latency_session.hpp"
#include "engine/live/playback_rig.hpp"
#include "engine/live/playthrough_session.hpp"
#include "engine/report/process_report.hpp"
#include "engine/tap/tap_publisher.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

using namespace rc;

TEST_CASE("capture rules: pre-roll ceiling, split files or takes, tap size") {
  CaptureOptions o;
  CHECK(capture_options_problem(o).empty());
  o.pre_roll_seconds = max_pre_roll_seconds;
  CHECK(capture_options_problem(o).empty());
  o.pre_roll_seconds = max_pre_roll_seconds + 0.001;
  CHECK(capture_options_problem(o) == "--pre-roll is at most 600 seconds");
  o.pre_roll_seconds = 1;

  o.split_seconds = 10; // split files are fine on their own...
  CHECK(capture_options_problem(o).empty());
  o.armed = true; // ...but not with takes
  CHECK(capture_options_problem(o).find("cannot be combined with triggered takes") !=
        std::string::npos);
  o.split_seconds = 0;
  o.split_bytes = 1 << 20;
  CHECK(!capture_options_problem(o).empty());
  o.split_bytes = 0;
  CHECK(capture_options_problem(o).empty());

  o.tap_geometry = {1u << 20, 1024}; // 8 GiB, but no tap asked for
  CHECK(capture_options_problem(o).empty());
  o.tap_name = "studio";
  CHECK(capture_options_problem(o).find("at most 1 GiB") != std::string::npos);
  o.tap_geometry = {1u << 17, 1024}; // exactly 1 GiB
  CHECK(capture_options_problem(o).empty());
}

TEST_CASE("tap geometry: at least 2 slots of 1 to 1048576 frames, at most 1 GiB") {
  CHECK(tap_geometry_problem({}, 2).empty());
  CHECK(!tap_geometry_problem({1, 1024}, 2).empty());
  CHECK(!tap_geometry_problem({256, 0}, 2).empty());
  CHECK(!tap_geometry_problem({2, (1u << 20) + 1}, 2).empty());
  CHECK(tap_geometry_problem({1024, 1u << 17}, 2).empty());
  CHECK(!tap_geometry_problem({1025, 1u << 17}, 2).empty());
  CHECK_THROWS_AS(tap_shm_need("t", {1025, 1u << 17}, 2), std::invalid_argument);
  // The cap is in bytes: a frame of 8 channels is four times a stereo one, of 1 half.
  CHECK(tap_geometry_problem({256, 1u << 18}, 1).empty());
  CHECK(tap_geometry_problem({512, 1u << 17}, 2).empty()); // 512 MiB of stereo
  CHECK(tap_geometry_problem({512, 1u << 17}, 8).find("32 bytes a frame of 8 channels") !=
        std::string::npos); // 2 GiB of 8 channels
  CHECK(tap_geometry_problem({256, 1u << 15}, 8).empty());
  CHECK(!tap_geometry_problem({}, 0).empty());
  CHECK(!tap_geometry_problem({}, max_channels + 1).empty());
}

TEST_CASE("playback fill: not below one asked-for period, anything when the host chooses") {
  CHECK(playback_buffer_problem(0, 0).empty());
  CHECK(playback_buffer_problem(0, 256).empty()); // the default: one period
  CHECK(playback_buffer_problem(64, 0).empty());  // the host's period is not known yet
  CHECK(playback_buffer_problem(128, 128).empty());
  CHECK(playback_buffer_problem(127, 128).find("at least one period (128 frames)") !=
        std::string::npos);

  PlaythroughOptions p;
  CHECK(playthrough_options_problem(p).empty());
  p.period = 128;
  p.buffer_frames = 64;
  CHECK(!playthrough_options_problem(p).empty());
  p.buffer_frames = 0;
  p.tap_name = "t";
  p.tap_geometry = {1, 16};
  CHECK(!playthrough_options_problem(p).empty());
}

TEST_CASE("latency rules: a duration, channel and repeat from 1, a fill on the ring path only") {
  LatencyOptions o;
  CHECK(latency_options_problem(o).empty());
  o.duration = 0;
  CHECK(!latency_options_problem(o).empty());
  o.duration = 3;
  o.input_channel = -1;
  CHECK(!latency_options_problem(o).empty());
  o.input_channel = 0;
  o.repeat = 0;
  CHECK(!latency_options_problem(o).empty());
  o.repeat = 1;
  o.buffer_frames = 256;
  CHECK(latency_options_problem(o) == "--buffer applies to --path ring only");
  o.path = LatencyPath::ring;
  CHECK(latency_options_problem(o).empty());
  o.period = 512;
  CHECK(!latency_options_problem(o).empty());
}

TEST_CASE("the engine refuses what its rules refuse, before any device is touched") {
  struct NoControls : LiveControls {
    std::optional<StopReason> stop_requested() noexcept override { return std::nullopt; }
  };
  NoControls controls;
  CaptureOptions c;
  c.pre_roll_seconds = 601;
  CHECK_THROWS_AS(run_capture(c, controls, {}), std::invalid_argument);
  PlaythroughOptions p;
  p.period = 128;
  p.buffer_frames = 16;
  CHECK_THROWS_AS(run_playthrough(p, controls, {}), std::invalid_argument);
  LatencyOptions l;
  l.buffer_frames = 256;
  CHECK_THROWS_AS(run_latency(l, controls, {}), std::invalid_argument);
}

TEST_CASE("process JSON: every file in order, converted ones with their figures") {
  ProcessResult r;
  r.input = "in.wav";
  r.output = "out.flac";
  r.input_format = "WAV float";
  r.output_format = "FLAC 24-bit";
  r.input_rate = r.output_rate = 48000;
  r.input_channels = r.output_channels = 2;
  r.frames_in = r.frames_out = 96000;
  r.chain = "gain -3";
  r.clips = {{"gain 9", 12}};
  r.seconds = 0.5;
  const std::string text = to_json(
      {{"in.wav", "out.flac", r, ""}, {"missing.wav", "out2.flac", std::nullopt, "no such file"}});
  const auto j = nlohmann::json::parse(text);
  CHECK(j["converted"] == 1);
  CHECK(j["failed"] == 1);
  REQUIRE(j["files"].size() == 2);
  CHECK(j["files"][0]["ok"] == true);
  CHECK(j["files"][0]["error"].is_null());
  CHECK(j["files"][0]["frames_out"] == 96000);
  CHECK(j["files"][0]["clipped"]["gain 9"] == 12);
  CHECK(j["files"][0]["speed"].get<double>() == doctest::Approx(4.0));
  CHECK(j["files"][1]["ok"] == false);
  CHECK(j["files"][1]["error"] == "no such file");
  CHECK(!j["files"][1].contains("frames_out"));
}
