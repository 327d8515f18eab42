// engine/live/latency_session.cpp - see latency_session.hpp.
#include "engine/live/latency_session.hpp"
#include "engine/util/realtime_scope.hpp"

#include "engine/device/audio_stream.hpp"
#include "engine/device/jack_port_latency.hpp"
#include "engine/latency/latency_sink.hpp"
#include "engine/live/live_setup.hpp"
#include "engine/live/playback_rig.hpp"
#include "engine/util/monotonic_clock.hpp"
#include "engine/util/text.hpp"

#include <portaudio.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <numbers>
#include <optional>
#include <stdexcept>
#include <tuple>

namespace rc {

const char* to_string(LatencyPath path) noexcept {
  return path == LatencyPath::ring ? "ring" : "direct";
}

namespace {

/// Frames the callback converts at a time (a larger callback is handled in pieces).
constexpr std::size_t chunk_frames = 4096;

/// What the latency callback touches; all of it exists before the stream starts.
struct LatencyContext {
  CaptureProducer& producer; // capture ring: {test signal, returned input}
  const MultiTone& signal;
  PlaybackFeeder* feeder; // ring path; null on the direct path
  int input_channels;
  int input_channel;
  int output_channels;
  float* scratch;             // 2 * chunk_frames floats
  std::uint64_t position = 0; // timeline frame of the next callback frame
};

extern "C" int latency_callback(const void* input, void* output, unsigned long frames,
                                const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags flags,
                                void* user) {
  const RealtimeScope realtime; // the test guard checks everything below
  const std::int64_t start = monotonic_ns();
  auto* c = static_cast<LatencyContext*>(user);
  const auto* in = static_cast<const float*>(input);
  auto* out = static_cast<float*>(output);
  const auto stride = static_cast<std::size_t>(c->input_channels);
  bool done = false;
  // Capture side: pair each generated test frame with the frame that came back.
  for (std::size_t first = 0; first < frames; first += chunk_frames) {
    const std::size_t n = std::min<std::size_t>(chunk_frames, frames - first);
    for (std::size_t i = 0; i < n; ++i) {
      c->scratch[2 * i] = c->signal.sample(c->position + first + i);
      c->scratch[2 * i + 1] =
          in ? in[(first + i) * stride + static_cast<std::size_t>(c->input_channel)] : 0.0f;
    }
    done = c->producer.on_input(c->scratch, static_cast<std::uint32_t>(n),
                                static_cast<std::uint32_t>(flags), start);
  }
  // Output side: the signal itself (direct), or whatever the worker queued (ring).
  if (c->feeder) {
    c->feeder->on_output(out, static_cast<std::uint32_t>(frames), c->output_channels,
                         static_cast<std::uint32_t>(flags));
  } else {
    const auto channels = static_cast<std::size_t>(c->output_channels);
    for (std::size_t i = 0; i < frames; ++i)
      std::fill_n(out + i * channels, channels, c->signal.sample(c->position + i));
  }
  c->position += frames;
  return done ? paComplete : paContinue;
}

} // namespace

namespace {

/// Both sides of one open, found and checked against each other.
struct LatencyDevices {
  InputSetup in;
  OutputSetup out;
  int rate = 0;
};

/// Open, the devices: main thread, inside a PortAudioSession. Throws: std::runtime_error (no
/// such device or channel, sides that cannot run together).
LatencyDevices open_devices(const LatencyOptions& options) {
  LatencyDevices d;
  d.in = resolve_input(options.input_device, options.rate, options.latency,
                       ChannelMap::pair(options.input_channel, options.input_channel),
                       StreamUse::measure);
  if (options.input_channel >= d.in.device.max_input_channels)
    throw std::runtime_error("the device '" + d.in.device.name + "' has no input channel " +
                             std::to_string(options.input_channel + 1));
  d.rate = d.in.rate;
  d.out = resolve_output(options.output_device, d.in.device.name, options.latency,
                         StreamUse::measure, 2);
  check_duplex(d.in, d.out, d.rate);
  return d;
}

/// One open of the stream, in the phases of a run: the constructor allocates everything the
/// callback touches (before the stream exists), then start(), watch(), stop() and finish(), in
/// that order. Main thread only.
class LatencyRun {
public:
  LatencyRun(const LatencyOptions& options, const LatencyDevices& devices,
             const LatencyProgress& on_measurement)
      : options_(options), devices_(devices), on_measurement_(on_measurement),
        ring_path_(options.path == LatencyPath::ring),
        buffer_(options.buffer_frames > 0 ? options.buffer_frames
                                          : default_buffer_frames(options.period)),
        playback_(buffer_, devices.rate, /*grow_prime=*/false, /*record=*/nullptr, 2),
        scratch_(2 * chunk_frames), sink_(ring_path_ ? &playback_.sink() : nullptr),
        rig_(rig_options(options, devices.rate), sink_), context_{
                                                             rig_.producer(),
                                                             signal_,
                                                             ring_path_ ? &playback_.feeder()
                                                                        : nullptr,
                                                             devices.in.parameters.channelCount,
                                                             options.input_channel,
                                                             devices.out.parameters.channelCount,
                                                             scratch_.data()} {
    playback_.attach_timing(rig_.consumer().timing());
    report_.input_device = devices.in.device.name;
    report_.output_device = devices.out.device.name;
    report_.host_api = devices.in.device.host_api;
    report_.path = options.path;
    report_.rate = devices.rate;
    report_.period_asked = options.period > 0;
    report_.buffer_frames = ring_path_ ? buffer_ : 0;
    report_.stream.device = devices.in.device.name;
    report_.stream.host_api = devices.in.device.host_api;
    report_.stream.channel_map = {options.input_channel + 1}; // the one it listens on
    // On JACK the claim is read from the graph (JackPortLatency) while the loopback is
    // connected: PortAudio reads its ports' latencies at open, before any connection exists.
    if (report_.on_jack()) {
      try {
        jack_ports_ = std::make_unique<JackPortLatency>("ringcorder-latency");
      } catch (const std::runtime_error&) {
        // No claim rather than a guess; the stream's open says what is wrong with JACK.
      }
    }
  }

