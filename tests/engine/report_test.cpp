// tests/engine/report_test.cpp - the report building blocks: SVG charts, the HTML page, the
// fixed-memory time series and the signed jitter histogram, and stream timing from headers.
#include "engine/capture/capture_report.hpp"
#include "engine/capture/stream_timing.hpp"
#include "engine/report/html_page.hpp"
#include "engine/report/svg_chart.hpp"
#include "engine/stats/time_series.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

using namespace rc;

namespace {
std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}
std::size_t polyline_points(const std::string& svg) {
  const std::size_t start = svg.find("points=\"") + 8;
  return count(svg.substr(start, svg.find('"', start) - start), ",");
}
} // namespace

TEST_CASE("a line chart has one polyline per series, a legend, dashed references and escaping") {
  LineChart chart{"a < b & \"c\"", "seconds", "frames", {}, {{5.0, "expected"}}};
  chart.series.push_back({"one", {{0, 1}, {1, 2}, {2, 3}}});
  chart.series.push_back({"two", {{0, 3}, {1, 2}}});
  const std::string svg = render_svg(chart);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.ends_with("</svg>"));
  CHECK(count(svg, "<polyline") == 2);
  CHECK(count(svg, "stroke-dasharray") == 1);
  CHECK(svg.find("a &lt; b &amp; &quot;c&quot;") != std::string::npos);
  CHECK(svg.find("a < b") == std::string::npos);
  CHECK(svg.find(">two<") != std::string::npos);
}

TEST_CASE("empty, single-point, flat and non-finite data render without failing") {
  const std::string empty = render_svg(LineChart{"t", "x", "y", {}, {}});
  CHECK(empty.find("no data") != std::string::npos);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  LineChart odd{
      "t", "x", "y", {{"s", {{0, nan}, {1, 4}, {2, std::numeric_limits<double>::infinity()}}}}, {}};
  const std::string one = render_svg(odd);
  CHECK(polyline_points(one) == 1);
  CHECK(one.find("nan") == std::string::npos);
  CHECK(one.find("inf") == std::string::npos);
  LineChart flat{"t", "x", "y", {{"s", {{0, 7}, {1, 7}}}}, {}};
  CHECK(render_svg(flat).find("<polyline") != std::string::npos);
  CHECK(render_svg(HistogramChart{"h", "x", "y", {{0, 1, 0}}}).find("no data") !=
        std::string::npos);
}

TEST_CASE("a constant series gets a range around its value - close lines are both labelled") {
  // A round trip of 256.00001 frames against a claim of exactly 256: once the axis was 256 to
  // 256.00001, with three ticks all labelled "256" and the two lines at opposite edges.
  LineChart chart{"t",
                  "seconds",
                  "frames",
                  {{"measured 256.000", {{0, 256.00001}, {1, 256.00001}}}},
                  {{256.0, "the host claims 256.0"}}};
  const std::string svg = render_svg(chart);
  CHECK(count(svg, ">256<") == 1); // distinct ticks
  CHECK(count(svg, ">254<") == 1);
  CHECK(count(svg, ">258<") == 1);
  CHECK(svg.find(">measured 256.000<") != std::string::npos);
  CHECK(svg.find("the host claims 256.0<") != std::string::npos);
  // Both lines sit in the middle of the plot (y 30 .. 215), not at its edges.
  const std::size_t dashed = svg.find("stroke-dasharray");
  REQUIRE(dashed != std::string::npos);
  const std::size_t y1 = svg.rfind("y1=\"", dashed) + 4;
  const double dashed_y = std::stod(svg.substr(y1, svg.find('"', y1) - y1));
  CHECK(dashed_y > 100);
  CHECK(dashed_y < 150);
}

