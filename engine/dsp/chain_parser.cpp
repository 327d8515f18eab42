// engine/dsp/chain_parser.cpp - see chain_parser.hpp. Syntax and defaults follow sox's manual.
#include "engine/dsp/chain_parser.hpp"

#include "engine/dsp/analysis_effects.hpp"
#include "engine/dsp/biquad.hpp"
#include "engine/dsp/channel_effects.hpp"
#include "engine/dsp/fir_effects.hpp"
#include "engine/dsp/offline_effects.hpp"
#include "engine/dsp/silence_effect.hpp"
#include "engine/dsp/simple_effects.hpp"
#include "engine/dsp/sox_position.hpp"
#include "engine/dsp/synth_effect.hpp"
#include "engine/dsp/time_effects.hpp"
#include "engine/util/parse_number.hpp"
#include "engine/util/text.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string_view>

namespace rc {

namespace {

using Args = std::vector<std::string>;

[[noreturn]] void fail(const std::string& effect, const std::string& message) {
  throw ChainSyntaxError(effect + ": " + message);
}

std::string joined(const std::string& name, const Args& args) {
  std::string out = name;
  for (const auto& a : args) out += " " + a;
  return out;
}

void expect_count(const std::string& effect, const Args& args, std::size_t min, std::size_t max,
                  const std::string& usage) {
  if (args.size() < min) fail(effect, "missing argument; usage: " + usage);
  if (args.size() > max) fail(effect, "unexpected argument '" + args[max] + "'; usage: " + usage);
}

double number(const std::string& effect, const std::string& what, const std::string& text,
              double min, double max) {
  const auto v = parse_finite(text);
  if (!v) fail(effect, what + " '" + text + "' is not a number");
  if (*v < min || *v > max)
    fail(effect, what + " " + text + " is out of range [" + std::to_string(min) + ", " +
                     std::to_string(max) + "]");
  return *v;
}

// "80", "1.5k": a frequency in Hz, positive.
double frequency(const std::string& effect, const std::string& text) {
  std::string digits = text;
  double scale = 1;
  if (!digits.empty() && (digits.back() == 'k' || digits.back() == 'K'))
    digits.pop_back(), scale = 1000;
  const auto v = parse_finite(digits);
  if (!v || digits.empty())
    fail(effect, "frequency '" + text + "' is not a number (e.g. 80 or 1.5k)");
  if (*v * scale <= 0 || *v * scale > 1e6)
    fail(effect, "frequency " + text + " must be above 0 Hz");
  return *v * scale;
}

// "0.707q", "1o", "100h", "0.1k", "0.5s", or a bare number in `default_unit`.
Width width(const std::string& effect, const std::string& text, WidthUnit default_unit,
            const std::string& allowed) {
  std::string digits = text;
  WidthUnit unit = default_unit;
  if (!digits.empty() && std::isalpha(static_cast<unsigned char>(digits.back()))) {
    const char suffix = static_cast<char>(std::tolower(static_cast<unsigned char>(digits.back())));
    if (allowed.find(suffix) == std::string::npos)
      fail(effect, "width '" + text + "': suffix must be one of " + allowed);
    unit = suffix == 'q'   ? WidthUnit::q
           : suffix == 'o' ? WidthUnit::octaves
           : suffix == 'h' ? WidthUnit::hz
           : suffix == 'k' ? WidthUnit::khz
           : suffix == 'b' ? WidthUnit::old_hz
                           : WidthUnit::slope;
    digits.pop_back();
  }
  const auto v = parse_finite(digits);
  if (!v || digits.empty())
    fail(effect, "width '" + text + "' is not a number (e.g. 0.707q, 1o, 100h)");
  if (*v <= 0) fail(effect, "width " + text + " must be above 0");
  // Far beyond any use: Q 1000 rings for seconds, 100 octaves is wider than hearing. Whether a
  // width gives a stable filter at the file's rate is checked again when the filter is designed.
  const double max = unit == WidthUnit::q         ? 1000
                     : unit == WidthUnit::octaves ? 100
                     : unit == WidthUnit::hz      ? 1e6
                     : unit == WidthUnit::old_hz  ? 1e6
                     : unit == WidthUnit::khz     ? 1e3
                                                  : 1;
  if (*v > max)
    fail(effect, unit == WidthUnit::slope
                     ? "slope " + text + " must be at most 1"
                     : "width " + text + " is too large (at most " + shortest(max) + ")");
  return {*v, unit};
}

double decibels(const std::string& effect, const std::string& text) {
  return number(effect, "gain", text, -200, 200);
}

// sox time: seconds, [[hh:]mm:]ss, or a sample count "4800s". At most max_duration_seconds (or as
// many samples at 768 kHz), so every position stays exact in a double and fits 64 bits.
TimeSpec time_spec(const std::string& effect, const std::string& text) {
  if (!text.empty() && text.back() == 's') {
    const auto v = parse_finite(text.substr(0, text.size() - 1));
    if (!v || *v < 0 || *v != std::floor(*v))
      fail(effect, "sample count '" + text + "' is not a whole number");
    if (*v > max_duration_seconds * 768000) fail(effect, "sample count " + text + " is too large");
    return {*v, true};
  }
  const auto v = parse_duration(text);
  if (!v) fail(effect, "time '" + text + "' is not a duration (seconds, mm:ss or NNNs samples)");
  if (*v > max_duration_seconds)
    fail(effect,
         "time " + text + " is too long (at most " + shortest(max_duration_seconds) + " s)");
  return {*v, false};
}

// gain [-e|-B|-b|-r] [-n] [-l|-h] [DB], as sox: options first, each word a cluster of letters
// ("-Bn"); a word like "-3" or "-.5" is the gain (0 dB when none, as in sox).
std::unique_ptr<Effect> make_gain(const std::string& n, const Args& a) {
  const std::string usage = "gain [-e|-B|-b|-r] [-n] [-l|-h] [DB]";
  MeasuredGainOptions o;
  std::size_t i = 0;
  for (; i < a.size() && a[i].size() > 1 && a[i][0] == '-' &&
         !std::isdigit(static_cast<unsigned char>(a[i][1])) && a[i][1] != '.';
       ++i)
    for (const char c : a[i].substr(1)) switch (c) {
      case 'n':
        o.normalise = true;
        break;
      case 'e':
        o.equalise = true;
        break;
      case 'B':
        o.balance = true;
        break;
      case 'b':
        o.balance_no_clip = true;
        break;
      case 'r':
        o.restore = true;
        break;
      case 'l':
        o.limiter = true;
        break;
      case 'h':
        o.headroom = true;
        break;
      default:
        fail(n, "unknown option '-" + std::string(1, c) + "' (usage: " + usage + ")");
      }
  if (int(o.equalise) + int(o.balance) + int(o.balance_no_clip) + int(o.restore) > 1)
    fail(n, "only one of -e, -B, -b, -r may be given");
  if (o.normalise && o.restore) fail(n, "only one of -n, -r may be given");
  if (o.limiter && o.headroom) fail(n, "only one of -l, -h may be given");
  if (a.size() > i + 1) fail(n, "unexpected argument '" + a[i + 1] + "'; usage: " + usage);
  o.gain_db = a.size() > i ? decibels(n, a[i]) : 0.0;
  const bool scan = o.normalise || o.equalise || o.balance || o.balance_no_clip || o.restore;
  if (scan) return std::make_unique<MeasuredGainEffect>(joined(n, a), o);
  return std::make_unique<GainEffect>(joined(n, a), o.gain_db, o.limiter, o.headroom);
}

std::unique_ptr<Effect> make_pass(const std::string& n, const Args& args) {
  const std::string usage = n + " [-1|-2] FREQUENCY [WIDTH[q|o|h|k]]";
  Args a = args;
  bool one_pole = false;
  if (!a.empty() && (a[0] == "-1" || a[0] == "-2")) one_pole = a[0] == "-1", a.erase(a.begin());
  expect_count(n, a, 1, one_pole ? 1 : 2, usage);
  const double f = frequency(n, a[0]);
  const Width w =
      a.size() > 1 ? width(n, a[1], WidthUnit::q, "qohk") : Width{std::sqrt(0.5), WidthUnit::q};
  const bool low = n == "lowpass";
  const BiquadShape shape = one_pole ? (low ? BiquadShape::lowpass1 : BiquadShape::highpass1)
                                     : (low ? BiquadShape::lowpass : BiquadShape::highpass);
  return std::make_unique<BiquadEffect>(joined(n, args), shape, f, w, 0.0);
}

std::unique_ptr<Effect> make_equalizer(const std::string& n, const Args& a) {
  expect_count(n, a, 3, 3, "equalizer FREQUENCY WIDTH[q|o|h|k] GAIN");
  return std::make_unique<BiquadEffect>(joined(n, a), BiquadShape::equalizer, frequency(n, a[0]),
                                        width(n, a[1], WidthUnit::q, "qohk"), decibels(n, a[2]));
}

std::unique_ptr<Effect> make_shelf(const std::string& n, const Args& a) {
  expect_count(n, a, 1, 3, n + " GAIN [FREQUENCY [WIDTH[s|q|o|h|k]]]");
  const bool bass = n == "bass";
  const double f = a.size() > 1 ? frequency(n, a[1]) : (bass ? 100.0 : 3000.0);
  const Width w =
      a.size() > 2 ? width(n, a[2], WidthUnit::slope, "sqohk") : Width{0.5, WidthUnit::slope};
  return std::make_unique<BiquadEffect>(
      joined(n, a), bass ? BiquadShape::bass : BiquadShape::treble, f, w, decibels(n, a[0]));
}

std::unique_ptr<Effect> make_limit(const std::string& n, const Args& a) {
  expect_count(n, a, 1, 2, "limit DB [RELEASE_MS]");
  const double db = number(n, "threshold", a[0], -96, 0);
  const double release = a.size() > 1 ? number(n, "release", a[1], 0.01, 60000) : 50.0;
  return std::make_unique<LimitEffect>(db, release);
}

std::unique_ptr<Effect> make_fade(const std::string& n, const Args& args) {
  const std::string usage = "fade [q|h|t|l|p] IN [STOP [OUT]]";
  Args a = args;
  FadeShape shape = FadeShape::logarithmic;
  static const std::map<std::string, FadeShape> shapes{{"q", FadeShape::quarter_sine},
                                                       {"h", FadeShape::half_sine},
                                                       {"t", FadeShape::linear},
                                                       {"l", FadeShape::logarithmic},
                                                       {"p", FadeShape::parabola}};
  if (!a.empty() && shapes.count(a[0])) shape = shapes.at(a[0]), a.erase(a.begin());
  expect_count(n, a, 1, 3, usage);
  const TimeSpec in = time_spec(n, a[0]);
  std::optional<TimeSpec> stop, out;
  bool stop_at_end = false;
  if (a.size() > 1) {
    if (a[1] == "0" || a[1] == "-0")
      stop_at_end = true;
    else
      stop = time_spec(n, a[1]);
  }
  if (a.size() > 2) out = time_spec(n, a[2]);
  return std::make_unique<FadeEffect>(joined(n, args), shape, in, stop, out, stop_at_end);
}

std::unique_ptr<Effect> make_norm(const std::string& n, const Args& a) {
  expect_count(n, a, 0, 1, "norm [DB]");
  MeasuredGainOptions o;
  o.normalise = true; // sox's norm is gain -n
  o.gain_db = a.empty() ? 0.0 : number(n, "level", a[0], -96, 0);
  return std::make_unique<MeasuredGainEffect>(a.empty() ? std::string("norm 0") : joined(n, a), o);
}

// in-spec = [chan][-[chan2]][p|i|v VOLUME]
RemixInputSpec remix_input(const std::string& n, const std::string& text) {
  RemixInputSpec spec;
  std::string s = text;
  const std::size_t vol = s.find_first_of("piv");
  if (vol != std::string::npos) {
    const char kind = s[vol];
    const auto v = parse_finite(s.substr(vol + 1));
    if (!v) fail(n, "volume in '" + text + "' is not a number");
    // As for gain: +-200 dB (a factor of 1e10) is far beyond any use, and keeps every sum finite.
    const double limit = kind == 'v' ? 1e10 : 200;
    if (std::fabs(*v) > limit)
      fail(n, "volume in '" + text + "' must be within +-" + (kind == 'v' ? "1e10" : "200 dB"));
    spec.has_volume = true;
    spec.volume = kind == 'v' ? *v : std::pow(10.0, *v / 20) * (kind == 'i' ? -1 : 1);
    s = s.substr(0, vol);
  }
  auto channel = [&](const std::string& t, int fallback) {
    if (t.empty()) return fallback;
    const auto c = parse_finite(t);
    if (!c || *c < 1 || *c > 256 || *c != std::floor(*c))
      fail(n, "channel '" + t + "' in '" + text + "' must be a number from 1");
    return static_cast<int>(*c);
  };
  const std::size_t dash = s.find('-');
  if (dash == std::string::npos) {
    if (s.empty()) fail(n, "'" + text + "' names no channel");
    spec.first = spec.last = channel(s, 1);
  } else {
    spec.first = channel(s.substr(0, dash), 1);
    spec.last = channel(s.substr(dash + 1), 0);
  }
  return spec;
}

std::unique_ptr<Effect> make_remix(const std::string& n, const Args& args) {
  Args a = args;
  bool manual = false;
  while (!a.empty() && (a[0] == "-m" || a[0] == "-a" || a[0] == "-p"))
    manual = a[0] == "-m", a.erase(a.begin());
  if (a.empty())
    fail(n, "missing argument; usage: remix [-m] OUT-SPEC... (e.g. remix 1,2 or remix -)");
  if (a.size() > 256) fail(n, std::to_string(a.size()) + " output channels; at most 256");
  std::vector<std::vector<RemixInputSpec>> outputs;
  for (const std::string& out : a) {
    std::vector<RemixInputSpec> specs;
    if (out != "0") {
      std::size_t start = 0;
      for (;;) {
        const std::size_t comma = out.find(',', start);
        specs.push_back(remix_input(
            n, out.substr(start, comma == std::string::npos ? std::string::npos : comma - start)));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    outputs.push_back(std::move(specs));
  }
  return std::make_unique<RemixEffect>(joined(n, args), std::move(outputs), manual);
}

std::unique_ptr<Effect> make_swap(const std::string& n, const Args& a) {
  expect_count(n, a, 0, 0, "swap");
  return std::make_unique<SwapEffect>();
}

std::unique_ptr<Effect> make_rate(const std::string& n, const Args& args) {
  Args a = args;
  // sox's flags without a value; libsoxr's high quality is used whatever they ask for.
  static const std::string flags = "qlmhvMILsa";
  while (!a.empty() && a[0].size() == 2 && a[0][0] == '-' &&
         !std::isdigit(static_cast<unsigned char>(a[0][1]))) {
    if (flags.find(a[0][1]) == std::string::npos)
      fail(n, "option '" + a[0] + "' is not supported (only -q -l -m -h -v -M -I -L -s -a)");
    a.erase(a.begin());
  }
  expect_count(n, a, 1, 1, "rate HZ (e.g. rate 44100 or rate 44.1k)");
  const double hz = frequency(n, a[0]);
  if (hz < 1000 || hz > 768000) fail(n, "rate " + a[0] + " must be between 1000 and 768000 Hz");
  return std::make_unique<RateEffect>(hz);
}

// dither [-p BITS | BITS]: sox's -p PRECISION (also attached, -p16), or ringcorder's bare BITS;
// none: the output's depth, settled at configure time (DitherEffect). 2 to 24 bits (sox takes 1
// too, and ignores it with a warning: refused here).
std::unique_ptr<Effect> make_dither(const std::string& n, const Args& args) {
  const std::string usage = "dither [-p BITS | BITS]";
  Args a = args;
  std::optional<std::string> text;
  if (!a.empty() && a[0].rfind("-p", 0) == 0) {
    if (a[0].size() > 2) {
      text = a[0].substr(2);
    } else if (a.size() > 1) {
      text = a[1];
      a.erase(a.begin());
    } else {
      fail(n, "-p needs a precision in bits (2 to 24); usage: " + usage);
    }
    a.erase(a.begin());
    expect_count(n, a, 0, 0, usage);
  } else {
    if (!a.empty() && a[0].size() > 1 && a[0][0] == '-' &&
        !std::isdigit(static_cast<unsigned char>(a[0][1])) && a[0][1] != '.')
      fail(n, "option '" + a[0] +
                  "' is not supported (sox's -S, -s, -f, -a: sloped TPDF, noise shaping, "
                  "auto-detection); usage: " +
                  usage);
    expect_count(n, a, 0, 1, usage);
    if (!a.empty()) text = a[0];
  }
  if (!text) return std::make_unique<DitherEffect>(0);
  const double bits = number(n, "bits", *text, 2, 24);
  if (bits != std::floor(bits)) fail(n, "bits '" + *text + "' must be a whole number");
  return std::make_unique<DitherEffect>(static_cast<int>(bits));
}

// bandpass [-c] F W, bandreject F W: a bare width is in Hz here (sox's "hkqob").
std::unique_ptr<Effect> make_band_filter(const std::string& n, const Args& args) {
  Args a = args;
  bool skirt = false;
  if (n == "bandpass" && !a.empty() && a[0] == "-c") skirt = true, a.erase(a.begin());
  expect_count(n, a, 2, 2, n + (n == "bandpass" ? " [-c]" : "") + " FREQUENCY WIDTH[h|k|q|o]");
  const BiquadShape shape = n == "bandreject" ? BiquadShape::bandreject
                            : skirt           ? BiquadShape::bandpass_skirt
                                              : BiquadShape::bandpass;
  return std::make_unique<BiquadEffect>(joined(n, args), shape, frequency(n, a[0]),
                                        width(n, a[1], WidthUnit::hz, "hkqob"), 0.0);
}

// allpass F W (a bare width in Hz), or sox's experimental allpass -1 F and allpass -2 F.
std::unique_ptr<Effect> make_allpass(const std::string& n, const Args& args) {
  Args a = args;
  BiquadShape shape = BiquadShape::allpass;
  if (!a.empty() && (a[0] == "-1" || a[0] == "-2"))
    shape = a[0] == "-1" ? BiquadShape::allpass1 : BiquadShape::allpass2, a.erase(a.begin());
  const bool two = shape == BiquadShape::allpass;
  expect_count(n, a, two ? 2 : 1, two ? 2 : 1,
               "allpass FREQUENCY WIDTH[h|k|q|o] | allpass -1|-2 FREQUENCY");
  const Width w = two ? width(n, a[1], WidthUnit::hz, "hkqo") : Width{};
  return std::make_unique<BiquadEffect>(joined(n, args), shape, frequency(n, a[0]), w, 0.0);
}

// band [-n] F [W]: a bare width in Hz; none: F / 2.
std::unique_ptr<Effect> make_band(const std::string& n, const Args& args) {
  Args a = args;
  bool noise = false;
  if (!a.empty() && a[0] == "-n") noise = true, a.erase(a.begin());
  expect_count(n, a, 1, 2, "band [-n] CENTER [WIDTH[h|k|q|o]]");
  const Width w = a.size() > 1 ? width(n, a[1], WidthUnit::hz, "hkqo") : Width{};
  return std::make_unique<BiquadEffect>(joined(n, args),
                                        noise ? BiquadShape::band_noise : BiquadShape::band,
                                        frequency(n, a[0]), w, 0.0);
}

// deemph, riaa: fixed filters, no parameters.
std::unique_ptr<Effect> make_fixed_filter(const std::string& n, const Args& a) {
  expect_count(n, a, 0, 0, n);
  return std::make_unique<BiquadEffect>(n, n == "deemph" ? BiquadShape::deemph : BiquadShape::riaa,
                                        0.0, Width{}, 0.0);
}

// biquad B0 B1 B2 A0 A1 A2.
std::unique_ptr<Effect> make_biquad(const std::string& n, const Args& a) {
  expect_count(n, a, 6, 6, "biquad B0 B1 B2 A0 A1 A2");
  std::array<double, 6> c{};
  static const char* const names[] = {"b0", "b1", "b2", "a0", "a1", "a2"};
  for (std::size_t i = 0; i < 6; ++i) c[i] = number(n, names[i], a[i], -1e6, 1e6);
  try {
    return std::make_unique<BiquadEffect>(joined(n, a), c);
  } catch (const std::invalid_argument& e) {
    throw ChainSyntaxError(e.what());
  }
}

// trim POSITION...
std::unique_ptr<Effect> make_trim(const std::string& n, const Args& a) {
  if (a.empty())
    fail(n, "missing argument; usage: trim POSITION(+) (e.g. trim 0 2, trim =1:00 -0.5)");
  try {
    return std::make_unique<TrimEffect>(joined(n, a), a);
  } catch (const std::invalid_argument& e) {
    throw ChainSyntaxError(e.what()); // the parser's one kind of refusal
  }
}

// pad LENGTH[@POSITION]...
std::unique_ptr<Effect> make_pad(const std::string& n, const Args& a) {
  if (a.empty()) fail(n, "missing argument; usage: pad LENGTH[@POSITION](+) (e.g. pad 1 1)");
  try {
    return std::make_unique<PadEffect>(joined(n, a), a);
  } catch (const std::invalid_argument& e) {
    throw ChainSyntaxError(e.what()); // the parser's one kind of refusal
  }
}

// delay POSITION...: one per channel.
std::unique_ptr<Effect> make_delay(const std::string& n, const Args& a) {
  if (a.empty())
    fail(n, "missing argument; usage: delay POSITION(+) (a delay per channel, e.g. delay 0 0.5)");
  if (a.size() > 256) fail(n, std::to_string(a.size()) + " delays; at most 256 channels");
  try {
    return std::make_unique<DelayEffect>(joined(n, a), a);
  } catch (const std::invalid_argument& e) {
    throw ChainSyntaxError(e.what()); // the parser's one kind of refusal
  }
}

// repeat [COUNT]: default 1; sox's "-" (endless) has no end to write.
std::unique_ptr<Effect> make_repeat(const std::string& n, const Args& a) {
  expect_count(n, a, 0, 1, "repeat [COUNT]");
  if (!a.empty() && a[0] == "-")
    fail(n, "'-' repeats without end, which no file can hold; give a count");
  const double count = a.empty() ? 1.0 : number(n, "count", a[0], 0, 1e6);
  if (count != std::floor(count)) fail(n, "count '" + a[0] + "' must be a whole number");
  return std::make_unique<SpoolEffect>(joined(n, a), SpoolEffect::Kind::repeat,
                                       static_cast<std::uint64_t>(count));
}

std::unique_ptr<Effect> make_reverse(const std::string& n, const Args& a) {
  expect_count(n, a, 0, 0, "reverse");
  return std::make_unique<SpoolEffect>(n, SpoolEffect::Kind::reverse, 0);
}

// contrast [ENHANCEMENT]: 0 to 100, default 75.
std::unique_ptr<Effect> make_contrast(const std::string& n, const Args& a) {
  expect_count(n, a, 0, 1, "contrast [ENHANCEMENT (0-100, 75)]");
  return std::make_unique<ContrastEffect>(
      joined(n, a), a.empty() ? 75.0 : number(n, "enhancement", a[0], 0, 100));
}

// overdrive [GAIN [COLOUR]]: each 0 to 100, default 20.
std::unique_ptr<Effect> make_overdrive(const std::string& n, const Args& a) {
  expect_count(n, a, 0, 2, "overdrive [GAIN (0-100, 20) [COLOUR (0-100, 20)]]");
  return std::make_unique<OverdriveEffect>(joined(n, a),
                                           a.empty() ? 20.0 : number(n, "gain", a[0], 0, 100),
                                           a.size() < 2 ? 20.0 : number(n, "colour", a[1], 0, 100));
}

// vol GAIN [TYPE [LIMITERGAIN]]; the type may follow the gain in one word ("-6dB", "0.5a"), as
// sox's sscanf reads it, and is any prefix of amplitude, dB or power, in any case.
std::unique_ptr<Effect> make_vol(const std::string& n, const Args& a) {
  const std::string usage = "vol GAIN [amplitude|power|dB [LIMITERGAIN]]";
  expect_count(n, a, 1, 3, usage);
  std::size_t number_end = 0;
  while (number_end < a[0].size() &&
         std::string_view("0123456789+-.eE").find(a[0][number_end]) != std::string_view::npos)
    ++number_end;
  // "1e" or "2d": an 'e' that is no exponent, or a type right after the digits.
  if (number_end > 0 && (a[0][number_end - 1] == 'e' || a[0][number_end - 1] == 'E')) --number_end;
  const auto gain = parse_finite(a[0].substr(0, number_end));
  if (!gain) fail(n, "gain '" + a[0] + "' is not a number; usage: " + usage);
  std::size_t next = 1;
  std::string type = a[0].substr(number_end);
  if (type.empty() && a.size() > 1) type = a[next++];
  if (a.size() > next + 1) fail(n, "unexpected argument '" + a[next + 1] + "'; usage: " + usage);
  const auto is_prefix = [&type](const std::string& word) {
    if (type.empty() || type.size() > word.size()) return false;
    for (std::size_t i = 0; i < type.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(type[i])) != word[i]) return false;
    return true;
  };
  double factor = *gain;
  if (type.empty() || is_prefix("amplitude")) {
    if (std::fabs(*gain) > 1e10) fail(n, "gain " + a[0] + " must be within +-1e10");
  } else if (is_prefix("db")) {
    factor = std::pow(10.0, decibels(n, a[0].substr(0, number_end)) / 20);
  } else if (is_prefix("power")) {
    if (std::fabs(*gain) > 1e20) fail(n, "power gain " + a[0] + " must be within +-1e20");
    factor = *gain >= 0 ? std::sqrt(*gain) : -std::sqrt(-*gain);
  } else {
    fail(n, "type '" + type + "' is not amplitude, power or dB; usage: " + usage);
  }
  double limiter = 0;
  if (a.size() > next) {
    limiter = number(n, "limiter gain", a[next], 0, 1);
    if (limiter <= 0 || limiter >= 1)
      fail(n, "limiter gain " + a[next] + " must be between 0 and 1");
    if (std::fabs(factor) < 1)
      fail(n, "a limiter needs a gain of at least 1 (it only keeps peaks from clipping)");
  }
  return std::make_unique<VolEffect>(joined(n, a), factor, limiter);
}

std::unique_ptr<Effect> make_dcshift(const std::string& n, const Args& a) {
  expect_count(n, a, 1, 2, "dcshift SHIFT [LIMITERGAIN]");
  const double shift = number(n, "shift", a[0], -2, 2);
  double limiter = 0;
  if (a.size() > 1) {
    limiter = number(n, "limiter gain", a[1], 0, 1);
    if (limiter <= 0 || limiter >= 1) fail(n, "limiter gain " + a[1] + " must be between 0 and 1");
  }
  return std::make_unique<DcShiftEffect>(joined(n, a), shift, limiter);
}

std::unique_ptr<Effect> make_channels(const std::string& n, const Args& a) {
  expect_count(n, a, 1, 1, "channels N");
  const double count = number(n, "channel count", a[0], 1, 256);
  if (count != std::floor(count)) fail(n, "channel count '" + a[0] + "' must be a whole number");
  return std::make_unique<ChannelsEffect>(static_cast<int>(count));
}

// stat [-s N] [-rms] [-v]; sox's -freq and -d print every sample or a spectrum: refused.
std::unique_ptr<Effect> make_stat(const std::string& n, const Args& a) {
  const std::string usage = "stat [-s N] [-rms] [-v]";
  StatOptions options;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i] == "-v") {
      options.volume_only = true;
    } else if (a[i] == "-rms") {
      options.rms = true;
    } else if (a[i] == "-s") {
      if (i + 1 == a.size()) fail(n, "-s needs a number; usage: " + usage);
      const auto scale = parse_finite(a[++i]);
      if (!scale) fail(n, "scale '" + a[i] + "' is not a number; usage: " + usage);
      if (*scale == 0) fail(n, "scale 0 would divide every sample by zero; usage: " + usage);
      options.scale = *scale;
    } else if (a[i] == "-freq" || a[i] == "-d") {
      fail(n, "option '" + a[i] + "' is not supported (only -s N, -rms and -v)");
    } else {
      fail(n, "unexpected argument '" + a[i] + "'; usage: " + usage);
    }
  }
  return std::make_unique<StatEffect>(joined(n, a), options);
}

