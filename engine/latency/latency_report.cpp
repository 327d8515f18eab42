// engine/latency/latency_report.cpp - the latency report as JSON and text.
#include "engine/capture/report_json.hpp"
#include "engine/latency/latency_session.hpp"
#include "engine/util/text.hpp"

#include <cmath>

namespace rc {

namespace {
// JSON has no NaN or infinity, and a delay that was not measured is null, not 0.
nlohmann::ordered_json number_or_null(double v, bool present = true) {
  return present && std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}
} // namespace

std::string to_json(const LatencyReport& r) {
  using json = nlohmann::ordered_json;
  const bool measured = r.valid > 0;
  json measurements = json::array();
  for (const LatencyMeasurement& m : r.measurements) {
    const bool has_delay = m.estimate.status == RoundTripEstimate::Status::ok ||
                           m.estimate.status == RoundTripEstimate::Status::inverted;
    measurements.push_back({{"time", m.time},
                            {"frames", number_or_null(m.estimate.frames, has_delay)},
                            {"status", status_name(m.estimate.status)},
                            {"gain_db", number_or_null(m.estimate.gain_db)},
                            {"snr_db", number_or_null(m.estimate.snr_db)}});
  }
  json stream = capture_json(r.stream);
  const json timing = stream["timing"];
  for (const char* key : {"timing", "output", "format", "frames_written", "peak_dbfs", "rms_dbfs",
                          "clipped_samples", "effects", "effect_clips", "disk_latency_ms"})
    stream.erase(key);
  const json doc = {{"path", r.path},
                    {"input_device", r.input_device},
                    {"output_device", r.output_device},
                    {"host_api", r.host_api},
                    {"rate", r.rate},
                    {"period", r.period},
                    {"buffer_frames", r.buffer_frames},
                    {"status", r.status},
                    {"message", r.message},
                    {"round_trip_frames", number_or_null(r.round_trip_frames, measured)},
                    {"round_trip_ms", number_or_null(r.round_trip_ms, measured)},
                    {"min_frames", number_or_null(r.min_frames, measured)},
                    {"max_frames", number_or_null(r.max_frames, measured)},
                    {"stddev_frames", number_or_null(r.stddev_frames, measured)},
                    {"reported_frames", optional_json(r.reported_frames)},
                    {"reported_input_ms", optional_json(r.reported_input_ms)},
                    {"reported_output_ms", optional_json(r.reported_output_ms)},
                    {"ring_adds_frames", r.ring_adds_frames},
                    {"underrun_events", r.underrun_events},
                    {"underrun_frames", r.underrun_frames},
                    {"worker_realtime", r.worker_realtime},
                    {"measurements", measurements},
                    {"stream", stream},
                    {"timing", timing}};
  return doc.dump(2) + "\n";
}

std::string to_text(const LatencyReport& r) {
  const double rate = r.rate > 0 ? r.rate : 1;
  std::string out;
  out += "latency   " + r.path + " path, " + r.input_device + " -> " + r.output_device + " [" +
         r.host_api + "], " + std::to_string(r.rate) + " Hz, period " + std::to_string(r.period) +
         "\n";
  out += "status    " + r.status + ": " + r.message + "\n";
  if (r.valid > 0) {
    out += "round trip " + format_double("%.3f frames", r.round_trip_frames) +
           format_double(" (%.3f ms)", r.round_trip_ms) + ", min " +
           format_double("%.3f", r.min_frames) + ", max " + format_double("%.3f", r.max_frames) +
           ", stddev " + format_double("%.4f", r.stddev_frames) + " over " +
           std::to_string(r.valid) + " measurements\n";
    if (r.path == "ring")
      out += "ring path adds " + std::to_string(r.buffer_frames) + " frames" +
             format_double(" (%.3f ms, the playback target fill)",
                           1000.0 * double(r.buffer_frames) / rate) +
             "; the device path is " +
             format_double("%.3f frames", r.round_trip_frames - r.ring_adds_frames) + "\n";
  }
  out +=
      "reported  " +
      (r.reported_frames ? format_double("%.1f frames", *r.reported_frames)
                         : std::string("not reported")) +
      " (the host's claim through PortAudio, not measured: input " +
      reported_ms_text("%.3f ms", r.reported_input_ms) + " + output " +
      reported_ms_text("%.3f ms", r.reported_output_ms) + ")" +
      (r.valid > 0 && r.reported_frames ? format_double("; measured minus reported: %+.1f frames",
                                                        r.round_trip_frames - *r.reported_frames)
                                        : std::string()) +
      "\n";
  if (r.path == "ring")
    out += "underruns " + std::to_string(r.underrun_events) + " events, " +
           std::to_string(r.underrun_frames) + " frames\n";
  std::string stream = to_text(r.stream);
  stream.erase(0, stream.find('\n') + 1); // no "recorded" line
  out += stream;
  return out;
}

} // namespace rc