TEST_CASE("many points are reduced per pixel column, keeping the spike") {
  Series s{"s", {}};
  for (int i = 0; i < 100000; ++i) s.points.emplace_back(i, i == 54321 ? 1000.0 : 1.0);
  const std::string svg = render_svg(LineChart{"t", "x", "y", {s}, {}}, 720, 260);
  CHECK(polyline_points(svg) <= 2 * 720);
  CHECK(svg.find(">1000<") != std::string::npos); // the spike sets the axis: a tick reaches it
}

TEST_CASE("histogram bars, nice tick steps") {
  const std::string svg =
      render_svg(HistogramChart{"h", "us", "n", {{-10, 0, 3}, {0, 10, 5}, {10, 20, 0}}});
  CHECK(count(svg, "<rect") == 1 + 2); // the frame, then the two non-empty bars
  CHECK(nice_step(10, 5) == 2);
  CHECK(nice_step(7, 7) == 1);
  CHECK(nice_step(0.03, 3) == doctest::Approx(0.01));
  CHECK(nice_step(4500, 5) == 1000);
}

TEST_CASE("the HTML page is one self-contained document with everything escaped") {
  HtmlPage page("x <y>");
  page.add_heading("h & h");
  page.add_table({{"k", "<v>"}});
  page.add_svg("<svg></svg>");
  const std::string html = page.str();
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count(html, "<html") == 1);
  CHECK(html.find("<title>x &lt;y&gt;</title>") != std::string::npos);
  CHECK(html.find("&lt;v&gt;") != std::string::npos);
  CHECK(html.find("<svg></svg>") != std::string::npos);
  CHECK(html.find("http") == std::string::npos);
}

TEST_CASE("the time series keeps the maximum per interval in bounded memory") {
  MaxTimeSeries series(0.1, 8);
  series.record(0.05, 3);
  series.record(0.06, 9);
  series.record(0.25, 1);
  auto points = series.points();
  REQUIRE(points.size() == 2);
  CHECK(points[0].second == 9);
  series.record(1.5, 4); // beyond 8 x 0.1 s: intervals double until it fits
  CHECK(series.interval() == doctest::Approx(0.2));
  points = series.points();
  CHECK(points.size() <= 8);
  CHECK(points.front().second == 9);
  CHECK(points.back().second == 4);
}

TEST_CASE("the signed histogram counts outliers in its end bins and keeps exact statistics") {
  SignedHistogram h(100, 4); // bins of 50 over [-100, 100)
  for (double v : {-500.0, -60.0, 10.0, 20.0, 99.0, 700.0}) h.record(v);
  const auto bins = h.bins();
  REQUIRE(bins.size() == 4);
  CHECK(bins[0].count == 2);
  CHECK(bins[2].count == 2);
  CHECK(bins[3].count == 2);
  CHECK(h.min() == -500);
  CHECK(h.max() == 700);
  CHECK(h.count() == 6);
}