// stats [-b BITS|-x BITS|-s SCALE] [-w WINDOW]: sox's getopt, so "-b 16" or "-b16"; sox keeps
// the whole part of a fractional bit count, and so does this.
std::unique_ptr<Effect> make_stats(const std::string& n, const Args& a) {
  const std::string usage = "stats [-b BITS|-x BITS|-s SCALE] [-w WINDOW]";
  StatsOptions options;
  int hex_bits = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const std::string& word = a[i];
    if (word.size() < 2 || word[0] != '-' ||
        std::string_view("bxsw").find(word[1]) == std::string_view::npos)
      fail(n, "unexpected argument '" + word + "'; usage: " + usage);
    std::string value = word.substr(2);
    if (value.empty()) {
      if (i + 1 == a.size()) fail(n, word + " needs a number; usage: " + usage);
      value = a[++i];
    }
    switch (word[1]) {
    case 'b':
      options.scale_bits = static_cast<int>(number(n, "bits", value, 2, 32));
      break;
    case 'x':
      hex_bits = static_cast<int>(number(n, "bits", value, 2, 32));
      break;
    case 's':
      options.scale = number(n, "scale", value, -99, 99);
      break;
    default:
      options.window = number(n, "window", value, 0.01, 10);
      break;
    }
  }
  if (hex_bits) options.scale_bits = hex_bits, options.hex = true;
  return std::make_unique<StatsEffect>(joined(n, a), options);
}

