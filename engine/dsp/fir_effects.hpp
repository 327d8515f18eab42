// engine/dsp/fir_effects.hpp - FIR filters as sox designs and applies them: sinc (a Kaiser-
// windowed sinc: low-pass, high-pass, band-pass, band-reject), run by FFT convolution with the
// filter's latency removed, as sox's dft_filter does.
#pragma once

#include "engine/dsp/effect.hpp"

#include <complex>
#include <cstdint>
#include <string>
#include <vector>

namespace rc {

/// sinc's parameters, as sox's sinc effect keeps them (zero: "not given").
struct SincOptions {
  double attenuation = 0; ///< -a: stop-band attenuation, dB (0: sox's default, 120).
  double beta = -1;       ///< -b: the Kaiser window's beta (< 0: from the attenuation).
  double phase = 50;      ///< -p (0-100), -M 0, -I 25, -L 50 (linear, the default).
  double low_cut = 0;     ///< FREQ1: the high-pass edge, Hz (0: none).
  double high_cut = 0;    ///< FREQ2: the low-pass edge, Hz (0: none).
  double low_tbw = 0;     ///< -t for the high-pass part, Hz (0: 5% of Nyquist).
  double high_tbw = 0;    ///< -t for the low-pass part, Hz (0: 5% of Nyquist).
  int low_taps = 0;       ///< -n for the high-pass part (0: from the attenuation and -t).
  int high_taps = 0;      ///< -n for the low-pass part.
  bool round = false;     ///< -r: sox's hidden option rounding the tap count.
};

/// A designed FIR filter.
struct FirDesign {
  std::vector<double> taps; ///< The impulse response, first tap first.
  int post_peak = 0;        ///< Taps after the peak (sox's post_peak); latency: size-1-post_peak.
};

/// Any thread. Returns: the Kaiser window's beta for `attenuation` dB and a transition band of
/// `transition` (a fraction of Nyquist), as sox's lsx_kaiser_beta. Real-time safe.
double kaiser_beta(double attenuation, double transition) noexcept;

/// Any thread. Returns: sinc's filter for `options` at `rate` Hz, tap for tap as sox 14.4.2's
/// sinc designs it (lsx_make_lpf, inversion and sum, lsx_fir_to_phase for phases other than 50).
/// Throws: std::invalid_argument naming sinc when a frequency is not below Nyquist or no
/// frequency gives a filter. Allocates; not real-time safe.
FirDesign design_sinc(const SincOptions& options, double rate);

/// sinc [-a ATT|-b BETA] [-p PHASE|-M|-I|-L] [-t TBW|-n TAPS] [FREQ1][-FREQ2]: sox's sinc. Each
/// channel is convolved with the filter by FFT (overlap-save, FFTW); the output is aligned with
/// the input (the filter's latency removed) and as long as it, so the effect holds samples back
/// and gives them through more(): offline only.
class SincEffect final : public Effect {
public:
  /// `description`: as typed ("sinc -a 90 3k-4k"). Main thread. Allocates nothing yet.
  SincEffect(std::string description, SincOptions options);
  ~SincEffect() override;
  SincEffect(const SincEffect&) = delete;
  SincEffect& operator=(const SincEffect&) = delete;
  /// Returns: the effect as typed.
  std::string description() const override { return description_; }
  /// Main thread. Effects: designs the filter for the input's rate, plans the FFTs and allocates
  /// every buffer process() and more() use. Returns: the input's shape. Throws:
  /// std::invalid_argument naming sinc for a frequency at or above Nyquist.
  AudioFormat configure(const AudioFormat& input) override;
  /// Worker thread, after configure(). Effects: takes in `block` (any size; frames 0 is fine).
  /// Returns: the first filtered frames ready (possibly none), a view of the effect's buffer;
  /// the rest come from more(). Real-time safe: no allocation, lock or system call.
  AudioBlock process(AudioBlock block) noexcept override;
  /// Worker thread. Returns: the next filtered frames ready; after end_input(), also the tail
  /// (the input's last frames, filtered against silence) until the output is as long as the
  /// input; frames 0 when there is nothing more. Real-time safe.
  AudioBlock more() noexcept override;
  /// Worker thread. Effects: the input has ended; more() gives the tail.
  void end_input() noexcept override { ending_ = true; }
  /// Worker thread. Effects: forgets the input and output held (a new stream starts). Real-time
  /// safe.
  void reset() noexcept override;
  /// Returns: true: the output lags the input by a block, and its end needs end_input().
  bool offline_only() const noexcept override { return true; }
  /// Returns: true, as sox's dft_filter (SOX_EFF_GAIN).
  bool sets_gain() const noexcept override { return true; }
  /// After configure(). Returns: the filter's taps.
  [[nodiscard]] const std::vector<double>& taps() const noexcept { return design_.taps; }
  /// After configure(). Returns: the filter's latency in frames, which the effect removes.
  [[nodiscard]] std::size_t latency() const noexcept { return latency_; }

private:
  /// Convolves the full input buffers (one FFT block per channel) into the output queue.
  void run_block() noexcept;
  /// Interleaves up to max_frames_ of the output queue into out_. Returns: a view of them.
  AudioBlock take() noexcept;
  void free_fft() noexcept;

  std::string description_;
  SincOptions options_;
  FirDesign design_;
  int channels_ = 0;
  std::size_t max_frames_ = 0;
  std::size_t length_ = 0;  ///< FFT length L.
  std::size_t overlap_ = 0; ///< Taps - 1: the history each FFT block starts with.
  std::size_t latency_ = 0; ///< Frames of the full convolution dropped at the start.
  std::vector<double*> in_; ///< Per channel: L samples, the first `overlap_` the history.
  std::vector<std::vector<float>> queue_; ///< Per channel: filtered frames not yet given.
  std::size_t queue_read_ = 0, queue_write_ = 0;
  std::size_t fill_ = 0;                       ///< Samples in each in_ buffer (from overlap_ to L).
  std::vector<std::complex<double>> response_; ///< The filter's spectrum, scaled by 1 / L.
  double* spectrum_ = nullptr;                 ///< L / 2 + 1 complex values (fftw_complex).
  double* time_ = nullptr;                     ///< L samples: one block's circular convolution.
  void* forward_ = nullptr;                    ///< fftw_plan, real to complex.
  void* inverse_ = nullptr;                    ///< fftw_plan, complex to real.
  std::uint64_t in_total_ = 0;                 ///< Frames taken in.
  std::uint64_t produced_ = 0;                 ///< Frames of the full convolution computed.
  std::uint64_t given_ = 0;                    ///< Frames given out.
  std::vector<float> out_;                     ///< max_frames_ interleaved frames.
  bool ending_ = false;
};

} // namespace rc
