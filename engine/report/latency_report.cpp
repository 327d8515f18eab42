// engine/report/latency_report.cpp - the latency report as JSON and text.
#include "engine/capture/report_json.hpp"
#include "engine/live/latency_session.hpp"
#include "engine/util/text.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

namespace rc {

namespace {
// JSON has no NaN or infinity, and a delay that was not measured is null, not 0.
nlohmann::ordered_json number_or_null(double v, bool present = true) {
  return present && std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json();
}
} // namespace

namespace {

/// jackd's -I and -O for the unclaimed part: half each, as jack_iodelay suggests. None when the
/// graph claims more than was measured: a port claiming latency is connected to ours without
/// being on the loopback (PortAudio connects ours to system:*; on a graph loopback the driver's
/// claims are then counted but not travelled), and no -I/-O can be derived from that.
struct JackdLatency {
  long long input = 0, output = 0;
};
std::optional<JackdLatency> jackd_latency(const LatencyReport& r) {
  const std::optional<double> unclaimed = r.unclaimed_frames();
  if (!r.on_jack() || !unclaimed) return std::nullopt;
  const long long total = std::llround(*unclaimed);
  if (total < 0) return std::nullopt;
  return JackdLatency{total / 2, total - total / 2};
}

/// A latency run records nothing, runs no effects and publishes no tap: its stream has these.
constexpr ReportSection latency_sections[] = {ReportSection::stream, ReportSection::stop};

std::string periods_text(const LatencyReport& r) {
  return r.period > 0 ? format_double(" = %.2f periods", r.round_trip_frames / r.period) : "";
}

} // namespace

std::string to_json(const LatencyReport& r) {
  using json = nlohmann::ordered_json;
  const bool measured = r.measured();
  const double rate = r.rate > 0 ? r.rate : 1;
  json measurements = json::array();
  for (const LatencyMeasurement& m : r.measurements) {
    const RoundTripEstimate& e = m.estimate;
    measurements.push_back({{"time", m.time},
                            {"periods", e.periods},
                            {"frames", number_or_null(e.frames, e.has_delay())},
                            {"error_frames", number_or_null(e.error_frames, e.has_delay())},
                            {"status", status_name(e.status)},
                            {"gain_db", number_or_null(e.gain_db)},
                            {"input_dbfs", e.input_dbfs},
                            {"snr_db", number_or_null(e.snr_db)}});
  }
  const std::optional<double> unclaimed = r.unclaimed_frames();
  const std::optional<JackdLatency> jackd = jackd_latency(r);
  json opens = json::array();
  for (const LatencyOpen& o : r.opens)
    opens.push_back({{"status", status_name(o.status)},
                     {"round_trip_frames", number_or_null(o.round_trip_frames, o.measured())},
                     {"error_frames", number_or_null(o.error_frames, o.measured())}});
  const json doc = {
      {"path", to_string(r.path)},
      {"input_device", r.input_device},
      {"output_device", r.output_device},
      {"host_api", r.host_api},
      {"rate", r.rate},
      {"period", r.period},
      {"period_asked", r.period_asked},
      {"buffer_frames", r.buffer_frames},
      {"status", status_name(r.status)},
      {"message", r.message},
      {"tolerance_frames", LatencyRule::tolerance_frames},
      {"round_trip_frames", number_or_null(r.round_trip_frames, measured)},
      {"round_trip_ms", number_or_null(r.round_trip_ms, measured)},
      {"round_trip_periods",
       number_or_null(r.period > 0 ? r.round_trip_frames / r.period : 0, measured && r.period > 0)},
      {"error_frames", number_or_null(r.error_frames, measured)},
      {"window_periods", measured ? json(r.window_periods) : json()},
      {"windows_used", r.valid},
      {"min_frames", number_or_null(r.min_frames, measured)},
      {"max_frames", number_or_null(r.max_frames, measured)},
      {"stddev_frames", number_or_null(r.stddev_frames, measured)},
      {"drift_ppm", optional_json(r.drift_ppm)},
      {"drift_error_ppm", optional_json(r.drift_error_ppm)},
      {"snr_db", number_or_null(r.snr_db, r.status != RoundTripEstimate::Status::no_signal)},
      {"gain_db", number_or_null(r.gain_db, r.status != RoundTripEstimate::Status::no_signal)},
      {"reported_frames", optional_json(r.reported_frames)},
      {"reported_input_ms", optional_json(r.reported_input_ms)},
      {"reported_output_ms", optional_json(r.reported_output_ms)},
      {"jack_claim", r.jack_claim
                         ? json{{"capture_frames", r.jack_claim->capture_frames},
                                {"playback_frames", r.jack_claim->playback_frames},
                                {"portaudio_input_frames", r.jack_claim->portaudio_input_frames},
                                {"portaudio_output_frames", r.jack_claim->portaudio_output_frames}}
                         : json()},
      {"unclaimed_frames", optional_json(unclaimed)},
      {"unclaimed_ms",
       optional_json(unclaimed ? std::optional(1000.0 * *unclaimed / rate) : std::nullopt)},
      {"jackd_input_frames", jackd ? json(jackd->input) : json()},
      {"jackd_output_frames", jackd ? json(jackd->output) : json()},
      {"opens", opens},
      {"open_spread_frames", optional_json(r.open_spread_frames)},
      {"ring_adds_frames", r.ring_adds_frames},
      {"underrun_events", r.underrun_events},
      {"underrun_frames", r.underrun_frames},
      {"worker_realtime", r.worker_realtime},
      {"measurements", measurements},
      {"stream", sections_json(r.stream, latency_sections)},
      {"timing", timing_json(r.stream.timing)}};
  return doc.dump(2) + "\n";
}

std::string to_text(const LatencyReport& r) {
  const double rate = r.rate > 0 ? r.rate : 1;
  std::string out;
  out += std::string("latency   ") + to_string(r.path) + " path, " + r.input_device + " -> " +
         r.output_device + " [" + r.host_api + "], " + std::to_string(r.rate) + " Hz, period " +
         std::to_string(r.period) + (r.period_asked ? " (asked)" : " (the host's)") + "\n";
  out += std::string("status    ") + status_name(r.status) + ": " + r.message + "\n";
  if (r.measured()) {
    out += "round trip " + format_double("%.3f frames", r.round_trip_frames) +
           format_double(" (%.3f ms)", r.round_trip_ms) + periods_text(r) +
           format_double(", within %.2f frame", LatencyRule::tolerance_frames) + "; min " +
           format_double("%.3f", r.min_frames) + ", max " + format_double("%.3f", r.max_frames) +
           ", stddev " + format_double("%.4f", r.stddev_frames) + " over " +
           std::to_string(r.valid) + " windows\n";
    out += "includes  every buffer between the output and the input: the host's and PortAudio's "
           "buffers for a period of " +
           std::to_string(r.period) + " frames" + (r.period_asked ? " (asked)" : " (the host's)") +
           (r.path == LatencyPath::ring
                ? ", the playback target fill of " + std::to_string(r.buffer_frames) + " frames"
                : std::string()) +
           ", and what nobody reports (converters, cables, the server's own cycle)\n";
    if (r.path == LatencyPath::ring)
      out += "ring path adds " + std::to_string(r.buffer_frames) + " frames" +
             format_double(" (%.3f ms, the playback target fill)",
                           1000.0 * double(r.buffer_frames) / rate) +
             "; the device path is " +
             format_double("%.3f frames", r.round_trip_frames - r.ring_adds_frames) + "\n";
    if (r.drift_ppm)
      out += format_double("drift     %+.2f ppm", *r.drift_ppm) +
             format_double(" (standard error %.2f ppm): input and output clocks apart\n",
                           r.drift_error_ppm.value_or(0));
  }
  out +=
      "claimed   " +
      (r.reported_frames ? format_double("%.1f frames", *r.reported_frames)
                         : std::string("nothing")) +
      (r.jack_claim ? " by JACK's ports and PortAudio" : " by the host through PortAudio") +
      " (not measured: input " + reported_ms_text("%.3f ms", r.reported_input_ms) + " + output " +
      reported_ms_text("%.3f ms", r.reported_output_ms) +
      (r.jack_claim ? format_double("; capture %.0f", r.jack_claim->capture_frames) +
                          format_double(" + playback %.0f frames", r.jack_claim->playback_frames) +
                          format_double(" from the graph, %.0f frames PortAudio's buffering",
                                        r.jack_claim->portaudio_input_frames +
                                            r.jack_claim->portaudio_output_frames)
                    : std::string()) +
      ")\n";
  if (const std::optional<double> unclaimed = r.unclaimed_frames()) {
    out += "unclaimed " + format_double("%.1f frames", *unclaimed) +
           format_double(" (%.3f ms)", 1000.0 * *unclaimed / rate) + ": measured minus claimed";
    if (const std::optional<JackdLatency> jackd = jackd_latency(r))
      out += "; for jackd: -I " + std::to_string(jackd->input) + " -O " +
             std::to_string(jackd->output) + " (as jack_iodelay suggests)";
    else if (r.on_jack() && std::llround(*unclaimed) < 0)
      out += "; JACK claims more than the loopback takes (a port connected to ours, such as "
             "system:*, is not on it): no -I/-O follows";
    out += "\n";
  }
  if (r.measured())
    out += "for a DAW a recording offset of " + format_double("%.1f frames", r.round_trip_frames) +
           format_double(" (%.3f ms)", r.round_trip_ms) + " where it compensates nothing" +
           (r.unclaimed_frames() ? format_double(", or %.1f frames", *r.unclaimed_frames()) +
                                       " where it already compensates what the host claims"
                                 : std::string()) +
           "\n";
  if (r.opens.size() > 1) {
    out += "opens     " + std::to_string(r.opens.size()) + ":";
    for (std::size_t i = 0; i < r.opens.size(); ++i)
      out += (i == 0 ? " " : ", ") + (r.opens[i].measured()
                                          ? format_double("%.3f", r.opens[i].round_trip_frames)
                                          : std::string(status_name(r.opens[i].status)));
    out += " frames" +
           (r.open_spread_frames ? format_double("; spread %.3f frames", *r.open_spread_frames)
                                 : std::string()) +
           "\n";
  }
  if (r.path == LatencyPath::ring)
    out += "underruns " + std::to_string(r.underrun_events) + " events, " +
           std::to_string(r.underrun_frames) + " frames\n";
  for (const ReportSection section : latency_sections) out += section_text(r.stream, section);
  return out;
}

} // namespace rc