// tremolo SPEED [DEPTH]: SPEED in Hz (0 or more; sox has no upper limit, this one 1 MHz), DEPTH
// in percent, above 0 up to 100, default 40. sox reads a SPEED of "-0" as a synth offset and
// plays a 440 Hz ring modulation: refused here.
std::unique_ptr<Effect> make_tremolo(const std::string& n, const Args& a) {
  expect_count(n, a, 1, 2, "tremolo SPEED_HZ [DEPTH_PERCENT (40)]");
  const double speed = number(n, "speed", a[0], 0, 1e6);
  if (!a[0].empty() && a[0][0] == '-')
    fail(n, "speed '" + a[0] + "' must not start with '-' (sox reads it as something else)");
  const double depth = a.size() > 1 ? number(n, "depth", a[1], 0, 100) : 40.0;
  if (depth <= 0) fail(n, "depth " + a[1] + " must be above 0 (up to 100)");
  return std::make_unique<TremoloEffect>(joined(n, a), speed, depth);
}

// speed FACTOR[c]: a ratio above 0, or with a trailing 'c' a change in cents (sox's sscanf
// "%lf%c": only a lowercase c). Limited to 1/256..256 (+-9600 cents), as rate's ratio.
std::unique_ptr<Effect> make_speed(const std::string& n, const Args& a) {
  const std::string usage = "speed FACTOR[c] (e.g. speed 1.1 or speed -200c)";
  expect_count(n, a, 1, 1, usage);
  const std::string& text = a[0];
  double factor = 0;
  if (!text.empty() && text.back() == 'c') {
    const std::string digits = text.substr(0, text.size() - 1);
    const auto cents = parse_finite(digits);
    if (!cents || digits.empty()) fail(n, "cents '" + text + "' is not a number; usage: " + usage);
    if (std::fabs(*cents) > 9600) fail(n, "cents " + text + " must be within +-9600 (8 octaves)");
    factor = std::pow(2.0, *cents / 1200);
  } else {
    const auto v = parse_finite(text);
    if (!v) fail(n, "'" + text + "' is neither a factor nor a number of cents; usage: " + usage);
    if (!(*v >= 1.0 / 256 && *v <= 256))
      fail(n, "factor " + text + " must be between 1/256 and 256 (above 0)");
    factor = *v;
  }
  return std::make_unique<SpeedEffect>(joined(n, a), factor);
}

