// engine/dsp/fir_effects.cpp - see fir_effects.hpp. The design follows sox 14.4.2's sinc.c and
// effects_i_dsp.c (lsx_kaiser_beta, lsx_kaiser_params, lsx_make_lpf, lsx_fir_to_phase) formula
// for formula; the application follows dft_filter.c (latency removed, output as long as input).
#include "engine/dsp/fir_effects.hpp"

#include <fftw3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <numbers>
#include <stdexcept>

namespace rc {

namespace {

constexpr double pi = std::numbers::pi;

// FFTW's planner is not thread-safe; plans are made and destroyed under this lock (main thread,
// configure time). Executing a plan needs no lock.
std::mutex& planner_lock() {
  static std::mutex m;
  return m;
}

// The modified Bessel function I0 by its series, summed until it stops changing (as sox).
double bessel_i0(double x) {
  double term = 1, sum = 1, last = 0;
  const double half = x / 2;
  int i = 1;
  do {
    const double y = half / i++;
    last = sum;
    sum += term *= y * y;
  } while (sum != last);
  return sum;
}

// sox's lsx_kaiser_params: beta (if not given) and the tap count (if not given) for a low-pass
// at `fc` (fraction of Nyquist) with a transition band of `tr_bw`.
void kaiser_params(double att, double fc, double tr_bw, double& beta, int& taps) {
  beta = beta < 0 ? kaiser_beta(att, tr_bw * .5 / fc) : beta;
  const double a = att < 60
                       ? (att - 7.95) / (2.285 * pi * 2)
                       : ((.0007528358 - 1.577737e-05 * beta) * beta + .6248022) * beta + .06186902;
  if (taps == 0) taps = static_cast<int>(std::ceil(a / tr_bw + 1));
}

// sox's lsx_make_lpf with rho 0, scale 1, no DC normalisation.
std::vector<double> make_lpf(int taps, double fc, double beta) {
  const int m = taps - 1;
  std::vector<double> h(static_cast<std::size_t>(taps));
  const double mult = 1 / bessel_i0(beta), mult1 = 1 / (.5 * m);
  for (int i = 0; i <= m / 2; ++i) {
    const double z = i - .5 * m, x = z * pi, y = z * mult1;
    double v = x != 0 ? std::sin(fc * x) / x : fc;
    v *= bessel_i0(beta * std::sqrt(1 - y * y)) * mult;
    h[static_cast<std::size_t>(i)] = v;
    h[static_cast<std::size_t>(m - i)] = v;
  }
  return h;
}

// sox's sinc lpf(): a low-pass at `fc` Hz, or nothing when fc is 0. `taps` is -n (0: estimated)
// and becomes the count used; `beta` is shared between the two parts, as in sox.
std::vector<double> sinc_lpf(double nyquist, double fc, double tbw, int& taps, double att,
                             double& beta, bool round) {
  int n = taps;
  if ((fc /= nyquist) <= 0 || fc >= 1) {
    taps = 0;
    return {};
  }
  att = att != 0 ? att : 120;
  kaiser_params(att, fc, (tbw != 0 ? tbw / nyquist : .05) * .5, beta, taps);
  if (n == 0) {
    n = taps;
    taps = std::clamp(n, 11, 32767);
    if (round) taps = 1 + 2 * static_cast<int>(static_cast<int>((taps / 2) * fc + .5) / fc + .5);
  }
  taps |= 1;
  return make_lpf(taps, fc, beta);
}

void invert(std::vector<double>& h) {
  for (double& v : h) v = -v;
  h[(h.size() - 1) / 2] += 1;
}

double safe_log(double x) { return x != 0 ? std::log(x) : -26; }

// sox's rdft conventions on top of FFTW: sox's packed spectrum S_k = sum x_j e^{+2 pi i jk/n}
// (cos + i sin) is the conjugate of FFTW's; its inverse times 2/n is the plain inverse DFT.
struct RealFft {
  explicit RealFft(std::size_t n) : n(n), x(fftw_alloc_real(n)), s(fftw_alloc_complex(n / 2 + 1)) {
    const std::lock_guard lock(planner_lock());
    forward = fftw_plan_dft_r2c_1d(static_cast<int>(n), x, s, FFTW_ESTIMATE);
    inverse = fftw_plan_dft_c2r_1d(static_cast<int>(n), s, x, FFTW_ESTIMATE);
  }
  ~RealFft() {
    const std::lock_guard lock(planner_lock());
    fftw_destroy_plan(forward);
    fftw_destroy_plan(inverse);
    fftw_free(x);
    fftw_free(s);
  }
  RealFft(const RealFft&) = delete;
  RealFft& operator=(const RealFft&) = delete;
  // x -> S (sox's sign).
  void to_spectrum(std::vector<std::complex<double>>& out) {
    fftw_execute(forward);
    out.resize(n / 2 + 1);
    for (std::size_t k = 0; k <= n / 2; ++k) out[k] = {s[k][0], -s[k][1]};
    out[0].imag(0.0), out[n / 2].imag(0.0);
  }
  // S (sox's sign) -> x, normalised.
  void to_signal(const std::vector<std::complex<double>>& in) {
    for (std::size_t k = 0; k <= n / 2; ++k) s[k][0] = in[k].real(), s[k][1] = -in[k].imag();
    s[0][1] = 0, s[n / 2][1] = 0;
    fftw_execute(inverse);
    for (std::size_t j = 0; j < n; ++j) x[j] /= static_cast<double>(n);
  }
  std::size_t n;
  double* x;
  fftw_complex* s;
  fftw_plan forward{}, inverse{};
};

// sox's lsx_fir_to_phase: turns the linear-phase `h` into one of phase `phase` (0 minimum, 25
// intermediate, 100 maximum) by the cepstrum. Returns: post_peak; `h` may change length.
int fir_to_phase(std::vector<double>& h, double phase) {
  const double phase1 = (phase > 50 ? 100 - phase : phase) / 50;
  std::size_t n = 32;
  for (std::size_t i = h.size(); i > 1; n <<= 1, i >>= 1) {
  }
  RealFft fft(n);
  std::fill(fft.x, fft.x + n, 0.0);
  std::copy(h.begin(), h.end(), fft.x);
  std::vector<std::complex<double>> s;
  fft.to_spectrum(s);

  const std::size_t half = n / 2;
  std::vector<double> pi_wraps(half + 1);
  double prev_angle2 = 0, cum_2pi = 0, prev_angle1 = 0, cum_1pi = 0;
  for (std::size_t k = 0; k <= half; ++k) {
    double angle = std::atan2(s[k].imag(), s[k].real());
    double detect = 2 * pi;
    double delta = angle - prev_angle2;
    double adjust = detect * ((delta < -detect * .7) - (delta > detect * .7));
    prev_angle2 = angle;
    cum_2pi += adjust;
    angle += cum_2pi;
    detect = pi;
    delta = angle - prev_angle1;
    adjust = detect * ((delta < -detect * .7) - (delta > detect * .7));
    prev_angle1 = angle;
    cum_1pi += std::fabs(adjust);
    pi_wraps[k] = cum_1pi;
    s[k] = {safe_log(std::sqrt(s[k].real() * s[k].real() + s[k].imag() * s[k].imag())), 0.0};
  }
  fft.to_signal(s);                        // the real cepstrum
  for (std::size_t i = 1; i < half; ++i) { // keep the causal part
    fft.x[i] *= 2;
    fft.x[i + half] = 0;
  }
  fft.to_spectrum(s);
  for (std::size_t k = 1; k < half; ++k) // between linear and minimum phase
    s[k].imag(phase1 * static_cast<double>(2 * k) / static_cast<double>(n) * pi_wraps[half] +
              (1 - phase1) * (s[k].imag() + pi_wraps[k]) - pi_wraps[k]);
  s[0] = {std::exp(s[0].real()), 0.0};
  s[half] = {std::exp(s[half].real()), 0.0};
  for (std::size_t k = 1; k < half; ++k) {
    const double x = std::exp(s[k].real());
    s[k] = {x * std::cos(s[k].imag()), x * std::sin(s[k].imag())};
  }
  fft.to_signal(s);
  const double* work = fft.x;

  int peak = 0;
  double imp_sum = 0, peak_imp_sum = 0;
  const int last = static_cast<int>(pi_wraps[half] / pi + .5);
  for (int i = 0; i <= last; ++i) {
    imp_sum += work[i];
    if (std::fabs(imp_sum) > std::fabs(peak_imp_sum)) peak_imp_sum = imp_sum, peak = i;
  }
  while (peak != 0 && std::fabs(work[peak - 1]) > std::fabs(work[peak]) &&
         work[peak - 1] * work[peak] > 0)
    --peak;

  int len = static_cast<int>(h.size()), begin = 0;
  if (phase1 == 0) {
    begin = 0;
  } else {
    begin = static_cast<int>((.997 - (2 - phase1) * .22) * len + .5);
    int end = static_cast<int>((.997 + (0 - phase1) * .22) * len + .5);
    begin = peak - (begin & ~3);
    end = peak + 1 + ((end + 3) & ~3);
    len = end - begin;
    h.resize(static_cast<std::size_t>(len));
  }
  const auto mask = static_cast<int>(n) - 1;
  for (int i = 0; i < len; ++i)
    h[static_cast<std::size_t>(i)] =
        work[(begin + (phase > 50 ? len - 1 - i : i) + static_cast<int>(n)) & mask];
  return phase > 50 ? peak - begin : begin + len - (peak + 1);
}

// sox's lsx_set_dft_length: 4 x the nearest power of 2, at least 2^10 (sox's default minimum).
std::size_t dft_length(std::size_t taps) {
  const double d = std::log(static_cast<double>(taps)) / std::log(2.);
  return std::size_t{1} << std::clamp(static_cast<int>(d + 2.77), 10,
                                      std::max(static_cast<int>(d + 1.77), 17));
}

} // namespace

double kaiser_beta(double att, double tr_bw) noexcept {
  if (att >= 60) {
    static constexpr double coefs[][4] = {
        {-6.784957e-10, 1.02856e-05, 0.1087556, -0.8988365 + .001},
        {-6.897885e-10, 1.027433e-05, 0.10876, -0.8994658 + .002},
        {-1.000683e-09, 1.030092e-05, 0.1087677, -0.9007898 + .003},
        {-3.654474e-10, 1.040631e-05, 0.1087085, -0.8977766 + .006},
        {8.106988e-09, 6.983091e-06, 0.1091387, -0.9172048 + .015},
        {9.519571e-09, 7.272678e-06, 0.1090068, -0.9140768 + .025},
        {-5.626821e-09, 1.342186e-05, 0.1083999, -0.9065452 + .05},
        {-9.965946e-08, 5.073548e-05, 0.1040967, -0.7672778 + .085},
        {1.604808e-07, -5.856462e-05, 0.1185998, -1.34824 + .1},
        {-1.511964e-07, 6.363034e-05, 0.1064627, -0.9876665 + .18},
    };
    const double realm = std::log(tr_bw / .0005) / std::log(2.);
    const int last = static_cast<int>(std::size(coefs)) - 1;
    const double* c0 = coefs[std::clamp(static_cast<int>(realm), 0, last)];
    const double* c1 = coefs[std::clamp(1 + static_cast<int>(realm), 0, last)];
    const double b0 = ((c0[0] * att + c0[1]) * att + c0[2]) * att + c0[3];
    const double b1 = ((c1[0] * att + c1[1]) * att + c1[2]) * att + c1[3];
    return b0 + (b1 - b0) * (realm - static_cast<int>(realm));
  }
  if (att > 50) return .1102 * (att - 8.7);
  if (att > 20.96) return .58417 * std::pow(att - 20.96, .4) + .07886 * (att - 20.96);
  return 0;
}

FirDesign design_sinc(const SincOptions& o, double rate) {
  const double nyquist = rate * .5;
  if (o.low_cut >= nyquist || o.high_cut >= nyquist)
    throw std::invalid_argument("sinc: filter frequency must be less than sample-rate / 2 (" +
                                std::to_string(nyquist) + " Hz)");
  double beta = o.beta;
  int taps[2] = {o.low_taps, o.high_taps};
  std::vector<double> h[2] = {
      sinc_lpf(nyquist, o.low_cut, o.low_tbw, taps[0], o.attenuation, beta, o.round),
      sinc_lpf(nyquist, o.high_cut, o.high_tbw, taps[1], o.attenuation, beta, o.round)};
  if (h[0].empty() && h[1].empty())
    throw std::invalid_argument("sinc: no frequency above 0 Hz gives a filter");
  if (!h[0].empty()) invert(h[0]);
  const int longer = taps[1] > taps[0] ? 1 : 0;
  std::vector<double> out = std::move(h[longer]);
  const std::vector<double>& shorter = h[1 - longer];
  if (!out.empty() && !shorter.empty()) {
    const std::size_t offset = (out.size() - shorter.size()) / 2;
    for (std::size_t i = 0; i < shorter.size(); ++i) out[i + offset] += shorter[i];
    if (o.low_cut < o.high_cut) invert(out);
  }
  FirDesign d;
  d.post_peak = o.phase != 50 ? fir_to_phase(out, o.phase) : static_cast<int>(out.size() >> 1);
  d.taps = std::move(out);
  return d;
}

SincEffect::SincEffect(std::string description, SincOptions options)
    : description_(std::move(description)), options_(options) {}

SincEffect::~SincEffect() { free_fft(); }

void SincEffect::free_fft() noexcept {
  const std::lock_guard lock(planner_lock());
  if (forward_) fftw_destroy_plan(static_cast<fftw_plan>(forward_));
  if (inverse_) fftw_destroy_plan(static_cast<fftw_plan>(inverse_));
  // Only what was allocated: an effect never configured (a chain parsed to be checked) must not
  // load FFTW on its way out (engine/util/shared_library.hpp).
  for (double* p : in_) fftw_free(p);
  if (spectrum_) fftw_free(spectrum_);
  if (time_) fftw_free(time_);
  forward_ = inverse_ = nullptr;
  in_.clear();
  spectrum_ = time_ = nullptr;
}

AudioFormat SincEffect::configure(const AudioFormat& input) {
  design_ = design_sinc(options_, input.rate);
  free_fft();
  const std::size_t taps = design_.taps.size();
  channels_ = input.channels;
  max_frames_ = std::max<std::size_t>(input.max_frames, 1);
  length_ = dft_length(taps);
  overlap_ = taps - 1;
  latency_ = taps - 1 - static_cast<std::size_t>(design_.post_peak);
  const std::size_t block = length_ - overlap_;
  {
    const std::lock_guard lock(planner_lock());
    for (int c = 0; c < channels_; ++c) in_.push_back(fftw_alloc_real(length_));
    spectrum_ = reinterpret_cast<double*>(fftw_alloc_complex(length_ / 2 + 1));
    time_ = fftw_alloc_real(length_);
    forward_ = fftw_plan_dft_r2c_1d(static_cast<int>(length_), in_.empty() ? time_ : in_[0],
                                    reinterpret_cast<fftw_complex*>(spectrum_), FFTW_ESTIMATE);
    inverse_ =
        fftw_plan_dft_c2r_1d(static_cast<int>(length_), reinterpret_cast<fftw_complex*>(spectrum_),
                             time_, FFTW_ESTIMATE);
  }
  // The filter's spectrum, normalised for the unnormalised inverse.
  std::fill(time_, time_ + length_, 0.0);
  std::copy(design_.taps.begin(), design_.taps.end(), time_);
  fftw_execute_dft_r2c(static_cast<fftw_plan>(forward_), time_,
                       reinterpret_cast<fftw_complex*>(spectrum_));
  response_.resize(length_ / 2 + 1);
  const auto* s = reinterpret_cast<const fftw_complex*>(spectrum_);
  for (std::size_t k = 0; k < response_.size(); ++k)
    response_[k] = std::complex<double>(s[k][0], s[k][1]) / static_cast<double>(length_);
  queue_.assign(static_cast<std::size_t>(channels_), std::vector<float>(max_frames_ + block));
  out_.assign(max_frames_ * static_cast<std::size_t>(channels_), 0.0f);
  reset();
  return {input.channels, input.rate, max_frames_};
}

void SincEffect::reset() noexcept {
  for (double* p : in_) std::fill(p, p + length_, 0.0);
  fill_ = overlap_;
  queue_read_ = queue_write_ = 0;
  in_total_ = produced_ = given_ = 0;
  ending_ = false;
}

void SincEffect::run_block() noexcept {
  const std::size_t block = length_ - overlap_;
  // Frames of this block kept: after the latency, and no further than the input's length.
  const std::uint64_t first = produced_ < latency_ ? latency_ - produced_ : 0;
  const std::uint64_t limit = in_total_ + latency_; // full-convolution frames wanted in all
  const std::uint64_t end =
      std::min<std::uint64_t>(block, limit > produced_ ? limit - produced_ : 0);
  const std::size_t keep = end > first ? static_cast<std::size_t>(end - first) : 0;
  const std::size_t capacity = queue_.empty() ? 0 : queue_[0].size();
  if (queue_write_ + keep > capacity) { // move what is left to the front
    for (auto& q : queue_)
      std::memmove(q.data(), q.data() + queue_read_, (queue_write_ - queue_read_) * sizeof(float));
    queue_write_ -= queue_read_;
    queue_read_ = 0;
  }
  // With the queue drained before each process() (EffectChain does), it always has room.
  const std::size_t room = std::min(keep, capacity - queue_write_);
  auto* spectrum = reinterpret_cast<fftw_complex*>(spectrum_);
  for (std::size_t c = 0; c < in_.size(); ++c) {
    double* in = in_[c];
    fftw_execute_dft_r2c(static_cast<fftw_plan>(forward_), in, spectrum);
    for (std::size_t k = 0; k < response_.size(); ++k) {
      const double re = spectrum[k][0], im = spectrum[k][1];
      const double hr = response_[k].real(), hi = response_[k].imag();
      spectrum[k][0] = re * hr - im * hi;
      spectrum[k][1] = re * hi + im * hr;
    }
    fftw_execute_dft_c2r(static_cast<fftw_plan>(inverse_), spectrum, time_);
    const double* valid = time_ + overlap_ + first;
    float* q = queue_[c].data() + queue_write_;
    for (std::size_t i = 0; i < room; ++i) q[i] = static_cast<float>(valid[i]);
    std::memmove(in, in + block, overlap_ * sizeof(double));
  }
  queue_write_ += room;
  produced_ += block;
  fill_ = overlap_;
}

AudioBlock SincEffect::take() noexcept {
  const std::size_t n = std::min(queue_write_ - queue_read_, max_frames_);
  const auto channels = static_cast<std::size_t>(channels_);
  for (std::size_t c = 0; c < channels; ++c) {
    const float* q = queue_[c].data() + queue_read_;
    for (std::size_t i = 0; i < n; ++i) out_[i * channels + c] = q[i];
  }
  queue_read_ += n;
  given_ += n;
  AudioBlock out{out_.data(), n, channels_};
  count_clips(out);
  return out;
}

AudioBlock SincEffect::process(AudioBlock block) noexcept {
  const auto channels = static_cast<std::size_t>(channels_);
  std::size_t done = 0;
  while (done < block.frames) {
    const std::size_t n = std::min(block.frames - done, length_ - fill_);
    for (std::size_t c = 0; c < channels; ++c) {
      double* in = in_[c] + fill_;
      const float* src = block.data + done * channels + c;
      for (std::size_t i = 0; i < n; ++i) in[i] = src[i * channels];
    }
    fill_ += n;
    done += n;
    in_total_ += n;
    if (fill_ == length_) run_block();
  }
  return take();
}

AudioBlock SincEffect::more() noexcept {
  if (queue_write_ == queue_read_ && ending_) {
    // The tail: the held input convolved against silence, until the output is as long as the
    // input.
    while (queue_write_ == queue_read_ && given_ < in_total_) {
      for (double* p : in_) std::fill(p + fill_, p + length_, 0.0);
      fill_ = length_;
      run_block();
    }
  }
  return take();
}

} // namespace rc
