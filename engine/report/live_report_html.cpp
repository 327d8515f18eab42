// engine/report/live_report_html.cpp - see live_report_html.hpp.
#include "engine/report/live_report_html.hpp"
#include "engine/util/text.hpp"

#include "engine/report/html_page.hpp"
#include "engine/report/svg_chart.hpp"

namespace rc {

namespace {

Series series_of(std::string label, const MaxTimeSeries& s) {
  Series out{std::move(label), {}};
  for (const auto& point : s.points()) out.points.push_back(point);
  return out;
}

// The parts every live run shares: jitter histogram, ring fill over time, problems.
void add_stream_sections(HtmlPage& page, const CaptureReport& r) {
  const StreamTiming& t = r.timing;
  page.add_heading("Callback timing");
  std::vector<std::pair<std::string, std::string>> rows = {
      {"callbacks", std::to_string(r.callbacks)},
      {"ideal interval", format_double("%.1f us", t.period_us())},
      {"callback run time", format_double("p50 %.2f us", r.callback_us.p50) +
                                format_double(", p99 %.2f us", r.callback_us.p99) +
                                format_double(", max %.2f us", r.callback_us.max)},
      {"worker wake-up delay", format_double("p50 %.0f us", r.worker_wake_delay_us.p50) +
                                   format_double(", p99 %.0f us", r.worker_wake_delay_us.p99) +
                                   format_double(", max %.0f us", r.worker_wake_delay_us.max)},
  };
  if (!r.output_path.empty())
    rows.push_back(
        {"capture-to-disk latency", format_double("p50 %.2f ms", r.disk_latency_ms.p50) +
                                        format_double(", p99 %.2f ms", r.disk_latency_ms.p99) +
                                        format_double(", max %.2f ms", r.disk_latency_ms.max)});
  if (const auto& j = t.jitter_us())
    rows.push_back({"interval minus ideal", format_double("mean %+.1f us", j->mean()) +
                                                format_double(", rms %.1f us", j->rms()) +
                                                format_double(", min %+.1f us", j->min()) +
                                                format_double(", max %+.1f us", j->max())});
  page.add_table(rows);
  HistogramChart jitter{
      "Callback interval minus the ideal period", "microseconds", "callbacks", {}};
  if (const auto& j = t.jitter_us())
    for (const SignedHistogram::Bin& b : j->bins()) jitter.bars.push_back({b.low, b.high, b.count});
  page.add_svg(render_svg(jitter));

  page.add_heading("Ring fill over time");
  LineChart fill{"Ring fill (maximum per interval)", "seconds", "frames", {}, {}};
  fill.series.push_back(series_of("capture ring", t.capture_fill()));
  if (!t.playback_fill().points().empty())
    fill.series.push_back(series_of("playback ring", t.playback_fill()));
  page.add_svg(render_svg(fill));

  page.add_heading("Overruns, underruns and xruns");
  if (t.xruns().empty()) {
    page.add_paragraph("None: no frame was dropped, skipped by the host or played as silence, and "
                       "the host flagged no xrun.");
  } else {
    std::vector<std::pair<std::string, std::string>> problems;
    for (const XrunRecord& x : t.xruns())
      problems.push_back(
          {format_double("%.3f s", x.time),
           std::string(to_string(x.kind)) + " at frame " + std::to_string(x.frame) +
               (x.frames ? ", " + std::to_string(x.frames) + " frames" : std::string())});
    if (t.xruns_not_listed() > 0)
      problems.push_back({"...", std::to_string(t.xruns_not_listed()) + " more not listed"});
    page.add_table(problems);
  }
}

std::vector<std::pair<std::string, std::string>> capture_rows(const CaptureReport& r) {
  return {{"input device", r.device + " [" + r.host_api + "]"},
          {"rate", std::to_string(r.rate) + " Hz"},
          {"period", r.period ? std::to_string(r.period) + " frames" : "host's choice"},
          {"length", format_double("%.3f s", r.seconds)},
          {"overruns", std::to_string(r.overrun_events) + " events, " +
                           std::to_string(r.overrun_frames) + " frames (written as silence)"},
          {"host gaps", r.device_clock.empty()
                            ? std::string("not measured (the host gives no device clock)")
                            : std::to_string(r.host_gap_events) + " events, " +
                                  std::to_string(r.host_gap_frames) +
                                  " frames never delivered (written as silence; " + r.device_clock +
                                  ")"},
          {"PortAudio input overflow flags", std::to_string(r.input_overflow_flags)},
          {"PortAudio input underflow flags", std::to_string(r.input_underflow_flags) + " (" +
                                                  std::to_string(r.host_inserted_frames) +
                                                  " made-up frames left out)"},
          {"stopped by", to_string(r.stop_reason) + (r.error.empty() ? "" : ": " + r.error)}};
}

} // namespace

std::string to_html(const CaptureReport& r) {
  HtmlPage page("ringcorder capture: " + r.output_path);
  auto rows = capture_rows(r);
  rows.insert(rows.begin(), {"file", r.output_path + " (" + r.format + ")"});
  page.add_table(rows);
  add_stream_sections(page, r);
  return page.str();
}

std::string to_html(const PlaythroughReport& r) {
  const PlaybackReport& p = r.playback;
  HtmlPage page("ringcorder playthrough: " + r.capture.device + " -> " + p.output_device);
  auto rows = capture_rows(r.capture);
  rows.push_back({"output device", p.output_device});
  rows.push_back(
      {"buffer (ring path latency)",
       std::to_string(p.buffer_frames) + format_double(" frames, %.2f ms", p.buffer_ms)});
  rows.push_back({"underruns", std::to_string(p.underrun_events) + " events, " +
                                   std::to_string(p.underrun_frames) +
                                   " frames played as silence"});
  rows.push_back({"output underflow flags", std::to_string(p.output_underflow_flags)});
  rows.push_back({"silence while PortAudio made up the input",
                  std::to_string(p.made_up_input_frames) + " frames (the delay grew as much)"});
  if (!r.capture.output_path.empty()) rows.push_back({"recording", r.capture.output_path});
  page.add_table(rows);
  add_stream_sections(page, r.capture);
  return page.str();
}

std::string to_html(const LatencyReport& r) {
  HtmlPage page("ringcorder latency: " + r.input_device + " -> " + r.output_device + " (" +
                to_string(r.path) + " path)");
  std::vector<std::pair<std::string, std::string>> rows = {
      {"status", std::string(status_name(r.status)) + ": " + r.message},
      {"path", to_string(r.path)},
      {"rate / period", std::to_string(r.rate) + " Hz / " + std::to_string(r.period) + " frames"}};
  if (r.measured()) {
    rows.push_back({"measured round trip", format_double("%.3f frames", r.round_trip_frames) +
                                               format_double(" (%.3f ms)", r.round_trip_ms)});
    rows.push_back({"min / max / stddev", format_double("%.3f / ", r.min_frames) +
                                              format_double("%.3f / ", r.max_frames) +
                                              format_double("%.4f frames", r.stddev_frames)});
  }
  rows.push_back({"the host claims (not measured)",
                  (r.reported_frames ? format_double("%.1f frames", *r.reported_frames)
                                     : std::string("not reported")) +
                      " (input " + reported_ms_text("%.3f ms", r.reported_input_ms) + " + output " +
                      reported_ms_text("%.3f ms", r.reported_output_ms) + ")"});
  if (r.jack_claim)
    rows.push_back({"of which JACK's ports / PortAudio's buffering",
                    format_double("capture %.0f + ", r.jack_claim->capture_frames) +
                        format_double("playback %.0f / ", r.jack_claim->playback_frames) +
                        format_double("%.0f frames", r.jack_claim->portaudio_input_frames +
                                                         r.jack_claim->portaudio_output_frames)});
  if (const std::optional<double> unclaimed = r.unclaimed_frames())
    rows.push_back({"not claimed by the host", format_double("%.1f frames", *unclaimed)});
  if (r.drift_ppm) rows.push_back({"drift", format_double("%+.2f ppm", *r.drift_ppm)});
  if (r.opens.size() > 1) {
    std::string opens;
    for (const LatencyOpen& o : r.opens)
      opens +=
          (opens.empty() ? "" : ", ") + (o.measured() ? format_double("%.3f", o.round_trip_frames)
                                                      : std::string(status_name(o.status)));
    if (r.open_spread_frames)
      opens += format_double(" (spread %.3f frames)", *r.open_spread_frames);
    rows.push_back({"round trip per open", opens});
  }
  if (r.path == LatencyPath::ring)
    rows.push_back({"ring path adds", std::to_string(r.buffer_frames) +
                                          " frames (the playback target fill); underruns " +
                                          std::to_string(r.underrun_events)});
  page.add_table(rows);

  page.add_heading("Round trip over time");
  LineChart chart{"Measured round trip", "seconds", "frames", {}, {}};
  Series measured{r.measured() ? format_double("measured %.3f", r.round_trip_frames) : "measured",
                  {}};
  for (const LatencyMeasurement& m : r.measurements)
    if (m.estimate.periods == (r.measured() ? r.window_periods : 1) && m.estimate.has_delay())
      measured.points.emplace_back(m.time, m.estimate.frames);
  chart.series.push_back(std::move(measured));
  if (r.reported_frames)
    chart.y_reference_lines.push_back(
        {*r.reported_frames, format_double("the host claims %.1f", *r.reported_frames)});
  page.add_svg(render_svg(chart));
  page.add_paragraph(
      !r.reported_frames ? "The host claimed no latency (nothing to draw beside the measurements)."
      : r.jack_claim ? "The dashed line is the host's claimed input + output latency (JACK's port "
                       "latencies, read with the loopback connected, plus PortAudio's buffering; "
                       "not measured)."
                     : "The dashed line is the host's claimed input + output latency "
                       "(through PortAudio; not measured).");
  add_stream_sections(page, r.stream);
  return page.str();
}

} // namespace rc