// A sinc frequency as sox's lsx_parse_frequency reads one: a number, 'k' for kHz. Returns: the
// value in Hz and how many characters it took (0: none).
std::pair<double, std::size_t> sinc_frequency(const std::string& text) {
  std::size_t end = 0;
  while (end < text.size() &&
         std::string_view("0123456789.eE+").find(text[end]) != std::string_view::npos)
    ++end;
  // An exponent's sign: "1e-3"; any other '-' ends the number (it starts FREQ2).
  while (end < text.size() && text[end] == '-' && end > 0 &&
         (text[end - 1] == 'e' || text[end - 1] == 'E')) {
    ++end;
    while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  }
  const auto v = end > 0 ? parse_finite(text.substr(0, end)) : std::nullopt;
  if (!v) return {-1, 0};
  double hz = *v;
  if (end < text.size() && text[end] == 'k') hz *= 1000, ++end;
  return {hz, end};
}

// sinc [-a ATT|-b BETA] [-p PHASE|-M|-I|-L] [-t TBW|-n TAPS] [FREQ1][-FREQ2] [-t TBW|-n TAPS]:
// sox's getopt, so "-a 90" or "-a90" and clusters of flags ("-Mr"); options after the
// frequencies apply to the low-pass part (FREQ2) when there is one, as in sox.
std::unique_ptr<Effect> make_sinc(const std::string& n, const Args& a) {
  const std::string usage = "sinc [-a ATT|-b BETA] [-p PHASE|-M|-I|-L] [-t TBW|-n TAPS] "
                            "[FREQ1][-FREQ2] [-t TBW|-n TAPS]";
  SincOptions o;
  double tbw = 0;
  int taps = 0;
  std::size_t i = 0;
  bool have_frequency = false;
  for (int stage = 0; stage < 2; ++stage) {
    // Options: a word "-X..." whose X is one of sox's option letters.
    while (i < a.size() && a[i].size() > 1 && a[i][0] == '-' &&
           std::string_view("rabpMILtn").find(a[i][1]) != std::string_view::npos) {
      const std::string word = a[i++];
      for (std::size_t k = 1; k < word.size(); ++k) {
        const char c = word[k];
        if (c == 'r' || c == 'M' || c == 'I' || c == 'L') {
          if (c == 'r') o.round = true;
          if (c != 'r') o.phase = c == 'M' ? 0 : c == 'I' ? 25 : 50;
          continue;
        }
        if (std::string_view("abptn").find(c) == std::string_view::npos)
          fail(n, "unknown option '-" + std::string(1, c) + "'; usage: " + usage);
        std::string value = word.substr(k + 1);
        if (value.empty()) {
          if (i == a.size()) fail(n, "-" + std::string(1, c) + " needs a value; usage: " + usage);
          value = a[i++];
        }
        if (c == 'a') o.attenuation = number(n, "attenuation", value, 40, 180);
        if (c == 'b') o.beta = number(n, "beta", value, 0, 256);
        if (c == 'p') o.phase = number(n, "phase", value, 0, 100);
        if (c == 'n') {
          const double t = number(n, "taps", value, 11, 32767);
          if (t != std::floor(t)) fail(n, "taps '" + value + "' must be a whole number");
          taps = static_cast<int>(t);
        }
        if (c == 't') {
          const auto [hz, used] = sinc_frequency(value);
          if (used != value.size() || hz < 1 || hz > 1e6)
            fail(n, "transition band '" + value + "' must be a frequency of at least 1 Hz");
          tbw = hz;
        }
        break; // the value took the rest of the word
      }
    }
    if (o.attenuation != 0 && o.beta >= 0) fail(n, "only one of -a and -b may be given");
    if (tbw != 0 && taps != 0) fail(n, "only one of -t and -n may be given");
    if (stage == 0 || o.high_cut == 0) o.low_tbw = tbw, o.low_taps = taps;
    o.high_tbw = tbw, o.high_taps = taps;
    if (stage == 0 && i < a.size()) {
      const std::string& word = a[i++];
      std::size_t at = 0;
      if (word[0] != '-') {
        const auto [hz, used] = sinc_frequency(word);
        if (used == 0) fail(n, "frequency '" + word + "' is not a number (e.g. 3k, -4k, 3k-4k)");
        o.low_cut = hz, at = used;
      }
      if (at < word.size() && word[at] == '-') {
        const auto [hz, used] = sinc_frequency(word.substr(at + 1));
        if (used == 0) fail(n, "frequency '" + word + "' is not a number (e.g. 3k, -4k, 3k-4k)");
        o.high_cut = hz, at += 1 + used;
      }
      if (at != word.size())
        fail(n, "frequency '" + word + "' is not FREQ1, -FREQ2 or FREQ1-FREQ2 (e.g. 3k-4k)");
      have_frequency = true;
    }
  }
  if (i != a.size()) fail(n, "unexpected argument '" + a[i] + "'; usage: " + usage);
  if (!have_frequency) fail(n, "missing frequency; usage: " + usage);
  if (o.low_cut > 1e6 || o.high_cut > 1e6) fail(n, "frequency above 1 MHz");
  if (o.low_cut <= 0 && o.high_cut <= 0)
    fail(n, "no frequency above 0 Hz (sox would run no filter); usage: " + usage);
  return std::make_unique<SincEffect>(joined(n, a), o);
}

