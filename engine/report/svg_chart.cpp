// engine/report/svg_chart.cpp - see svg_chart.hpp.
#include "engine/report/svg_chart.hpp"

#include "engine/util/text.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>

namespace rc {

namespace {

constexpr std::array<const char*, 4> colours = {"#1f6fb4", "#d9541e", "#2a9d3a", "#8e44ad"};
constexpr int left_margin = 70, right_margin = 20, top_margin = 30, bottom_margin = 45;

// SVG coordinates: a tenth of a pixel is plenty.
std::string num(double v) { return format_double("%.1f", v); }

/// The plot area and the data range it shows.
struct Frame {
  int width, height;
  double x0, x1, y0, y1;
  [[nodiscard]] double px(double x) const {
    return left_margin + (x - x0) / (x1 - x0) * (width - left_margin - right_margin);
  }
  [[nodiscard]] double py(double y) const {
    return height - bottom_margin - (y - y0) / (y1 - y0) * (height - top_margin - bottom_margin);
  }
};

// Gives a range a span of at least 2% of its size (1 around zero), centred on its middle, so
// one point or a flat line still has an axis with distinct ticks.
void widen(double& lo, double& hi) {
  const double size = std::max(std::abs(lo), std::abs(hi));
  const double span = size > 0 ? size * 0.02 : 1.0;
  if (!(hi - lo >= span)) {
    const double middle = lo + (hi - lo) / 2;
    lo = middle - span / 2;
    hi = middle + span / 2;
  }
}

std::string axes(const Frame& f, const std::string& title, const std::string& x_label,
                 const std::string& y_label) {
  std::string s = "<svg width=\"" + std::to_string(f.width) + "\" height=\"" +
                  std::to_string(f.height) + "\" viewBox=\"0 0 " + std::to_string(f.width) + " " +
                  std::to_string(f.height) + "\" role=\"img\" font-family=\"sans-serif\" " +
                  "font-size=\"11\">";
  s += "<title>" + xml_escape(title) + "</title>";
  s += "<text x=\"" + std::to_string(f.width / 2) + "\" y=\"18\" text-anchor=\"middle\" " +
       "font-size=\"13\" font-weight=\"bold\">" + xml_escape(title) + "</text>";
  const double xl = left_margin, xr = f.width - right_margin;
  const double yt = top_margin, yb = f.height - bottom_margin;
  s += "<rect x=\"" + num(xl) + "\" y=\"" + num(yt) + "\" width=\"" + num(xr - xl) +
       "\" height=\"" + num(yb - yt) + "\" fill=\"none\" stroke=\"#999\"/>";
  for (int axis = 0; axis < 2; ++axis) {
    const double lo = axis == 0 ? f.x0 : f.y0, hi = axis == 0 ? f.x1 : f.y1;
    const double step = nice_step(hi - lo, axis == 0 ? 8 : 5);
    for (double v = std::ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
      const double tick = std::abs(v) < step * 1e-9 ? 0.0 : v;
      if (axis == 0)
        s += "<line x1=\"" + num(f.px(tick)) + "\" y1=\"" + num(yb) + "\" x2=\"" + num(f.px(tick)) +
             "\" y2=\"" + num(yb + 4) + "\" stroke=\"#999\"/><text x=\"" + num(f.px(tick)) +
             "\" y=\"" + num(yb + 16) + "\" text-anchor=\"middle\">" + xml_escape(shortest(tick)) +
             "</text>";
      else
        s += "<line x1=\"" + num(xl) + "\" y1=\"" + num(f.py(tick)) + "\" x2=\"" + num(xr) +
             "\" y2=\"" + num(f.py(tick)) + "\" stroke=\"#eee\"/><text x=\"" + num(xl - 6) +
             "\" y=\"" + num(f.py(tick) + 4) + "\" text-anchor=\"end\">" +
             xml_escape(shortest(tick)) + "</text>";
    }
  }
  s += "<text x=\"" + num((xl + xr) / 2) + "\" y=\"" + num(f.height - 8.0) +
       "\" text-anchor=\"middle\">" + xml_escape(x_label) + "</text>";
  s += "<text x=\"14\" y=\"" + num((yt + yb) / 2) +
       "\" text-anchor=\"middle\" transform=\"rotate(-90 14 " + num((yt + yb) / 2) + ")\">" +
       xml_escape(y_label) + "</text>";
  return s;
}

std::string no_data(const Frame& f) {
  return "<text x=\"" + std::to_string(f.width / 2) + "\" y=\"" + std::to_string(f.height / 2) +
         "\" text-anchor=\"middle\" fill=\"#777\">no data</text>";
}

// Keeps each pixel column's first, min and max point so a spike survives any decimation.
std::vector<std::pair<double, double>> reduce(const std::vector<std::pair<double, double>>& points,
                                              const Frame& f) {
  std::vector<std::pair<double, double>> finite;
  for (const auto& p : points)
    if (std::isfinite(p.first) && std::isfinite(p.second)) finite.push_back(p);
  const auto columns = static_cast<std::size_t>(f.width);
  if (finite.size() <= 2 * columns) return finite;
  std::vector<std::pair<double, double>> out;
  std::size_t i = 0;
  while (i < finite.size()) {
    const long column = std::lround(f.px(finite[i].first));
    std::size_t lo = i, hi = i, j = i;
    for (; j < finite.size() && std::lround(f.px(finite[j].first)) == column; ++j) {
      if (finite[j].second < finite[lo].second) lo = j;
      if (finite[j].second > finite[hi].second) hi = j;
    }
    out.push_back(finite[std::min(lo, hi)]);
    if (lo != hi) out.push_back(finite[std::max(lo, hi)]);
    i = j;
  }
  return out;
}

} // namespace

double nice_step(double span, int ticks) noexcept {
  if (!(span > 0) || !std::isfinite(span)) return 1.0;
  const double raw = span / std::max(1, ticks);
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  for (const char c : text) switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  return out;
}

std::string render_svg(const LineChart& chart, int width, int height) {
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const Series& s : chart.series)
    for (const auto& [x, y] : s.points)
      if (std::isfinite(x) && std::isfinite(y))
        x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
  const bool empty = !std::isfinite(x0);
  for (const ReferenceLine& r : chart.y_reference_lines)
    if (std::isfinite(r.y) && !empty) y0 = std::min(y0, r.y), y1 = std::max(y1, r.y);
  if (empty) x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  widen(x0, x1);
  widen(y0, y1);
  const double pad = (y1 - y0) * 0.05;
  const Frame f{width, height, x0, x1, y0 - pad, y1 + pad};
  std::string s = axes(f, chart.title, chart.x_label, chart.y_label);
  if (empty) return s + no_data(f) + "</svg>";
  const bool legend = chart.series.size() + chart.y_reference_lines.size() > 1;
  double legend_x = left_margin + 10.0;
  const double legend_y = top_margin + 14.0;
  for (const ReferenceLine& r : chart.y_reference_lines)
    if (std::isfinite(r.y)) {
      s += "<line x1=\"" + num(f.px(x0)) + "\" y1=\"" + num(f.py(r.y)) + "\" x2=\"" +
           num(f.px(x1)) + "\" y2=\"" + num(f.py(r.y)) +
           "\" stroke=\"#555\" stroke-dasharray=\"6 4\"/>";
      if (legend) {
        s += "<text x=\"" + num(legend_x) + "\" y=\"" + num(legend_y) + "\" fill=\"#555\">- - " +
             xml_escape(r.label) + "</text>";
        legend_x += 170.0;
      }
    }
  for (std::size_t k = 0; k < chart.series.size(); ++k) {
    const char* colour = colours[k % colours.size()];
    std::string points;
    for (const auto& [x, y] : reduce(chart.series[k].points, f))
      points += num(f.px(x)) + "," + num(f.py(y)) + " ";
    s += std::string("<polyline fill=\"none\" stroke=\"") + colour +
         "\" stroke-width=\"1.5\" points=\"" + points + "\"/>";
    if (legend) {
      s += "<text x=\"" + num(legend_x) + "\" y=\"" + num(legend_y) + "\" fill=\"" + colour +
           "\">" + xml_escape(chart.series[k].label) + "</text>";
      legend_x += 170.0;
    }
  }
  return s + "</svg>";
}