  /// Effects: starts the worker (it is on the audio path: each period it must move input to
  /// the output), opens the stream, notes the host's latency claims and starts the stream.
  /// Throws: std::runtime_error when the stream cannot open or start.
  void start() {
    report_.worker_realtime = rig_.start(true);
    const int rate = devices_.rate;
    stream_.emplace(&devices_.in.parameters, &devices_.out.parameters, rate, options_.period,
                    &latency_callback, &context_);
    in_latency_ = stream_->input_latency();
    out_latency_ = stream_->output_latency();
    if (in_latency_) report_.reported_input_ms = *in_latency_ * 1000.0;
    if (out_latency_) report_.reported_output_ms = *out_latency_ * 1000.0;
    if (in_latency_ && out_latency_)
      report_.reported_frames = (*in_latency_ + *out_latency_) * rate;
    if (jack_ports_) jack_client_ = portaudio_jack_client_name();
    stream_->start();
  }

  /// Effects: measures until the duration, a stop `controls` asks for or a failure; each tick
  /// hands the new windows to the progress callback and reads the JACK claim.
  void watch(LiveControls& controls) {
    const StopCause cause = rig_.watch(*stream_, controls, [this] { tick(); });
    tick(); // the connections as they stand at the end
    report_.stream.stop_reason = cause.reason;
    report_.stream.error = cause.error;
  }

  /// Effects: stops and closes the stream, then drains the worker.
  void stop() {
    stream_->stop();
    stream_.reset();
    rig_.stop(nullptr, report_.stream);
    take_new();
  }