// silence [-l] ABOVE_PERIODS [DURATION THRESHOLD[d|%] [BELOW_PERIODS DURATION THRESHOLD[d|%]]],
// as sox 14.4.2 reads it: a duration is sox time, a bare number being samples; a threshold
// without a unit is %, between 0 and 100, or dB below 0. A negative BELOW_PERIODS restarts.
std::unique_ptr<Effect> make_silence(const std::string& n, const Args& a) {
  const std::string usage = "silence [-l] ABOVE_PERIODS [DURATION THRESHOLD[d|%] "
                            "[BELOW_PERIODS DURATION THRESHOLD[d|%]]]";
  SilenceOptions o;
  std::size_t i = 0;
  if (i < a.size() && a[i] == "-l") o.leave = true, ++i;
  if (i >= a.size()) fail(n, "missing argument; usage: " + usage);
  const auto periods = [&](const std::string& text, const std::string& what, bool negative) {
    const auto v = parse_finite(text);
    if (!v || *v != std::floor(*v) || text.find_first_of(".eE") != std::string::npos)
      fail(n, what + " '" + text + "' is not a whole number; usage: " + usage);
    if (*v < (negative ? -2147483647.0 : 0) || *v > 2147483647.0)
      fail(n, what + " " + text + " is out of range [" + (negative ? "-2147483647" : "0") +
                  ", 2147483647]");
    return static_cast<int>(*v);
  };
  const auto condition = [&](SilenceCondition& c, const std::string& which) {
    if (a.size() - i < 2) fail(n, "missing argument; usage: " + usage);
    c.duration = a[i];
    if (!sox_samples(c.duration, 48000, /*bare_is_time=*/false))
      fail(n, which + " duration '" + c.duration +
                  "' is not a time (seconds with a dot, [hh:]mm:ss, or NNNs samples)");
    std::string t = a[i + 1];
    c.unit = '%';
    if (t.size() > 2 && t.compare(t.size() - 2, 2, "dB") == 0)
      t.pop_back(), c.unit = 'd', t.pop_back();
    else if (!t.empty() && (t.back() == 'd' || t.back() == '%'))
      c.unit = t.back(), t.pop_back();
    const auto v = parse_finite(t);
    if (!v || t.empty())
      fail(n, which + " threshold '" + a[i + 1] +
                  "' is not a number with an optional unit % or d (e.g. 1% or -50d)");
    if (c.unit == '%' && (*v < 0 || *v > 100))
      fail(n, which + " threshold " + a[i + 1] + " is out of range [0, 100] %");
    if (c.unit == 'd' && (*v >= 0 || *v < -1000))
      fail(n, which + " threshold " + a[i + 1] + " must be below 0 dB (and at least -1000)");
    c.threshold = *v;
    i += 2;
  };
  o.above.periods = periods(a[i++], "above periods", false);
  o.trims_start = o.above.periods > 0;
  if (o.trims_start) condition(o.above, "above");
  if (i < a.size()) {
    if (a.size() - i < 3) fail(n, "missing argument; usage: " + usage);
    const int below = periods(a[i++], "below periods", true);
    o.trims_end = true;
    o.restart = below < 0;
    o.below.periods = below < 0 ? -below : below;
    condition(o.below, "below");
  }
  if (i < a.size()) fail(n, "unexpected argument '" + a[i] + "'; usage: " + usage);
  if (!o.trims_start && o.restart) o.above.unit = 0; // sox's unset start: any sound above 0
  return std::make_unique<SilenceEffect>(joined(n, a), o);
}