std::string render_svg(const HistogramChart& chart, int width, int height) {
  std::uint64_t most = 0;
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0;
  for (const HistogramBar& b : chart.bars)
    if (std::isfinite(b.low) && std::isfinite(b.high))
      most = std::max(most, b.count), x0 = std::min(x0, b.low), x1 = std::max(x1, b.high);
  const bool empty = most == 0;
  if (empty) x0 = 0, x1 = 1;
  widen(x0, x1);
  const Frame f{width, height, x0, x1, 0, empty ? 1.0 : double(most) * 1.05};
  std::string s = axes(f, chart.title, chart.x_label, chart.y_label);
  if (empty) return s + no_data(f) + "</svg>";
  for (const HistogramBar& b : chart.bars) {
    if (b.count == 0 || !std::isfinite(b.low) || !std::isfinite(b.high)) continue;
    const double left = f.px(b.low), right = f.px(b.high), top = f.py(double(b.count));
    s += "<rect x=\"" + num(left) + "\" y=\"" + num(top) + "\" width=\"" +
         num(std::max(1.0, right - left - 1)) + "\" height=\"" + num(f.py(0) - top) +
         "\" fill=\"#1f6fb4\"><title>" +
         xml_escape(shortest(b.low) + " .. " + shortest(b.high) + ": " + std::to_string(b.count)) +
         "</title></rect>";
  }
  return s + "</svg>";
}

} // namespace rc
