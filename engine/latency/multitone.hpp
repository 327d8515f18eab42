// engine/latency/multitone.hpp - the round-trip test signal: eleven sines with whole cycles per
// 16384 frames, whose phases at the input give the delay with sub-frame precision.
//
// Why several tones: one sine's phase gives the delay only modulo its own period. Tone k sits at
// bin m_k of a 16384-frame period; the main tone (bin 1024, rate/16: 3 kHz at 48 kHz) gives the
// delay modulo 16 frames with the finest precision, and the phase *differences* between it and
// tones at bins 1024 - d (d = 1, 2, 4 ... 512) give the delay modulo 16384/d. Resolving from the
// coarsest to the finest reaches 16384 frames of range (341 ms at 48 kHz) with every tone in
// the audio band (1.5-3 kHz at 48 kHz), where converters and cables pass them unchanged.
// Inverted polarity shifts every phase by half a cycle: the differences do not see it, the main
// tone does, so it is detected rather than mistaken for an 8-frame error.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace rc {

/// The periodic test signal, precomputed so the audio thread only reads a table.
class MultiTone {
public:
  /// Frames per period: the signal repeats exactly, and delays are measured modulo this.
  static constexpr std::size_t period = 16384;
  /// Number of tones.
  static constexpr std::size_t tone_count = 11;
  /// Each tone's bin: whole cycles per period. bins[0] is the main tone.
  static constexpr std::array<int, tone_count> bins = {1024, 1023, 1022, 1020, 1016, 1008,
                                                       992,  960,  896,  768,  512};
  /// Amplitude of each tone (the sum peaks below 0.5 with the phases used).
  static constexpr double amplitude = 0.05;

  /// Any thread. Effects: builds the one-period table (allocates 64 KiB).
  MultiTone();

  /// Any thread, including the audio thread. Returns: the signal at timeline frame `frame`.
  /// Real-time safe: one table read.
  [[nodiscard]] float sample(std::uint64_t frame) const noexcept {
    return table_[static_cast<std::size_t>(frame & (period - 1))];
  }
  /// Returns: one period of the signal.
  [[nodiscard]] std::span<const float> table() const noexcept { return table_; }
  /// Returns: the starting phase of tone k in radians (spread to keep the peak low).
  [[nodiscard]] static double start_phase(std::size_t k) noexcept;

private:
  std::vector<float> table_;
};

/// One delay measurement over one period of received signal.
struct RoundTripEstimate {
  /// What the window showed.
  enum class Status {
    ok,        ///< A consistent delay.
    inverted,  ///< A consistent delay, with the polarity inverted somewhere on the path.
    ambiguous, ///< The tones disagree (noise, distortion, a non-linear or changing path).
    no_signal, ///< The tones are not there (nothing connected, muted, or far too quiet).
  };
  Status status = Status::no_signal;
  double frames = 0;           ///< The delay in frames (0 when status is no_signal).
  double gain_db = 0;          ///< Received tone level relative to the level sent.
  double snr_db = 0;           ///< Tone energy over everything else in the window.
  std::uint64_t end_frame = 0; ///< Input timeline frame just after the window.
};

/// Returns: "ok", "inverted polarity", "ambiguous" or "no signal".
const char* status_name(RoundTripEstimate::Status status) noexcept;

/// Finds the test signal in received audio. Windows are one period long and start every quarter
/// period, so a measurement arrives every 4096 frames once the first period has been seen.
/// Worker thread only (it keeps running sums; not for the audio thread, it allocates tables).
class RoundTripAnalyzer {
public:
  /// Effects: builds the reference tables (cos/sin over one MultiTone period).
  RoundTripAnalyzer();

  /// Effects: accounts `samples`, which arrived at input timeline frames first_frame,
  /// first_frame + 1, ...; each completed window appends an estimate (see take()). A first_frame
  /// other than the previous call's end restarts the windows (the timeline broke).
  void add(std::uint64_t first_frame, std::span<const float> samples);
  /// Effects: empties and returns the estimates made since the last call.
  std::vector<RoundTripEstimate> take();

private:
  struct Quarter {
    std::array<double, MultiTone::tone_count> re{}, im{};
    double energy = 0;
  };
  void finish_quarter(std::uint64_t end_frame);
  [[nodiscard]] RoundTripEstimate estimate(std::uint64_t end_frame) const;
  [[nodiscard]] static RoundTripEstimate silent_estimate(std::uint64_t end_frame);

  std::vector<double> cos_, sin_; // one period of cos/sin(2 pi i / period)
  // The window's four quarters and the one before them, oldest first.
  std::array<Quarter, 5> quarters_{};
  std::size_t quarters_done_ = 0; // consecutive complete quarters (capped at 5)
  Quarter current_{};
  std::uint64_t next_frame_ = 0; // expected timeline frame of the next sample
  bool started_ = false;
  bool in_quarter_ = false; // current_ began on a quarter boundary with no break since
  std::vector<RoundTripEstimate> estimates_;
};

} // namespace rc