// synth's number parameters after LENGTH or a frequency (sox's NUMERIC_PARAMETER): OFFSET
// -100..100, PHASE and P1..P3 0..100, each in percent; stops at the first word that does not
// start with a number. Returns: the index after the last one taken.
std::size_t synth_numbers(const std::string& n, const Args& a, std::size_t i, SynthChannel& g) {
  double* const targets[] = {&g.offset, &g.phase, &g.p1, &g.p2, &g.p3};
  const char* const names[] = {"offset", "phase", "p1", "p2", "p3"};
  for (int k = 0; k < 5 && i < a.size(); ++k, ++i) {
    const char* text = a[i].c_str();
    char* end = nullptr;
    (void)std::strtod(text, &end);
    if (end == text) break; // not a number: the next type
    const double v = number(n, names[k], a[i], k == 0 ? -100 : 0, 100);
    *targets[k] = v / 100;
  }
  return i;
}

// A note name at the start of `text` (sox's scientific notation): a letter A-G, then 'b' (flat)
// or '#' (sharp), then one digit, the octave (4 if none). Returns: semitones from A4 and the
// characters taken; none if `text` does not start with a letter A-G.
std::optional<std::pair<int, std::size_t>> synth_note_name(std::string_view text) {
  if (text.empty() || text[0] < 'A' || text[0] > 'G') return std::nullopt;
  // C D E F G A B: semitones from A within the octave that starts at C.
  static constexpr int from_a[] = {0, 2, -9, -7, -5, -4, -2};
  int note = from_a[text[0] - 'A'];
  std::size_t at = 1;
  if (at < text.size() && (text[at] == 'b' || text[at] == '#')) note += text[at++] == 'b' ? -1 : 1;
  if (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at])))
    note += 12 * (text[at++] - '4');
  return std::pair{note, at};
}