  /// Returns: the report: the JACK claim (if read) as the host's claim, the stream's figures,
  /// the playback shortages and the summary of the windows.
  LatencyReport finish() {
    const int rate = devices_.rate;
    if (report_.jack_claim) {
      report_.reported_input_ms = 1000.0 * report_.jack_claim->input_frames() / rate;
      report_.reported_output_ms = 1000.0 * report_.jack_claim->output_frames() / rate;
      report_.reported_frames = report_.jack_claim->total_frames();
    }
    playback_.stop();
    rig_.report(report_.stream, nullptr);
    const double period_us = report_.stream.timing.period_us();
    report_.period = options_.period > 0 ? options_.period
                                         : static_cast<int>(std::lround(period_us * rate / 1e6));
    report_.underrun_events = playback_.counters().underrun_events.load();
    report_.underrun_frames = playback_.counters().underrun_frames.load();
    summarize(report_);
    return std::move(report_);
  }

private:
  // The scratch holds {test, returned} pairs: channels 0 and 1 of a two-channel "device", with
  // no clock of its own.
  static RigOptions rig_options(const LatencyOptions& options, int rate) {
    RigOptions o;
    o.rate = rate;
    o.period = options.period;
    o.map = ChannelMap::pair(0, 1);
    o.frame_limit = frame_limit_for(options.duration, rate);
    o.poll_interval = poll_interval_for(rate, options.period, 4, std::chrono::microseconds(250));
    return o;
  }

  // The windows measured since the last call, into the report and to the progress callback.
  void take_new() {
    for (const RoundTripEstimate& e : sink_.take_estimates()) {
      report_.measurements.push_back({double(e.end_frame) / devices_.rate, e});
      if (on_measurement_) on_measurement_(report_.measurements.back());
    }
  }

  // Each tick keeps the latest JACK claim, so the one reported was read with the connections
  // the run ended with; a read that finds no ports keeps the one before. Not once the stream
  // has stopped: its server may be gone, and so its graph.
  void tick() {
    take_new();
    if (!jack_ports_ || jack_client_.empty() || !stream_->active()) return;
    const int rate = devices_.rate;
    if (const std::optional<JackPortClaims> ports = jack_ports_->read(jack_client_))
      if (auto claim = jack_claim(*ports, options_.input_channel, in_latency_.value_or(0) * rate,
                                  out_latency_.value_or(0) * rate, rate))
        report_.jack_claim = claim;
  }

