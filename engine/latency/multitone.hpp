// engine/latency/multitone.hpp - the round-trip test signal: eleven sines with whole cycles per
// 16384 frames, whose phases at the input give the delay with sub-frame precision, and the
// analyzer that finds them and says how far each measurement can be trusted.
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

/// One delay measurement over one window of received signal.
struct RoundTripEstimate {
  /// What the window showed.
  enum class Status {
    ok,        ///< A delay, resolved consistently, with a standard error of at most 0.05 frame.
    inverted,  ///< As ok, with the polarity inverted somewhere on the path.
    uncertain, ///< The tones are there but do not pin the delay down to 0.05 frame (noise,
               ///< distortion, a changing path, a window the signal started in).
    no_signal, ///< The tones do not stand out (nothing connected, muted, or buried in noise).
  };
  Status status = Status::no_signal;
  double frames = 0;           ///< The delay in frames (ok and inverted; 0 otherwise).
  double error_frames = 0;     ///< Standard error of `frames` (ok and inverted; see confidence()).
  double gain_db = 0;          ///< Received tone level relative to the level sent.
  double snr_db = 0;           ///< Tone power over the power of everything else in the window.
  double input_dbfs = -200;    ///< The window's whole input power, dBFS RMS (-200: silence).
  std::uint32_t periods = 1;   ///< Signal periods the window spans (1, 2, 4 ... 32).
  std::uint64_t end_frame = 0; ///< Input timeline frame just after the window.

  /// Returns: whether the window gave a delay (ok or inverted).
  [[nodiscard]] bool has_delay() const noexcept {
    return status == Status::ok || status == Status::inverted;
  }
};

/// Returns: "ok", "inverted polarity", "uncertain" or "no signal".
const char* status_name(RoundTripEstimate::Status status) noexcept;

/// Finds the test signal in received audio.
///
/// Each window's delay comes from the eleven tones' phases: resolved coarse to fine from their
/// differences, then fitted to all eleven by weighted least squares. The fit's residuals give
/// the window's confidence, a standard error in frames (as MTDM's error estimate, but in
/// frames): the larger of what the residuals show and what the noise in the window predicts.
/// A wrong coarse step, leakage from a window the signal starts in, or distortion leaves large
/// residuals, so such a window is `uncertain` rather than a wrong delay.
///
/// Windows: one period long, starting every quarter period (a measurement every 4096 frames
/// once the first period has been seen); and, for weak returns, 2, 4, 8, 16 and 32 periods
/// long, one ending at every period boundary: summing whole periods adds the tones coherently,
/// so each doubling gains 3 dB of SNR.
/// Worker thread only (it keeps running sums; not for the audio thread, it allocates tables).
class RoundTripAnalyzer {
public:
  /// The longest window, in periods.
  static constexpr std::size_t max_periods = 32;
  /// A window's standard error above which it is `uncertain`.
  static constexpr double max_error_frames = 0.05;

  /// Effects: builds the reference tables (cos/sin over one MultiTone period).
  RoundTripAnalyzer();

  /// Effects: accounts `samples`, which arrived at input timeline frames first_frame,
  /// first_frame + 1, ...; each completed window appends an estimate (see take()). A first_frame
  /// other than the previous call's end restarts the windows (the timeline broke).
  void add(std::uint64_t first_frame, std::span<const float> samples);
  /// Effects: empties and returns the estimates made since the last call, in the order their
  /// windows ended (for one end frame, shorter windows first).
  std::vector<RoundTripEstimate> take();

  /// Bins between the tones, where the signal puts nothing over whole periods: their level is
  /// the noise in the tones' band (hum or rumble far below it does not count).
  static constexpr std::array<int, 20> noise_bins = {1021, 1019, 1018, 1017, 1015, 1013, 1011,
                                                     1005, 1000, 990,  980,  970,  950,  930,
                                                     900,  860,  820,  720,  640,  560};
  /// The tones' bins, then the noise bins.
  static constexpr std::size_t bin_count = MultiTone::tone_count + noise_bins.size();

  /// Correlations of the received signal with each tone and noise bin over whole quarters, and
  /// its energy.
  struct Sums {
    std::array<double, bin_count> re{}, im{};
    double energy = 0;
    /// Effects: adds `other`'s sums to these.
    Sums& operator+=(const Sums& other) noexcept;
  };
  /// Returns: the estimate from the sums over `frames` frames (a whole number of periods)
  /// ending at `end_frame`. Exposed for tests.
  [[nodiscard]] static RoundTripEstimate estimate(const Sums& sums, std::size_t frames,
                                                  std::uint64_t end_frame);

private:
  void finish_quarter(std::uint64_t end_frame);
  void finish_period(std::uint64_t end_frame, bool steady);

  std::vector<double> cos_, sin_; // one period of cos/sin(2 pi i / period)
  // The window's four quarters and the one before them, oldest first.
  std::array<Sums, 5> quarters_{};
  std::size_t quarters_done_ = 0; // consecutive complete quarters (capped at 5)
  // Whole periods (four consecutive quarters from the segment's start), newest last.
  std::array<Sums, max_periods> periods_{};
  std::array<bool, max_periods> steady_{}; // periods_[i] was steady (see finish_quarter)
  std::size_t periods_done_ = 0;           // consecutive complete periods (capped at max_periods)
  std::size_t quarter_in_period_ = 0;
  Sums period_{};
  Sums current_{};
  std::uint64_t next_frame_ = 0; // expected timeline frame of the next sample
  bool started_ = false;
  bool in_quarter_ = false; // current_ began on a quarter boundary with no break since
  std::vector<RoundTripEstimate> estimates_;
};

} // namespace rc
