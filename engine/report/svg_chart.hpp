// engine/report/svg_chart.hpp - line charts and histograms as inline SVG text (no scripts, no
// fonts or styles from outside), for the HTML reports.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rc {

/// One line of a LineChart: (x, y) points in x order.
struct Series {
  std::string label;                             ///< Legend text.
  std::vector<std::pair<double, double>> points; ///< (x, y); NaN/inf points are skipped.
};

/// A dashed horizontal line across a LineChart (e.g. an expected or claimed value).
struct ReferenceLine {
  double y = 0;      ///< Where (non-finite: not drawn).
  std::string label; ///< Legend text, with the dashes.
};

/// A chart of one or more series over a shared x axis. A flat range (one value, or values
/// closer than 2% of their size) is widened around its middle so its ticks stay distinct; a
/// legend names the series and references whenever there is more than one line.
struct LineChart {
  std::string title, x_label, y_label;          ///< Texts (escaped when rendered).
  std::vector<Series> series;                   ///< Lines, each in its own colour.
  std::vector<ReferenceLine> y_reference_lines; ///< Dashed horizontal lines.
};

/// One bar of a histogram: the count of values in [low, high).
struct HistogramBar {
  double low = 0, high = 0;
  std::uint64_t count = 0;
};

/// A histogram with a linear count axis.
struct HistogramChart {
  std::string title, x_label, y_label;
  std::vector<HistogramBar> bars;
};

/// Returns: the chart as an <svg> element. Empty data renders the axes and "no data"; more
/// than ~2 points per pixel column are reduced to each column's min and max, so spikes stay.
std::string render_svg(const LineChart& chart, int width = 720, int height = 260);
/// Returns: the histogram as an <svg> element ("no data" when every count is 0).
std::string render_svg(const HistogramChart& chart, int width = 720, int height = 260);
/// Returns: `text` with & < > " ' replaced by XML entities.
std::string xml_escape(std::string_view text);
/// Returns: 1, 2 or 5 times a power of ten, the tick spacing for `span` with about `ticks` ticks.
double nice_step(double span, int ticks) noexcept;

} // namespace rc