TEST_CASE("stream timing: interval jitter against the ideal period, host flags as xruns") {
  StreamTiming timing(48000);
  BlockHeader h;
  h.frames = 480; // 10 ms
  for (int i = 0; i < 4; ++i) {
    h.sequence = std::uint64_t(i);
    h.first_frame = std::uint64_t(i) * 480;
    h.callback_start_ns = std::int64_t(i) * 10'000'000 + (i == 2 ? 300'000 : 0); // one 300 us late
    h.status_flags = i == 3 ? 0x2u : 0u;                                         // input overflow
    timing.on_header(h);
  }
  CHECK(timing.period_us() == doctest::Approx(10000));
  REQUIRE(timing.jitter_us().has_value());
  CHECK(timing.jitter_us()->count() == 3);
  CHECK(timing.jitter_us()->max() == doctest::Approx(300));
  CHECK(timing.jitter_us()->min() == doctest::Approx(-300));
  REQUIRE(timing.xruns().size() == 1);
  CHECK(timing.xruns()[0].kind == XrunKind::input_overflow);
  CHECK(timing.xruns()[0].frame == 1440);
}

TEST_CASE("outcomes reach the JSON and the text as their words, never as numbers") {
  CaptureReport r;
  r.rate = 48000;
  r.output_path = "take-%n.wav";
  r.triggered = true;
  Take take;
  take.path = "take-1.wav";
  take.trigger = TakeTrigger::level;
  take.end = TakeEnd::quiet;
  r.takes.push_back(take);
  take.path = "take-2.wav";
  take.trigger = TakeTrigger::signal;
  take.end = TakeEnd::stop;
  r.takes.push_back(take);
  r.stop_reason = StopReason::sigint;
  r.timing = StreamTiming(48000);
  r.timing.add_xrun(XrunKind::host_gap, 4800, 256);
  const std::string json = to_json(r);
  CHECK(json.find(R"("trigger": "level")") != std::string::npos);
  CHECK(json.find(R"("end": "quiet")") != std::string::npos);
  CHECK(json.find(R"("trigger": "SIGUSR1")") != std::string::npos);
  CHECK(json.find(R"("end": "stop")") != std::string::npos);
  CHECK(json.find(R"("stop_reason": "SIGINT")") != std::string::npos);
  CHECK(json.find(R"("kind": "host gap")") != std::string::npos);
  const std::string text = to_text(r);
  CHECK(text.find("take-1.wav: level at frame") != std::string::npos);
  CHECK(text.find("ended by quiet") != std::string::npos);
  CHECK(text.find("stopped   by SIGINT") != std::string::npos);
}

TEST_CASE("each section renders only its own keys, and a report is its sections") {
  CaptureReport r;
  r.rate = 48000;
  r.output_path = "x.wav";
  const std::string stream_only = section_text(r, ReportSection::stream);
  CHECK(stream_only.find("device    ") == 0);
  CHECK(stream_only.find("recorded") == std::string::npos);
  CHECK(stream_only.find("stopped") == std::string::npos);
  std::string all;
  for (const ReportSection s : all_sections) all += section_text(r, s);
  CHECK(all == to_text(r));
  CHECK(section_text(r, ReportSection::tap).empty()); // no tap, no line
  CHECK(section_text(r, ReportSection::recording).find("recorded  x.wav") == 0);
}

TEST_CASE("levels of any channel count: L and R for two, numbered for more, alone for one") {
  const double silent = -std::numeric_limits<double>::infinity();
  CHECK(levels_text({-1.0, -2.0}, {-3.0, -4.0}) ==
        "peak L -1.0 dBFS, R -2.0 dBFS; rms L -3.0 dBFS, R -4.0 dBFS");
  CHECK(levels_text({-6.0}, {-9.0}) == "peak -6.0 dBFS; rms -9.0 dBFS");
  CHECK(levels_text({-1.0, silent, -3.0}, {-4.0, silent, -6.0}) ==
        "peak 1: -1.0 dBFS, 2: silent, 3: -3.0 dBFS; rms 1: -4.0 dBFS, 2: silent, 3: -6.0 dBFS");

  CaptureReport r;
  r.rate = 48000;
  r.channel_map = {3, 1, 8};
  r.peak_dbfs = {-1.0, silent, -3.0};
  r.rms_dbfs = {-4.0, silent, -6.0};
  const std::string json = to_json(r);
  CHECK(json.find("\"channels\": 3") != std::string::npos);
  CHECK(json.find("\"channel_map\": [\n    3,\n    1,\n    8\n  ]") != std::string::npos);
  CHECK(json.find("\"peak_dbfs\": [\n    -1.0,\n    null,\n    -3.0\n  ]") != std::string::npos);
  const std::string text = to_text(r);
  CHECK(text.find("channels 3,1,8, period") != std::string::npos);
  CHECK(text.find("levels    peak 1: -1.0 dBFS, 2: silent") != std::string::npos);
  r.channel_map = {2};
  CHECK(to_text(r).find("channel 2, period") != std::string::npos);
}
