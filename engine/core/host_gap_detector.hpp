// engine/core/host_gap_detector.hpp - finds the frames the host never delivered (a skipped
// callback, a driver overrun) by comparing the device's clock with the frames received.
#pragma once

#include <cstdint>

namespace rc {

/// How a host API's clock shows a skipped callback, and so how a gap is measured.
struct DeviceClockRule {
  /// Gaps are whole multiples of this many frames (the JACK period), rounded to the nearest: the
  /// clock reads each cycle's first frame exactly. 0: gaps are measured to the frame (rounded),
  /// from `threshold_frames` up.
  std::uint32_t quantum = 0;
  /// Unquantised clocks: the smallest lead over the timeline that counts as a gap; a callback's
  /// own frames / 2 when that is larger. Below it, timestamps jitter.
  std::uint32_t threshold_frames = 0;
  /// The clock counts modulo this many frames (JACK's 32-bit frame counter); 0: it does not wrap.
  std::uint64_t wrap = 0;
  /// Unquantised clocks: how fast the reference (the running mean of clock minus timeline) may
  /// follow a device clock drifting against the system clock, in parts per million of the frames
  /// received. 0 for exact clocks.
  std::uint32_t drift_ppm = 0;
  /// Callbacks at the start whose clock only sets the reference (their mean: a host's first
  /// time stamps scatter while it starts): gaps there are not detected.
  std::uint32_t settle_callbacks = 0;
  /// Quantised clocks: leads of up to this many quanta are not gaps. On an asynchronous JACK
  /// server a client late for its cycle reads the server's counter a period ahead of the audio it
  /// is handed (measured here: in 5 of 6 one-period leads the audio was complete), and it may stay
  /// that far ahead; a lead of this size seen twice in a row becomes the new reference.
  std::uint32_t ambiguous_quanta = 0;

  /// The rule for a JACK server's frame counter: gaps in whole periods of `period` frames, from
  /// two periods up.
  static constexpr DeviceClockRule jack(std::uint32_t period) noexcept {
    return {.quantum = period,
            .threshold_frames = 0,
            .wrap = std::uint64_t{1} << 32,
            .drift_ppm = 0,
            .settle_callbacks = 0,
            .ambiguous_quanta = 1};
  }
  /// The rule for timestamps in seconds (PortAudio's ALSA host: the driver's time stamp minus its
  /// delay): gaps from about 2 ms, to the frame; 1000 ppm of drift followed; 8 callbacks to
  /// settle.
  static constexpr DeviceClockRule timestamps(int rate) noexcept {
    return {.quantum = 0,
            .threshold_frames = static_cast<std::uint32_t>(rate > 0 ? rate / 500 : 96),
            .wrap = 0,
            .drift_ppm = 1000,
            .settle_callbacks = 8,
            .ambiguous_quanta = 0};
  }
};

/// What one callback's clock reading says.
struct HostGapVerdict {
  std::uint64_t gap = 0;   ///< Frames the host skipped just before this callback's block.
  bool clock_step = false; ///< The clock jumped by more than the time that passed: not a gap.
  /// A lead the rule cannot call a gap (ambiguous_quanta) that stayed, so the reference moved by
  /// this many frames: not filled, but reported (0: none).
  std::uint64_t uncertain = 0;
};

/// Tracks the offset between the device's clock and the timeline (frames received plus gaps
/// already found) and reports how far the clock runs ahead of the timeline. For a quantised
/// clock (JACK's counter) the reference is the smallest offset seen (a clock is read at or after
/// its block's start, never before), so a late reading cannot hide a gap, and leads round to
/// whole cycles. For time stamps it is their running mean, which follows drift.
///
/// Pure arithmetic: no allocation, lock, I/O or system call. Single thread (the audio thread).
class HostGapDetector {
public:
  /// `rule`: how this host's clock behaves; `rate`: frames per second.
  HostGapDetector(DeviceClockRule rule, int rate) noexcept : rule_(rule), rate_(rate) {}

  /// Audio thread. Effects: takes one callback's clock reading: `clock_frames`, the device's clock
  /// at the block's first frame in frames (any origin; for a quantised clock, the cycle's first
  /// frame: callbacks that read the same cycle are placed after each other); `now_ns`, the
  /// monotonic time of the callback; `timeline`, the timeline position the block would start at
  /// without a new gap; `frames`, the block's length. Returns: the gap before this block (the
  /// caller advances its timeline by it), or a clock step (a lead larger than the time elapsed
  /// since the previous callback allows: reported, not filled; the reference restarts from here).
  /// Real-time safe: arithmetic only.
  HostGapVerdict observe(double clock_frames, std::int64_t now_ns, std::uint64_t timeline,
                         std::uint32_t frames) noexcept;

  /// Returns: the rule in use.
  [[nodiscard]] const DeviceClockRule& rule() const noexcept { return rule_; }

private:
  DeviceClockRule rule_;
  int rate_;
  std::uint64_t callbacks_ = 0;
  double unwrap_ = 0;              // added to the clock for each wrap seen
  double last_raw_ = 0;            // previous reading as given
  std::uint64_t within_cycle_ = 0; // frames of earlier callbacks that read the same cycle
  double last_clock_ = 0;          // previous (unwrapped) reading
  double reference_ = 0;           // clock minus timeline when nothing is missing
  std::int64_t last_now_ = 0;      // previous callback's monotonic time
  std::uint32_t last_frames_ = 0;
  bool ambiguous_ = false; // the previous callback led by an ambiguous amount
};

} // namespace rc