// synth -j KEY: a whole number of semitones from A (C's way: 0x hex, a leading 0 octal, spaces
// around), or a note name. Returns: the key; fails for anything else or beyond 100 octaves.
int synth_key(const std::string& n, const std::string& text) {
  const char* start = text.c_str();
  char* end = nullptr;
  errno = 0;
  const long key = std::strtol(start, &end, 0);
  bool ok = end != start && errno == 0;
  while (ok && *end != '\0' && std::isspace(static_cast<unsigned char>(*end))) ++end;
  if (ok && *end == '\0') {
    if (key < -1200 || key > 1200) fail(n, "-j: key '" + text + "' must be from -1200 to 1200");
    return static_cast<int>(key);
  }
  if (const auto note = synth_note_name(text); note && note->second == text.size())
    return note->first;
  fail(n, "-j: key '" + text + "' is neither semitones from A nor a note (e.g. 3, -9, C, Eb4)");
}

// A synth frequency at the start of `text`: a number, 'k' for kHz; or a note, '%' and semitones
// from A4 (fractions too) or a name (C4, F#3, Bb), tuned as note_frequency() with `key`.
// Returns: Hz and the characters taken; fails for a bad note or a frequency out of 0..1 MHz.
std::pair<double, std::size_t> synth_frequency(const std::string& n, const std::string& text,
                                               std::size_t from, std::optional<int> key) {
  const char* start = text.c_str() + from;
  char* end = nullptr;
  double hz = 0;
  std::size_t taken = 0;
  if (from < text.size() && text[from] == '%') {
    const double note = std::strtod(start + 1, &end);
    if (end == start + 1)
      fail(n, "frequency '" + text + "': '%' needs semitones from A4 (e.g. %-12, %3.5)");
    if (!std::isfinite(note) || note < -1200 || note > 1200)
      fail(n, "frequency '" + text + "': the note must be from %-1200 to %1200");
    hz = note_frequency(note, key);
    taken = static_cast<std::size_t>(end - start);
  } else if (const auto name = synth_note_name(std::string_view(text).substr(from))) {
    hz = note_frequency(name->first, key);
    taken = name->second;
  } else {
    (void)std::strtod(start, &end);
    const std::size_t used = static_cast<std::size_t>(end - start);
    const auto v = used > 0 ? parse_finite(text.substr(from, used)) : std::nullopt;
    if (!v) fail(n, "frequency '" + text + "' is not a number or a note (e.g. 440, 1k, %3, C4)");
    hz = *v;
    taken = used;
    if (from + taken < text.size() && text[from + taken] == 'k') hz *= 1000, ++taken;
  }
  if (!(hz >= 0 && hz <= 1e6)) fail(n, "frequency '" + text + "' must be from 0 to 1 MHz");
  return {hz, taken};
}

// synth [-n] [LENGTH [OFFSET [PHASE [P1 [P2 [P3]]]]]] TYPE [COMBINE] [FREQ[k][:|+|/|-FREQ2[k]]]
// [OFFSET [PHASE [P1 [P2 [P3]]]]] ...: sox's getopts. The numbers after LENGTH are defaults for
// every channel; each TYPE starts a channel. -j KEY (after -n, as sox) tunes notes justly.
std::unique_ptr<Effect> make_synth(const std::string& n, const Args& a) {
  static const std::array<std::pair<std::string_view, SynthType>, 13> types{{
      {"sine", SynthType::sine},
      {"square", SynthType::square},
      {"sawtooth", SynthType::sawtooth},
      {"triangle", SynthType::triangle},
      {"trapezium", SynthType::trapezium},
      {"trapetz", SynthType::trapezium},
      {"exp", SynthType::exp},
      {"whitenoise", SynthType::whitenoise},
      {"noise", SynthType::whitenoise},
      {"tpdfnoise", SynthType::tpdfnoise},
      {"pinknoise", SynthType::pinknoise},
      {"brownnoise", SynthType::brownnoise},
      {"pluck", SynthType::pluck},
  }};
  static const std::array<std::pair<std::string_view, SynthCombine>, 4> combines{{
      {"create", SynthCombine::create},
      {"mix", SynthCombine::mix},
      {"amod", SynthCombine::amod},
      {"fmod", SynthCombine::fmod},
  }};
  const auto type_of = [&](const std::string& w) -> std::optional<SynthType> {
    for (const auto& [name, t] : types)
      if (w == name) return t;
    return std::nullopt;
  };
  SynthOptions o;
  std::size_t i = 0;
  if (i < a.size() && a[i] == "-n") o.no_headroom = true, ++i;
  std::optional<int> key;
  if (i < a.size() && a[i] == "-j") {
    if (i + 1 == a.size()) fail(n, "-j needs a KEY (semitones from A, or a note: 3, C)");
    key = synth_key(n, a[i + 1]);
    i += 2;
  }
  if (i < a.size() && !a[i].empty() &&
      (std::isdigit(static_cast<unsigned char>(a[i][0])) || a[i][0] == '.')) {
    if (!sox_samples(a[i], 48000))
      fail(n, "length '" + a[i] + "' is not a time (e.g. 3, 0:02, 4800s)");
    o.length = a[i++];
  }
  SynthChannel master;
  i = synth_numbers(n, a, i, master);
  while (i < a.size()) {
    const auto type = type_of(a[i]);
    if (!type)
      fail(n, "unknown type '" + a[i] +
                  "' (sine, square, sawtooth, triangle, trapezium, exp, whitenoise, tpdfnoise, "
                  "pinknoise, brownnoise, pluck)");
    SynthChannel g = master;
    g.type = *type;
    if (++i == a.size()) {
      o.channels.push_back(g);
      break;
    }
    for (const auto& [name, c] : combines) // at most one; the last word may be it ("sine mix")
      if (i < a.size() && a[i] == name) g.combine = c, ++i;
    if (i < a.size() && !type_of(a[i]) && !a[i].empty() && a[i][0] != '-') {
      const std::string& word = a[i];
      auto [f1, at] = synth_frequency(n, word, 0, key);
      g.freq = g.freq2 = f1;
      if (g.type == SynthType::pluck && (f1 < pluck_min_hz || f1 > pluck_max_hz))
        fail(n, "pluck's frequency '" + word + "' must be from 27.5 to 4220 Hz");
      if (at < word.size() && std::string_view(":+/-").find(word[at]) != std::string_view::npos) {
        if (g.type >= SynthType::whitenoise)
          fail(n, "a noise or pluck cannot sweep ('" + word + "')");
        g.sweep = static_cast<SynthSweep>(std::string_view(":+/-").find(word[at]));
        auto [f2, used] = synth_frequency(n, word, at + 1, key);
        g.freq2 = f2, at += 1 + used;
        if (!o.length) fail(n, "a sweep ('" + word + "') needs a LENGTH");
      }
      if (at != word.size()) fail(n, "frequency '" + word + "': unexpected characters");
      if (g.sweep >= SynthSweep::exp && g.freq * g.freq2 == 0)
        fail(n, "an exponential sweep needs frequencies above 0 ('" + word + "')");
      ++i;
    }
    i = synth_numbers(n, a, i, g);
    o.channels.push_back(g);
  }
  if (o.channels.empty()) o.channels.push_back(master);
  return std::make_unique<SynthEffect>(joined(n, a), std::move(o));
}