  const LatencyOptions& options_;
  const LatencyDevices& devices_;
  const LatencyProgress& on_measurement_;
  const bool ring_path_;
  const std::size_t buffer_; ///< The playback target fill (ring path).
  const MultiTone signal_;
  PlaybackRig playback_;
  std::vector<float> scratch_; ///< 2 * chunk_frames floats for the callback.
  LatencySink sink_;
  CaptureRig rig_;
  LatencyContext context_;
  LatencyReport report_;
  std::unique_ptr<JackPortLatency> jack_ports_;    ///< Null off JACK.
  std::string jack_client_;                        ///< PortAudio's JACK client, for the claim.
  std::optional<double> in_latency_, out_latency_; ///< PortAudio's claims at open, s.
  std::optional<AudioStream> stream_;              ///< Last: closed before what it touches.
};

/// One open of the stream: open, start, watch, stop, finish.
LatencyReport measure_once(const LatencyOptions& options, LiveControls& controls,
                           const LatencyProgress& on_measurement) {
  const LatencyDevices devices = open_devices(options);
  LatencyRun run(options, devices, on_measurement);
  run.start();
  run.watch(controls);
  run.stop();
  return run.finish();
}

} // namespace

std::string latency_options_problem(const LatencyOptions& options) {
  if (!(options.duration > 0)) return "--duration must be a positive time such as 3 or 2.5";
  if (options.input_channel < 0) return "--channels counts from 1";
  if (options.repeat < 1) return "--repeat must be at least 1";
  if (options.path != LatencyPath::ring && options.buffer_frames > 0)
    return "--buffer applies to --path ring only";
  return playback_buffer_problem(options.buffer_frames, options.period);
}

LatencyReport run_latency(const LatencyOptions& options, LiveControls& controls,
                          const LatencyProgress& on_measurement) {
  if (const std::string problem = latency_options_problem(options); !problem.empty())
    throw std::invalid_argument(problem);
  LatencyReport report = measure_once(options, controls, on_measurement);
  report.opens.push_back({report.status, report.round_trip_frames, report.error_frames});
  // Further opens, unless a stop signal or an error ended this one; an open a stop signal cuts
  // short is not counted against the others (the run just ends there).
  for (int open = 1; open < options.repeat && report.stream.stop_reason == StopReason::duration &&
                     report.stream.error.empty() && !controls.stop_requested();
       ++open) {
    const std::string which =
        "open " + std::to_string(open + 1) + " of " + std::to_string(options.repeat) + ": ";
    LatencyReport next;
    try {
      next = measure_once(options, controls, on_measurement);
    } catch (const std::exception& e) {
      report.stream.error = which + e.what(); // the opens measured so far stay in the report
      break;
    }
    if (next.stream.stop_reason != StopReason::duration || !next.stream.error.empty()) {
      report.stream.stop_reason = next.stream.stop_reason;
      report.stream.error = next.stream.error.empty() ? "" : which + next.stream.error;
      if (next.stream.error.empty() && !next.measured()) break; // stopped by a signal
    }
    report.opens.push_back({next.status, next.round_trip_frames, next.error_frames});
    if (!next.measured() && report.measured()) {
      report.status = next.status;
      report.message = which + next.message;
    }
  }
  std::vector<double> measured;
  for (const LatencyOpen& o : report.opens)
    if (o.measured()) measured.push_back(o.round_trip_frames);
  if (measured.size() >= 2) {
    const auto [lo, hi] = std::minmax_element(measured.begin(), measured.end());
    report.open_spread_frames = *hi - *lo;
  }
  return report;
}

bool LatencyReport::on_jack() const noexcept { return host_api.find("JACK") != std::string::npos; }

namespace {

/// The windows of one length that agree, and what they give.
struct Consensus {
  std::vector<const RoundTripEstimate*> agreeing;
  std::size_t with_delay = 0; // windows of this length with a delay
  double mean = 0, error = HUGE_VAL;
  bool on_line = false;        // the windows agree with a drifting line, not a constant
  double mean_end_frame = 0;   // the weighted mean of the agreeing windows' end frames
  std::optional<double> slope; // frames per frame, when clearly (3 standard errors) not 0
  double slope_error = 0;
};

/// A window's weight: its inverse variance (floored, so clean windows do not overflow).
double weight_of(const RoundTripEstimate& e) {
  return 1 / std::max(e.error_frames * e.error_frames, 1e-12);
}

/// Returns: whether `e` lies within its errors (3 standard errors, or 0.005 frame) of `model`.
bool agrees(const RoundTripEstimate& e, double model) {
  return std::abs(e.frames - model) <= std::max(3 * e.error_frames, 0.005);
}

/// A weighted least-squares line through the windows' delays over their end frames.
struct Line {
  double t0 = 0, at_t0 = 0, slope = 0;
  double stt = 0; // sum of weight * (t - t0)^2: the slope's variance is 1 / stt
  [[nodiscard]] double at(const RoundTripEstimate& e) const {
    return at_t0 + slope * (double(e.end_frame) - t0);
  }
};
Line fit(const std::vector<const RoundTripEstimate*>& windows) {
  Line line;
  double w = 0, wt = 0, wd = 0;
  for (const RoundTripEstimate* e : windows) {
    const double we = weight_of(*e);
    w += we, wt += we * double(e->end_frame), wd += we * e->frames;
  }
  if (w <= 0) return line;
  line.t0 = wt / w;
  line.at_t0 = wd / w;
  double stt = 0, std_ = 0;
  for (const RoundTripEstimate* e : windows) {
    const double t = double(e->end_frame) - line.t0;
    stt += weight_of(*e) * t * t, std_ += weight_of(*e) * t * (e->frames - line.at_t0);
  }
  if (stt > 0) line.slope = std_ / stt;
  line.stt = stt;
  return line;
}

/// Returns: the consensus of the windows `periods` periods long: those that agree with their
/// median, or, when fewer than LatencyRule::min_agreeing_fraction do, with a line through them
/// (input and output on different clocks: the delay drifts at a constant rate).
Consensus consensus_of(const std::vector<LatencyMeasurement>& measurements, std::uint32_t periods) {
  Consensus c;
  std::vector<const RoundTripEstimate*> with_delay;
  for (const LatencyMeasurement& m : measurements)
    if (m.estimate.periods == periods && m.estimate.has_delay()) with_delay.push_back(&m.estimate);
  c.with_delay = with_delay.size();
  if (with_delay.empty()) return c;
  std::vector<double> frames;
  for (const RoundTripEstimate* e : with_delay) frames.push_back(e->frames);
  std::nth_element(frames.begin(), frames.begin() + std::ptrdiff_t(frames.size() / 2),
                   frames.end());
  const double median = frames[frames.size() / 2];
  for (const RoundTripEstimate* e : with_delay)
    if (agrees(*e, median)) c.agreeing.push_back(e);
  if (double(c.agreeing.size()) < LatencyRule::min_agreeing_fraction * double(c.with_delay)) {
    // Fit a line, then again through the windows on it, and keep it if more agree.
    std::vector<const RoundTripEstimate*> on_line = with_delay;
    for (int pass = 0; pass < 2; ++pass) {
      const Line line = fit(on_line);
      on_line.clear();
      for (const RoundTripEstimate* e : with_delay)
        if (agrees(*e, line.at(*e))) on_line.push_back(e);
      if (on_line.size() < 2) break;
    }
    if (on_line.size() > c.agreeing.size()) c.agreeing = on_line, c.on_line = true;
  }
  if (c.agreeing.empty()) return c;
  // Weighted mean; windows sharing samples (four one-period windows per period, or P windows
  // of P periods) are not independent, so at most one per window length's worth of samples
  // counts towards the error.
  double weights = 0, sum = 0;
  for (const RoundTripEstimate* e : c.agreeing) {
    weights += weight_of(*e), sum += weight_of(*e) * e->frames;
  }
  c.mean = sum / weights;
  const double overlap = periods == 1 ? 4.0 : double(periods);
  const double shared = std::min(overlap, double(c.agreeing.size()));
  c.error = std::sqrt(shared / weights);
  const Line line = fit(c.agreeing);
  c.mean_end_frame = line.t0;
  // Drift, once the windows span two periods and the slope stands 3 standard errors clear of 0.
  const double span = double(c.agreeing.back()->end_frame) - double(c.agreeing.front()->end_frame);
  if (c.agreeing.size() >= 3 && span >= 2.0 * MultiTone::period && line.stt > 0) {
    c.slope_error = std::sqrt(shared / line.stt);
    if (std::abs(line.slope) > 3 * c.slope_error || c.on_line) c.slope = line.slope;
  }
  return c;
}

/// Returns: whether `c` gives a figure by LatencyRule.
bool decides(const Consensus& c) {
  return c.agreeing.size() >= LatencyRule::min_agreeing &&
         double(c.agreeing.size()) >= LatencyRule::min_agreeing_fraction * double(c.with_delay) &&
         c.error <= LatencyRule::tolerance_frames / LatencyRule::sigmas;
}

std::string seconds_text(double seconds) { return format_double("%.1f s", seconds); }

} // namespace

void summarize(LatencyReport& r) {
  using Status = RoundTripEstimate::Status;
  const double rate = r.rate > 0 ? r.rate : 1;
  r.valid = 0;
  r.ring_adds_frames = r.path == LatencyPath::ring ? double(r.buffer_frames) : 0.0;

  // The level and SNR of the return: the median over the windows of the shortest length where
  // at least three found the tones (a longer window smears a drifting delay).
  std::size_t with_signal = 0;
  for (std::uint32_t periods = RoundTripAnalyzer::max_periods; periods >= 1; periods /= 2) {
    std::vector<std::pair<double, double>> seen; // (snr, gain)
    for (const LatencyMeasurement& m : r.measurements)
      if (m.estimate.periods == periods && m.estimate.status != Status::no_signal)
        seen.emplace_back(m.estimate.snr_db, m.estimate.gain_db);
    with_signal += seen.size();
    if (seen.empty() || (seen.size() < 3 && with_signal > seen.size())) continue;
    std::nth_element(seen.begin(), seen.begin() + std::ptrdiff_t(seen.size() / 2), seen.end());
    std::tie(r.snr_db, r.gain_db) = seen[seen.size() / 2];
  }

  // The shortest window length whose windows agree and pin the figure down decides; longer
  // windows are for returns too weak for shorter ones.
  std::optional<Consensus> decided;
  std::uint32_t disagreeing_length = 0;
  for (std::uint32_t periods = 1; periods <= RoundTripAnalyzer::max_periods; periods *= 2) {
    Consensus c = consensus_of(r.measurements, periods);
    if (decides(c)) {
      decided = std::move(c);
      r.window_periods = periods;
      break;
    }
    // Windows that disagree are a finding, not noise to integrate away: a longer window would
    // only average over the change.
    if (c.with_delay >= LatencyRule::min_agreeing &&
        double(c.agreeing.size()) < LatencyRule::min_agreeing_fraction * double(c.with_delay)) {
      disagreeing_length = periods;
      break;
    }
  }

  if (decided) {
    const Consensus& c = *decided;
    r.valid = c.agreeing.size();
    r.round_trip_frames = c.mean;
    r.round_trip_ms = 1000.0 * c.mean / rate;
    r.error_frames = c.error;
    std::size_t inverted = 0;
    double squares = 0;
    r.min_frames = r.max_frames = c.agreeing.front()->frames;
    for (const RoundTripEstimate* e : c.agreeing) {
      inverted += e->status == Status::inverted;
      squares += (e->frames - c.mean) * (e->frames - c.mean);
      r.min_frames = std::min(r.min_frames, e->frames);
      r.max_frames = std::max(r.max_frames, e->frames);
    }
    r.stddev_frames = std::sqrt(squares / double(c.agreeing.size()));
    if (c.slope) r.drift_ppm = 1e6 * *c.slope, r.drift_error_ppm = 1e6 * c.slope_error;
    std::string how = std::to_string(c.agreeing.size()) + " of " + std::to_string(c.with_delay) +
                      " windows of " +
                      (r.window_periods == 1 ? std::string("one period")
                                             : std::to_string(r.window_periods) + " periods") +
                      format_double(" (%.2f s) agree; standard error ",
                                    double(r.window_periods) * double(MultiTone::period) / rate) +
                      format_double("%.4f frame", c.error);
    if (c.on_line && r.drift_ppm)
      how += format_double("; the delay drifts %+.2f ppm", *r.drift_ppm) +
             " (input and output clocks apart), and the figure is the delay at " +
             format_double("%.2f s into the run", c.mean_end_frame / rate);
    if (inverted * 2 > c.agreeing.size()) {
      r.status = Status::inverted;
      r.message = "the signal comes back inverted (a wiring or phase-switch problem); the delay "
                  "is still measured: " +
                  how;
    } else {
      r.status = Status::ok;
      r.message = how;
    }
    return;
  }

  if (r.measurements.empty()) {
    r.status = Status::no_signal;
    r.message = "no measurement completed: run for longer than " +
                std::to_string(5 * MultiTone::period / 4) + " frames plus the round trip";
  } else if (with_signal == 0) {
    r.status = Status::no_signal;
    double loudest = -200;
    for (const LatencyMeasurement& m : r.measurements)
      loudest = std::max(loudest, m.estimate.input_dbfs);
    if (loudest > -150)
      r.message = "the input carries sound" + format_double(" (%.1f dBFS RMS)", loudest) +
                  " but no test tones stand out of it: check that the output reaches this input "
                  "(-c), or raise the level";
    else
      r.message = "the test signal did not come back: connect the output to the input (a cable, "
                  "or with JACK: jack_connect <client>:out_0 <client>:in_0)";
  } else if (disagreeing_length > 0) {
    r.status = Status::uncertain;
    const LatencyMeasurement* first = nullptr;
    const LatencyMeasurement* last = nullptr;
    for (const LatencyMeasurement& m : r.measurements)
      if (m.estimate.periods == disagreeing_length && m.estimate.has_delay())
        last = &m, first = first ? first : &m;
    r.message = "the windows with a clear delay disagree (fewer than " +
                format_double("%.0f%%", 100 * LatencyRule::min_agreeing_fraction) +
                " within their errors of their median or of a steady drift): the path changes "
                "during the run (" +
                format_double("%.3f frames", first->estimate.frames) +
                format_double(" at %.2f s, ", first->time) +
                format_double("%.3f", last->estimate.frames) +
                format_double(" at %.2f s); no delay is reported", last->time);
  } else {
    r.status = Status::uncertain;
    // What it would take, from the SNR: under white noise a window of P periods has a standard
    // error of sigma_1 / sqrt(P), with sigma_1 = (L / 2 pi) sqrt(n / (L snr sum(bin^2))) (the
    // analyzer's noise term), and W windows of P periods give a figure with sigma_1 / sqrt(W)
    // (consensus_of()). So W >= (sigma_1 / (tolerance / sigmas))^2, P >= (sigma_1 /
    // max_error_frames)^2, and the run needs P + W + 2 periods.
    double bins_squared = 0;
    for (const int b : MultiTone::bins) bins_squared += double(b) * double(b);
    const double L = double(MultiTone::period);
    const double snr = std::pow(10.0, r.snr_db / 10);
    const double sigma_1 = L / (2 * std::numbers::pi) *
                           std::sqrt(double(MultiTone::tone_count) / (L * snr * bins_squared));
    const double target = LatencyRule::tolerance_frames / LatencyRule::sigmas;
    // Half as many windows again: the SNR is itself an estimate, and the advice should work.
    const double windows =
        std::max(double(LatencyRule::min_agreeing), std::ceil(1.5 * std::pow(sigma_1 / target, 2)));
    std::uint32_t length = 1;
    while (double(length) < std::pow(sigma_1 / RoundTripAnalyzer::max_error_frames, 2) &&
           length <= RoundTripAnalyzer::max_periods)
      length *= 2;
    const double needed_periods = double(length) + windows + 2;
    const double run_periods =
        r.measurements.empty() ? 0 : double(r.measurements.back().estimate.end_frame) / L;
    std::string advice;
    if (length > RoundTripAnalyzer::max_periods) {
      advice = "raise the level or lower the noise: even " +
               std::to_string(RoundTripAnalyzer::max_periods) +
               "-period windows would not pin the delay down";
    } else if (needed_periods <= run_periods) {
      advice = "the windows scatter more than this SNR explains: the delay drifts or changes "
               "during the run, or the path distorts the tones";
    } else {
      // One second more for the loopback's connection.
      const double seconds = std::ceil(needed_periods * L / rate + 1);
      const bool loud_enough = length == 1 && windows <= double(LatencyRule::min_agreeing);
      advice = (loud_enough ? "the run was too short: measure for at least "
                            : "raise the level, or measure for at least ") +
               seconds_text(seconds) + format_double(" (-d %.0f)", seconds);
    }
    r.message = "the test signal came back" + format_double(" at %+.1f dB", r.gain_db) +
                format_double(" with an SNR of %.1f dB", r.snr_db) + ", but no figure within " +
                format_double("%.2f frame", LatencyRule::tolerance_frames) +
                " could be pinned down: " + advice;
  }
}

} // namespace rc
