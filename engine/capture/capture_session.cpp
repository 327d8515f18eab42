// engine/capture/capture_session.cpp - see capture_session.hpp.
#include "engine/capture/capture_session.hpp"

#include "engine/device/device_list.hpp"
#include "engine/dsp/chain_parser.hpp"
#include "engine/files/sound_file_writer.hpp"
#include "engine/util/monotonic_clock.hpp"
#include "engine/util/stop_signals.hpp"

#include <portaudio.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace rc {

namespace {

// How long the device may deliver nothing before we call it lost.
constexpr std::int64_t device_silence_limit_ns = 2'000'000'000;

extern "C" int capture_callback(const void* input, void*, unsigned long frames,
                                const PaStreamCallbackTimeInfo*, PaStreamCallbackFlags flags,
                                void* user) {
  const std::int64_t start = monotonic_ns();
  auto* producer = static_cast<CaptureProducer*>(user);
  const bool done =
      producer->on_input(static_cast<const float*>(input), static_cast<std::uint32_t>(frames),
                         static_cast<std::uint32_t>(flags), start);
  return done ? paComplete : paContinue;
}

std::size_t default_ring_frames(int rate) { return static_cast<std::size_t>(rate) * 2; }

// Half a period (the host's is unknown before the stream runs: assume 256 frames), kept between
// 1 and 10 ms: the ring stays nearly empty without waking the worker needlessly often.
std::chrono::microseconds poll_interval_for(int rate, int period) {
  const double period_us = 1e6 * (period > 0 ? period : 256) / rate;
  return std::chrono::microseconds(std::clamp<long>(static_cast<long>(period_us / 2), 1000, 10000));
}

// Owns an open PortAudio stream; stops and closes it on every path out.
class Stream {
public:
  Stream(const PaStreamParameters& input, double rate, int period, CaptureProducer& producer) {
    const PaError err = Pa_OpenStream(&stream_, &input, nullptr, rate,
                                      period > 0 ? static_cast<unsigned long>(period)
                                                 : paFramesPerBufferUnspecified,
                                      paClipOff, &capture_callback, &producer);
    if (err != paNoError)
      throw std::runtime_error(std::string("cannot open the input stream: ") +
                               Pa_GetErrorText(err));
  }
  ~Stream() {
    stop();
    Pa_CloseStream(stream_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  void start() {
    if (const PaError err = Pa_StartStream(stream_); err != paNoError)
      throw std::runtime_error(std::string("cannot start the input stream: ") +
                               Pa_GetErrorText(err));
  }
  // Waits for a running callback to return; afterwards no callback runs.
  void stop() {
    if (!stopped_) Pa_StopStream(stream_);
    stopped_ = true;
  }
  [[nodiscard]] bool active() const { return Pa_IsStreamActive(stream_) == 1; }
  [[nodiscard]] double input_latency() const {
    const PaStreamInfo* info = Pa_GetStreamInfo(stream_);
    return info ? info->inputLatency : 0.0;
  }

private:
  PaStream* stream_ = nullptr;
  bool stopped_ = false;
};

// The effect chain for a live stream: every effect must work block by block and keep stereo.
EffectChain live_chain(const CaptureOptions& options, int rate, std::size_t max_block) {
  EffectChain chain = parse_effect_chain(options.effects);
  if (const Effect* e = chain.first_offline_only())
    throw std::invalid_argument(e->description() +
                                ": works on files only (use ringcorder process)");
  if (options.format.bits > 0 && options.format.bits <= 16 && options.dither)
    chain.add_automatic_dither(options.format.bits);
  const AudioFormat out = chain.configure({2, double(rate), max_block});
  if (out.channels != 2)
    throw std::invalid_argument("the effects make " + std::to_string(out.channels) +
                                " channel(s); a recording keeps two");
  return chain;
}

std::string describe_unsupported(const DeviceInfo& device, int rate, int channels) {
  return "the device '" + device.name + "' cannot record " + std::to_string(channels) +
         " channel(s) at " + std::to_string(rate) + " Hz (its default rate is " +
         std::to_string(static_cast<int>(device.default_sample_rate)) + " Hz)";
}

} // namespace

CaptureReport run_capture(const CaptureOptions& options, const CaptureStatusCallback& on_status) {
  std::string error;
  const std::optional<DeviceInfo> device =
      find_device(options.device, DeviceDirection::input, error);
  if (!device) throw std::runtime_error(error);

  const int rate = options.rate > 0 ? options.rate : static_cast<int>(device->default_sample_rate);
  const ChannelPick pick = options.channels.value_or(ChannelPick{});
  const int device_channels =
      device->max_input_channels == 1 && !options.channels ? 1 : pick.channels_needed();
  if (device_channels > device->max_input_channels)
    throw std::runtime_error(
        "the device '" + device->name + "' has " + std::to_string(device->max_input_channels) +
        " input channel(s); cannot record channel " + std::to_string(device_channels));

  PaStreamParameters input{};
  input.device = device->index;
  input.channelCount = device_channels;
  input.sampleFormat = paFloat32;
  input.suggestedLatency =
      options.latency > 0 ? options.latency : device->default_low_input_latency;
  if (Pa_IsFormatSupported(&input, nullptr, rate) != paFormatIsSupported)
    throw std::runtime_error(describe_unsupported(*device, rate, device_channels));

  // Everything the callback touches is allocated here, before the stream exists.
  const std::size_t ring_frames =
      options.ring_frames > 0 ? options.ring_frames : default_ring_frames(rate);
  ringbuf::SpscRing<StereoFrame> frames(ring_frames);
  ringbuf::SpscRing<BlockHeader> headers(std::max<std::size_t>(256, frames.capacity() / 16));
  CaptureCounters counters;
  const CaptureChannel channel{frames, headers, counters};
  const std::uint64_t frame_limit =
      options.duration > 0 ? static_cast<std::uint64_t>(std::llround(options.duration * rate))
                           : std::numeric_limits<std::uint64_t>::max();
  CaptureProducer producer(channel, device_channels, pick, frame_limit);

  EffectChain chain = live_chain(options, rate, frames.capacity());
  SoundFileWriter writer(options.output_path, options.format, rate, options.overwrite);
  CaptureConsumer consumer(channel, writer, frames.capacity(), [&chain](std::span<StereoFrame> b) {
    // StereoFrame is two packed floats: the chain sees an ordinary interleaved stereo block.
    const AudioBlock in{reinterpret_cast<float*>(b.data()), b.size(), 2};
    const AudioBlock out = chain.process(in);
    if (out.data != in.data) std::memcpy(in.data, out.data, out.samples() * sizeof(float));
  });
  CaptureWorker worker(consumer, writer, poll_interval_for(rate, options.period),
                       options.test_stall);

  CaptureReport report;
  report.output_path = options.output_path;
  report.format = options.format.description;
  report.device = device->name;
  report.host_api = device->host_api;
  report.rate = rate;
  report.period = options.period;
  report.ring_capacity = frames.capacity();

  worker.start();
  {
    Stream stream(input, rate, options.period, producer);
    report.reported_input_latency_ms = stream.input_latency() * 1000.0;
    stream.start();

    std::uint64_t last_callbacks = 0;
    std::int64_t last_progress_ns = monotonic_ns();
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const std::int64_t now = monotonic_ns();
      const std::uint64_t callbacks = counters.callbacks.load(std::memory_order_relaxed);
      if (callbacks != last_callbacks) last_callbacks = callbacks, last_progress_ns = now;

      if (on_status) {
        CaptureStatus status;
        status.elapsed_seconds =
            double(counters.frames_captured.load(std::memory_order_relaxed)) / rate;
        status.peak = consumer.meter().take_live_peaks();
        status.clipped_samples = consumer.meter().live_clipped();
        status.ring_fill = double(frames.size()) / double(frames.capacity());
        status.overrun_events = counters.overrun_events.load(std::memory_order_relaxed);
        status.overrun_frames = counters.overrun_frames.load(std::memory_order_relaxed);
        status.xruns = counters.input_overflow_flags.load(std::memory_order_relaxed);
        on_status(status);
      }

      if (const int sig = stop_signal_received()) {
        report.stop_reason = signal_name(sig);
        break;
      }
      if (counters.frames_captured.load(std::memory_order_relaxed) >= frame_limit) {
        report.stop_reason = "duration";
        break;
      }
      if (worker.failed()) {
        report.stop_reason = "error";
        report.error = writer.error();
        break;
      }
      if (!stream.active() || now - last_progress_ns > device_silence_limit_ns) {
        report.stop_reason = "error";
        report.error = "the audio device stopped delivering input (device lost or server gone)";
        break;
      }
    }
    stream.stop();
  }
  worker.stop_and_join();
  if (!worker.failed() && !consumer.finish(counters.pending_gap.load(std::memory_order_acquire))) {
    report.stop_reason = "error";
    report.error = writer.error();
  }
  if (!writer.close() && report.error.empty()) {
    report.stop_reason = "error";
    report.error = writer.error();
  }