using Factory = std::function<std::unique_ptr<Effect>(const std::string&, const Args&)>;

const std::vector<std::pair<std::string, Factory>>& factories() {
  static const std::vector<std::pair<std::string, Factory>> table{{"gain", make_gain},
                                                                  {"highpass", make_pass},
                                                                  {"lowpass", make_pass},
                                                                  {"equalizer", make_equalizer},
                                                                  {"bass", make_shelf},
                                                                  {"treble", make_shelf},
                                                                  {"limit", make_limit},
                                                                  {"fade", make_fade},
                                                                  {"norm", make_norm},
                                                                  {"remix", make_remix},
                                                                  {"swap", make_swap},
                                                                  {"rate", make_rate},
                                                                  {"dither", make_dither},
                                                                  {"vol", make_vol},
                                                                  {"dcshift", make_dcshift},
                                                                  {"channels", make_channels},
                                                                  {"bandpass", make_band_filter},
                                                                  {"bandreject", make_band_filter},
                                                                  {"allpass", make_allpass},
                                                                  {"band", make_band},
                                                                  {"deemph", make_fixed_filter},
                                                                  {"riaa", make_fixed_filter},
                                                                  {"biquad", make_biquad},
                                                                  {"contrast", make_contrast},
                                                                  {"overdrive", make_overdrive},
                                                                  {"trim", make_trim},
                                                                  {"pad", make_pad},
                                                                  {"delay", make_delay},
                                                                  {"repeat", make_repeat},
                                                                  {"reverse", make_reverse},
                                                                  {"stat", make_stat},
                                                                  {"stats", make_stats},
                                                                  {"tremolo", make_tremolo},
                                                                  {"speed", make_speed},
                                                                  {"sinc", make_sinc},
                                                                  {"silence", make_silence},
                                                                  {"synth", make_synth}};
  return table;
}

} // namespace

const std::vector<std::string>& effect_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& [name, factory] : factories()) out.push_back(name);
    return out;
  }();
  return names;
}

bool is_effect_name(const std::string& word) {
  const auto& names = effect_names();
  return std::find(names.begin(), names.end(), word) != names.end();
}

bool is_pseudo_effect(const std::string& word) {
  return word == ":" || word == "newfile" || word == "restart";
}

EffectChain parse_effect_chain(const std::vector<std::string>& words) {
  EffectChain chain;
  std::size_t i = 0;
  while (i < words.size()) {
    const std::string& name = words[i];
    if (is_pseudo_effect(name))
      throw ChainSyntaxError("'" + name +
                             "': sox's several effect chains (: newfile : restart) work only in "
                             "'ringcorder process', which splits its output into numbered files");
    const auto& table = factories();
    const auto it =
        std::find_if(table.begin(), table.end(), [&](const auto& e) { return e.first == name; });
    if (it == table.end()) {
      std::string known;
      for (const auto& n : effect_names()) {
        if (!known.empty()) known += ", ";
        known += n;
      }
      throw ChainSyntaxError("unknown effect '" + name + "'; effects: " + known);
    }
    Args args;
    for (++i; i < words.size() && !is_effect_name(words[i]) && !is_pseudo_effect(words[i]); ++i)
      args.push_back(words[i]);
    chain.add(it->second(name, args));
  }
  return chain;
}

std::vector<ChainSegment> split_effect_chain(const std::vector<std::string>& words) {
  using Kind = ChainSegment::Kind;
  std::vector<ChainSegment> out(1);
  bool newfile_seen = false;
  for (std::size_t i = 0; i < words.size();) {
    const std::string& word = words[i];
    if (!is_pseudo_effect(word)) { // an effect and its arguments, into the current chain
      if (out.size() > 1 && out[out.size() - 2].kind == Kind::restart)
        throw ChainSyntaxError("'" + word +
                               "' after restart would never run (restart goes back "
                               "to the first effect)");
      std::size_t end = i + 1;
      while (end < words.size() && !is_pseudo_effect(words[end]) && !is_effect_name(words[end]))
        ++end;
      out.back().words.insert(out.back().words.end(), words.begin() + std::ptrdiff_t(i),
                              words.begin() + std::ptrdiff_t(end));
      i = end;
      continue;
    }
    if (out.size() == 1 && out.front().words.empty())
      throw ChainSyntaxError("'" + word +
                             "' must follow an effect (e.g. silence 1 0.5 1% 1 0.5 1% : newfile "
                             ": restart)");
    ++i;
    if (word == ":") {
      if (!out.back().words.empty()) out.emplace_back();
      continue;
    }
    if (i < words.size() && !is_pseudo_effect(words[i]) && !is_effect_name(words[i]))
      throw ChainSyntaxError(word + " takes no arguments (got '" + words[i] + "')");
    if (word == "restart" && !newfile_seen)
      throw ChainSyntaxError("restart needs a newfile before it (e.g. silence 1 0.5 1% 1 0.5 1% "
                             ": newfile : restart): ringcorder runs the effects again only into "
                             "a new file");
    if (word == "restart" && out[out.size() - 2].kind == Kind::restart)
      throw ChainSyntaxError("restart given twice in a row");
    newfile_seen |= word == "newfile";
    if (!out.back().words.empty()) out.emplace_back();
    out.back().kind = word == "newfile" ? Kind::newfile : Kind::restart;
    out.emplace_back();
  }
  for (const ChainSegment& segment : out)
    if (segment.kind == Kind::effects) (void)parse_effect_chain(segment.words);
  return out;
}

bool splits_output(const std::vector<ChainSegment>& segments) {
  return std::any_of(segments.begin(), segments.end(),
                     [](const ChainSegment& s) { return s.kind == ChainSegment::Kind::newfile; });
}

} // namespace rc
