// engine/capture/stream_timing.hpp - what the callbacks' timing looked like over a whole run:
// interval jitter against the ideal period, ring fill over time, and each xrun with its time.
#pragma once

#include "engine/core/block_header.hpp"
#include "engine/core/outcomes.hpp"
#include "engine/stats/time_series.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// One problem on the timeline, for the report.
struct XrunRecord {
  double time = 0; ///< Seconds from the start of the stream (timeline position / rate).
  /// What happened. PortAudio's status flags (input overflow, output underflow) are listed as
  /// they came: its JACK host raises both for any xrun anywhere in the server's graph.
  XrunKind kind = XrunKind::overrun;
  std::uint64_t frame = 0;  ///< Timeline position (frames).
  std::uint64_t frames = 0; ///< Frames concerned (0 when the host did not say).
};

/// Collects timing from the block headers the worker pops. Worker thread only.
class StreamTiming {
public:
  /// `rate`: frames per second of the timeline; `output_side`: the stream plays too, so the
  /// output-underflow flag is listed (a capture-only stream ignores it).
  explicit StreamTiming(int rate, bool output_side = false);
  /// Before the first header. Effects: lists output-underflow flags from now on (a duplex run).
  void set_output_side(bool output_side) noexcept { output_side_ = output_side; }
  /// Effects: accounts one callback's header.
  void on_header(const BlockHeader& header);
  /// Effects: adds a problem found elsewhere (ring overrun, playback underrun).
  void add_xrun(XrunKind kind, std::uint64_t frame, std::uint64_t frames);
  /// Effects: accounts the playback ring's fill at timeline position `frame`.
  void on_playback_fill(std::uint64_t frame, std::uint64_t fill);

  /// Returns: the ideal callback interval in microseconds (from the first callback's size),
  /// 0 before two callbacks were seen.
  [[nodiscard]] double period_us() const noexcept { return period_us_; }
  /// Returns: callback interval minus the ideal period, microseconds; empty before two callbacks.
  [[nodiscard]] const std::optional<SignedHistogram>& jitter_us() const noexcept { return jitter_; }
  /// Returns: capture ring fill (frames) over time.
  [[nodiscard]] const MaxTimeSeries& capture_fill() const noexcept { return capture_fill_; }
  /// Returns: playback ring fill (frames) over time (empty unless playing).
  [[nodiscard]] const MaxTimeSeries& playback_fill() const noexcept { return playback_fill_; }
  /// Returns: the first max_listed problems in the order they were found.
  [[nodiscard]] const std::vector<XrunRecord>& xruns() const noexcept { return xruns_; }
  /// Returns: problems beyond max_listed (counted, not listed).
  [[nodiscard]] std::uint64_t xruns_not_listed() const noexcept { return not_listed_; }

  /// The most problems kept individually, so memory stays bounded on a bad device.
  static constexpr std::size_t max_listed = 10000;

private:
  int rate_;
  bool output_side_ = false;
  double period_us_ = 0;
  std::optional<SignedHistogram> jitter_;
  MaxTimeSeries capture_fill_;
  MaxTimeSeries playback_fill_;
  std::vector<XrunRecord> xruns_;
  std::uint64_t not_listed_ = 0;
  std::optional<BlockHeader> previous_;
};

} // namespace rc