  report.frames_captured = counters.frames_captured.load();
  report.frames_written = consumer.frames_written();
  report.seconds = double(report.frames_captured) / rate;
  report.overrun_events = counters.overrun_events.load();
  report.overrun_frames = counters.overrun_frames.load();
  report.overruns = consumer.overruns();
  report.input_overflow_flags = counters.input_overflow_flags.load();
  report.callbacks = counters.callbacks.load();
  report.callback_us = percentiles_of(consumer.callback_ns(), 1e3);
  report.callback_us.max = double(counters.callback_ns_max.load()) / 1e3;
  report.ring_fill_max = counters.ring_fill_max.load();
  report.disk_latency_ms = percentiles_of(consumer.disk_latency_ns(), 1e6);
  const auto& totals = consumer.meter().totals();
  const double metered = double(std::max<std::uint64_t>(1, consumer.meter().frames()));
  for (int c = 0; c < 2; ++c) {
    report.peak_dbfs[c] = to_dbfs(totals[c].peak);
    report.rms_dbfs[c] = to_dbfs(std::sqrt(totals[c].sum_squares / metered));
  }
  report.clipped_samples = totals[0].clipped + totals[1].clipped;
  report.effects = chain.description();
  report.effect_clips = chain.clips();
  return report;
}

} // namespace rc
