// engine/dsp/analysis_effects.cpp - see analysis_effects.hpp. The arithmetic follows sox
// 14.4.2's stat.c and stats.c step by step (the same operations in the same order on doubles),
// so the figures round to the same printed digits; the comments name sox's quirks kept.
#include "engine/dsp/analysis_effects.hpp"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <numbers>
#include <utility>

namespace rc {

namespace {

constexpr double sox_sample_max = 2147483647.0; // SOX_SAMPLE_MAX
constexpr double full_scale = 2147483648.0;     // SOX_SAMPLE_MAX + 1

// sox's linear_to_dB.
double to_db(double x) { return std::log10(x) * 20; }

// sox's SOX_FLOAT_64BIT_TO_SAMPLE: x * 2^31 rounded half away from zero, clipped.
std::int32_t rounded_sox_sample(double x) {
  const double v = x * full_scale;
  double r;
  if (v < 0)
    r = v <= -full_scale - 0.5 ? -full_scale : v - 0.5;
  else
    r = v >= sox_sample_max + 0.5 ? sox_sample_max : v + 0.5;
  return static_cast<std::int32_t>(r);
}

// A double cast to int as x86-64 does it (cvttsd2si): INT_MIN for NaN or out of range, where
// C++ leaves the cast undefined. sox's "Rough frequency" of silence is (int)NaN.
int x86_int(double x) {
  if (!(x > -2147483649.0 && x < 2147483648.0)) return INT32_MIN;
  return static_cast<int>(x);
}

std::string printf_line(const char* format, ...) __attribute__((format(printf, 1, 2)));
std::string printf_line(const char* format, ...) {
  char buf[256];
  va_list args;
  va_start(args, format);
  std::vsnprintf(buf, sizeof buf, format, args);
  va_end(args);
  return buf;
}

} // namespace

std::int32_t to_sox_sample(float x) noexcept {
  const double v = static_cast<double>(x) * full_scale;
  if (v < -full_scale) return INT32_MIN;
  if (v >= full_scale) return INT32_MAX;
  if (std::isnan(v)) return 0;
  return static_cast<std::int32_t>(v);
}

// ---------------------------------------------------------------- stat

StatEffect::StatEffect(std::string description, StatOptions options)
    : description_(std::move(description)), options_(options) {}

AudioFormat StatEffect::configure(const AudioFormat& input) {
  rate_ = input.rate;
  channels_ = input.channels;
  return input;
}

void StatEffect::reset() noexcept {
  read_ = 0;
  min_ = max_ = mid_ = asum_ = sum1_ = sum2_ = 0;
  dmin_ = dmax_ = dsum1_ = dsum2_ = last_ = 0;
  bins_ = {};
}

AudioBlock StatEffect::process(AudioBlock block) noexcept {
  const std::size_t n = block.samples();
  if (n == 0) return block;
  const double scale = options_.scale;
  if (read_ == 0) // the first sample: every extreme starts there
    min_ = max_ = mid_ = last_ = to_sox_sample(block.data[0]) / scale;
  for (std::size_t i = 0; i < n; ++i) {
    const std::int64_t sample = to_sox_sample(block.data[i]);
    const double x = static_cast<double>(sample) / scale;
    ++bins_[static_cast<std::size_t>((sample >> 30) + 2)];
    // sox's `else if`: harmless, as min <= max holds from the first sample on.
    if (min_ > x)
      min_ = x;
    else if (max_ < x)
      max_ = x;
    mid_ = min_ / 2 + max_ / 2;
    sum1_ += x;
    sum2_ += x * x;
    asum_ += std::fabs(x);
    const double delta = std::fabs(x - last_);
    // dmin starts at 0 and a delta is never below it: sox's minimum delta is always 0.
    if (delta < dmin_)
      dmin_ = delta;
    else if (delta > dmax_)
      dmax_ = delta;
    dsum1_ += delta;
    dsum2_ += delta * delta;
    last_ = x;
  }
  read_ += n;
  return block;
}

StatFigures StatEffect::figures() const {
  StatFigures f;
  f.options = options_;
  f.samples = read_;
  const double ct = static_cast<double>(read_);
  double min = min_, max = max_, mid = mid_, asum = asum_, sum1 = sum1_, sum2 = sum2_;
  double dmin = dmin_, dmax = dmax_, dsum1 = dsum1_, dsum2 = dsum2_, scale = options_.scale;
  if (options_.rms) { // every figure in units of the RMS
    f.rms_scale = std::sqrt(sum2 / ct);
    const double k = 1.0 / f.rms_scale;
    max *= k, min *= k, mid *= k, asum *= k, sum1 *= k, sum2 *= k * k;
    dmax *= k, dmin *= k, dsum1 *= k, dsum2 *= k * k;
    scale *= f.rms_scale;
  }
  f.scale = scale;
  double amp = -min;
  if (amp < max) amp = max;
  f.seconds = ct / rate_ / channels_;
  f.maximum = max, f.minimum = min, f.midline = mid;
  f.mean_norm = asum / ct;
  f.mean = sum1 / ct;
  f.rms = std::sqrt(sum2 / ct);
  f.maximum_delta = dmax, f.minimum_delta = dmin;
  f.mean_delta = dsum1 / (ct - 1);
  f.rms_delta = std::sqrt(dsum2 / (ct - 1));
  f.rough_frequency = x86_int(std::sqrt(dsum2 / sum2) * rate_ / (std::numbers::pi * 2));
  if (amp > 0) f.volume_adjustment = sox_sample_max / (amp * scale);
  f.quarters = bins_;
  return f;
}

std::string stat_text(const StatFigures& f, SampleEncoding encoding) {
  if (f.options.volume_only && f.volume_adjustment)
    return printf_line("%.3f\n", *f.volume_adjustment);
  std::string s;
  s += printf_line("Samples read:      %12" PRIu64 "\n", f.samples);
  s += printf_line("Length (seconds):  %12.6f\n", f.seconds);
  if (f.options.rms)
    s += printf_line("Scaled by rms:     %12.6f\n", f.rms_scale);
  else
    s += printf_line("Scaled by:         %12.1f\n", f.scale);
  s += printf_line("Maximum amplitude: %12.6f\n", f.maximum);
  s += printf_line("Minimum amplitude: %12.6f\n", f.minimum);
  s += printf_line("Midline amplitude: %12.6f\n", f.midline);
  s += printf_line("Mean    norm:      %12.6f\n", f.mean_norm);
  s += printf_line("Mean    amplitude: %12.6f\n", f.mean);
  s += printf_line("RMS     amplitude: %12.6f\n", f.rms);
  s += printf_line("Maximum delta:     %12.6f\n", f.maximum_delta);
  s += printf_line("Minimum delta:     %12.6f\n", f.minimum_delta);
  s += printf_line("Mean    delta:     %12.6f\n", f.mean_delta);
  s += printf_line("RMS     delta:     %12.6f\n", f.rms_delta);
  s += printf_line("Rough   frequency: %12d\n", f.rough_frequency);
  if (f.volume_adjustment) s += printf_line("Volume adjustment: %12.3f\n", *f.volume_adjustment);
  const auto& b = f.quarters;
  if (b[2] == 0 && b[3] == 0) {
    s += "\nProbably text, not sound\n";
  } else {
    // sox's guess from how many samples lie in the outer half of the range against the inner
    // half, in float as sox has it.
    const double x = static_cast<float>(b[0] + b[3]) / static_cast<float>(b[1] + b[2]);
    if (x >= 3.0)
      s += encoding == SampleEncoding::unsigned_integer
               ? "\nTry: -t raw -e signed-integer -b 8 \n"
               : "\nTry: -t raw -e unsigned-integer -b 8 \n";
    else if (x <= 1.0 / 3.0)
      ; // read as it was written
    else if (x >= 0.5 && x <= 2.0)
      s += encoding == SampleEncoding::mu_law ? "\nTry: -t raw -e unsigned-integer -b 8 \n"
                                              : "\nTry: -t raw -e mu-law -b 8 \n";
    else
      s += "\nCan't guess the type\n";
  }
  return s;
}

// ---------------------------------------------------------------- stats

StatsEffect::StatsEffect(std::string description, StatsOptions options)
    : description_(std::move(description)), options_(options) {}

AudioFormat StatsEffect::configure(const AudioFormat& input) {
  rate_ = input.rate;
  mult_ = std::exp(-1 / options_.window / rate_);
  window_samples_ = static_cast<std::int64_t>(5 * options_.window * rate_ + .5);
  channels_.assign(static_cast<std::size_t>(input.channels), Channel{});
  return input;
}

void StatsEffect::reset() noexcept { std::fill(channels_.begin(), channels_.end(), Channel{}); }

AudioBlock StatsEffect::process(AudioBlock block) noexcept {
  const std::size_t count = channels_.size();
  if (static_cast<std::size_t>(block.channels) != count) return block;
  for (std::size_t c = 0; c < count; ++c) {
    Channel& p = channels_[c];
    for (std::size_t i = 0; i < block.frames; ++i, ++p.samples) {
      const std::int32_t sample = to_sox_sample(block.data[i * count + c]);
      const double d = sample * (1. / full_scale);
      if (d < p.min) {
        p.min = d, p.min_count = 1, p.min_run = 1, p.min_runs = 0;
      } else if (d == p.min) {
        ++p.min_count;
        p.min_run = d == p.last ? p.min_run + 1 : 1;
      } else if (p.last == p.min) {
        p.min_runs += p.min_run * p.min_run;
      }
      if (d > p.max) {
        p.max = d, p.max_count = 1, p.max_run = 1, p.max_runs = 0;
      } else if (d == p.max) {
        ++p.max_count;
        p.max_run = d == p.last ? p.max_run + 1 : 1;
      } else if (p.last == p.max) {
        p.max_runs += p.max_run * p.max_run;
      }
      p.sigma_x += d;
      p.sigma_x2 += d * d;
      p.avg_sigma_x2 = p.avg_sigma_x2 * mult_ + (1 - mult_) * (d * d);
      if (p.samples >= window_samples_) {
        if (p.avg_sigma_x2 > p.max_sigma_x2) p.max_sigma_x2 = p.avg_sigma_x2;
        if (p.avg_sigma_x2 < p.min_sigma_x2) p.min_sigma_x2 = p.avg_sigma_x2;
      }
      p.last = d;
      p.mask |= static_cast<std::uint32_t>(sample);
    }
  }
  return block;
}

namespace {

// sox's bit_depth(): the bits the levels span (returned) and down to the lowest set (`lowest`).
int bit_depth(std::uint32_t mask, double min, double max, int& lowest) {
  int result = 32;
  for (; result && !(mask & 1); --result, mask >>= 1) {
  }
  lowest = result;
  mask = static_cast<std::uint32_t>(rounded_sox_sample(max));
  if (min < 0)
    mask |= ~static_cast<std::uint32_t>(static_cast<std::uint32_t>(rounded_sox_sample(min)) << 1);
  for (; result && !(mask & 0x80000000u); --result, mask <<= 1) {
  }
  return result;
}

} // namespace

std::optional<StatsFigures> StatsEffect::figures() const {
  std::vector<Channel> q = channels_;
  // sox's drain: a run at an extreme that lasts to the end counts too.
  for (Channel& p : q) {
    if (p.last == p.min) p.min_runs += p.min_run * p.min_run;
    if (p.last == p.max) p.max_runs += p.max_run * p.max_run;
  }
  // sox's stop(), its types kept: max_runs and min_count sum as integers, the others as doubles.
  double min_runs = 0, max_count = 0, min = 2, max = -2, max_sigma_x = 0, sigma_x2 = 0,
         min_sigma_x2 = 2, max_sigma_x2 = 0, avg_peak = 0;
  std::int64_t num_samples = 0, min_count = 0, max_runs = 0;
  std::uint32_t mask = 0;
  for (Channel& p : q) {
    min = min < p.min ? min : p.min; // sox's min() and max() macros
    max = max > p.max ? max : p.max;
    if (p.samples < window_samples_) // shorter than the window: the mean square
      p.min_sigma_x2 = p.max_sigma_x2 = p.sigma_x2 / static_cast<double>(p.samples);
    min_sigma_x2 = min_sigma_x2 < p.min_sigma_x2 ? min_sigma_x2 : p.min_sigma_x2;
    max_sigma_x2 = max_sigma_x2 > p.max_sigma_x2 ? max_sigma_x2 : p.max_sigma_x2;
    sigma_x2 += p.sigma_x2;
    num_samples += p.samples;
    mask |= p.mask;
    if (std::fabs(p.sigma_x) > std::fabs(max_sigma_x)) max_sigma_x = p.sigma_x;
    min_count += p.min_count;
    min_runs += p.min_runs;
    max_count += static_cast<double>(p.max_count);
    max_runs = static_cast<std::int64_t>(static_cast<double>(max_runs) + p.max_runs);
    avg_peak += -p.min > p.max ? -p.min : p.max;
  }
  const auto flows = static_cast<double>(q.size());
  avg_peak /= static_cast<double>(static_cast<unsigned>(q.size()));
  if (num_samples == 0) return std::nullopt;

  StatsFigures f;
  f.options = options_;
  f.samples = static_cast<std::uint64_t>(q[0].samples);
  f.seconds = static_cast<double>(q[0].samples) / rate_;
  StatsColumn& o = f.overall;
  o.dc_offset = max_sigma_x / static_cast<double>(q[0].samples);
  o.min_level = min;
  o.max_level = max;
  o.peak_db = to_db(-min > max ? -min : max);
  o.rms_db = to_db(std::sqrt(sigma_x2 / static_cast<double>(num_samples)));
  o.rms_peak_db = to_db(std::sqrt(max_sigma_x2));
  if (min_sigma_x2 != 1) o.rms_trough_db = to_db(std::sqrt(min_sigma_x2));
  if (q.size() == 1)
    o.crest_factor =
        sigma_x2 != 0 ? avg_peak / std::sqrt(sigma_x2 / static_cast<double>(num_samples)) : 1;
  o.flat_factor = to_db((min_runs + static_cast<double>(max_runs)) /
                        (static_cast<double>(min_count) + max_count));
  o.peak_count = (static_cast<double>(min_count) + max_count) / flows;
  o.bit_depth = bit_depth(mask, min, max, o.bit_depth_used);
  if (q.size() > 1) {
    for (const Channel& p : q) {
      StatsColumn c;
      const double n = static_cast<double>(p.samples);
      const double peak = -p.min > p.max ? -p.min : p.max;
      c.dc_offset = p.sigma_x / n;
      c.min_level = p.min;
      c.max_level = p.max;
      c.peak_db = to_db(peak);
      c.rms_db = to_db(std::sqrt(p.sigma_x2 / n));
      c.rms_peak_db = to_db(std::sqrt(p.max_sigma_x2));
      if (p.min_sigma_x2 != 1) c.rms_trough_db = to_db(std::sqrt(p.min_sigma_x2));
      c.crest_factor = p.sigma_x2 != 0 ? peak / std::sqrt(p.sigma_x2 / n) : 1;
      c.flat_factor =
          to_db((p.min_runs + p.max_runs) / static_cast<double>(p.min_count + p.max_count));
      c.peak_count = static_cast<double>(p.min_count + p.max_count);
      c.bit_depth = bit_depth(p.mask, p.min, p.max, c.bit_depth_used);
      f.channels.push_back(c);
    }
  }
  return f;
}

namespace {

// sox's output(): a level as -b, -x or -s ask, with the space before it.
std::string level_text(const StatsOptions& o, double x) {
  if (o.scale_bits) {
    const unsigned mult = 1u << (o.scale_bits - 1);
    x = std::floor(x * mult + .5);
    const int i = static_cast<int>(std::min(x, mult - 1.));
    if (o.hex) {
      if (x < 0) {
        char buf[30];
        std::snprintf(buf, sizeof buf, "%x", 0u - static_cast<unsigned>(i));
        return printf_line(" %*c%s", 9 - static_cast<int>(std::strlen(buf)), '-', buf);
      }
      return printf_line(" %9x", static_cast<unsigned>(i));
    }
    return printf_line(" %9i", i);
  }
  return printf_line(" %9.*f", std::fabs(o.scale) < 10 ? 6 : 5, o.scale * x);
}

} // namespace

std::string sox_sigfigs3(double number) {
  static const char symbols[] = "\0kMGTPEZY";
  char s[64];
  std::snprintf(s, sizeof s, "%#.3g", number);
  unsigned a = 0, b = 0, c = 0;
  switch (std::sscanf(s, "%u.%ue%u", &a, &b, &c)) {
  case 2:
    if (b) return s;
    [[fallthrough]];
  case 1:
    c = 2;
    break;
  case 3:
    a = 100 * a + b;
    break;
  default:
    break;
  }
  if (c < sizeof symbols * 3 - 3) {
    const char symbol = symbols[c / 3];
    switch (c % 3) {
    case 0:
      std::snprintf(s, sizeof s, "%u.%02u%c", a / 100, a % 100, symbol);
      break;
    case 1:
      std::snprintf(s, sizeof s, "%u.%u%c", a / 10, a % 10, symbol);
      break;
    default:
      std::snprintf(s, sizeof s, "%u%c", a, symbol);
      break;
    }
  }
  return s; // up to the NUL sox's '\0' symbol writes
}

std::string stats_text(const StatsFigures& f) {
  const StatsOptions& o = f.options;
  const std::size_t n = f.channels.size();
  std::vector<const StatsColumn*> columns{&f.overall};
  for (const StatsColumn& c : f.channels) columns.push_back(&c);
  std::string s;
  if (n == 2) {
    s += "             Overall     Left      Right\n";
  } else if (n) {
    s += "             Overall";
    for (std::size_t i = 0; i < n; ++i) s += printf_line("     Ch%-3i", static_cast<int>(i + 1));
    s += "\n";
  }
  const auto row = [&](const char* label, auto&& cell) {
    s += label;
    for (std::size_t i = 0; i < columns.size(); ++i) s += cell(*columns[i], i == 0);
    s += "\n";
  };
  row("DC offset ", [&](const StatsColumn& c, bool) { return level_text(o, c.dc_offset); });
  row("Min level ", [&](const StatsColumn& c, bool) { return level_text(o, c.min_level); });
  row("Max level ", [&](const StatsColumn& c, bool) { return level_text(o, c.max_level); });
  row("Pk lev dB ", [](const StatsColumn& c, bool) { return printf_line("%10.2f", c.peak_db); });
  row("RMS lev dB", [](const StatsColumn& c, bool) { return printf_line("%10.2f", c.rms_db); });
  row("RMS Pk dB ",
      [](const StatsColumn& c, bool) { return printf_line("%10.2f", c.rms_peak_db); });
  row("RMS Tr dB ", [](const StatsColumn& c, bool) {
    return c.rms_trough_db ? printf_line("%10.2f", *c.rms_trough_db) : std::string("         -");
  });
  row("Crest factor", [](const StatsColumn& c, bool overall) {
    if (!c.crest_factor) return std::string("       -");
    return printf_line(overall ? " %7.2f" : "%10.2f", *c.crest_factor);
  });
  row("Flat factor", [](const StatsColumn& c, bool overall) {
    return printf_line(overall ? "%9.2f" : " %9.2f", c.flat_factor);
  });
  row("Pk count   ", [](const StatsColumn& c, bool overall) {
    return printf_line(overall ? "%9s" : " %9s", sox_sigfigs3(c.peak_count).c_str());
  });
  row("Bit-depth   ", [](const StatsColumn& c, bool overall) {
    return printf_line(overall ? "   %2d/%-2d" : "     %2d/%-2d", c.bit_depth, c.bit_depth_used);
  });
  s += printf_line("Num samples%9s\n", sox_sigfigs3(static_cast<double>(f.samples)).c_str());
  s += printf_line("Length s   %9.3f\n", f.seconds);
  s += "Scale max " + level_text(o, 1.) + "\n";
  s += printf_line("Window s   %9.3f\n", o.window);
  return s;
}

} // namespace rc
