// engine/report/live_report_html.hpp - the latency report of every live run as one
// self-contained HTML page with SVG charts (no scripts, no network).
#pragma once

#include "engine/capture/capture_report.hpp"
#include "engine/live/latency_session.hpp"
#include "engine/live/playthrough_session.hpp"

#include <string>

namespace rc {

/// Returns: a page with the run's summary, the callback jitter histogram, the ring fill over
/// time and the table of problems with their times.
std::string to_html(const CaptureReport& report);
/// Returns: as for a capture, plus the playback ring fill and the underruns.
std::string to_html(const PlaythroughReport& report);
/// Returns: the measured round trip over time beside PortAudio's claim, then the stream's
/// timing as for a capture.
std::string to_html(const LatencyReport& report);

} // namespace rc
