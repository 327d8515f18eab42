// engine/live/live_setup.hpp - what every live stream (capture, playthrough, latency) sets
// up the same way: the input device, the ring sizes, the worker cadence, the live effect chain
// and the report's capture half.
#pragma once

#include "engine/audio/input_conversion.hpp"
#include "engine/capture/capture_consumer.hpp"
#include "engine/capture/capture_report.hpp"
#include "engine/device/audio_stream.hpp"
#include "engine/device/device_list.hpp"
#include "engine/device/jack_frame_clock.hpp"
#include "engine/device/jack_input_stream.hpp"
#include "engine/dsp/effect_chain.hpp"
#include "engine/files/sound_file_writer.hpp"
#include "engine/live/capture_rig.hpp"
#include "engine/tap/tap_publisher.hpp"

#include <portaudio.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// What a stream is for, which decides its default buffer on PortAudio's ALSA host (the
/// desktop's way to PipeWire: ALSA's `pipewire`/`default` PCMs, pipewire-alsa). Elsewhere (JACK)
/// every use gets the device's low default.
enum class StreamUse {
  record,  ///< Capture: every frame into a file; latency does not matter, loss does.
  monitor, ///< Playthrough: heard at once, so short, but it must not lose frames either.
  measure, ///< Latency: the round trip of the device's shortest buffers.
};

/// The buffer asked of PortAudio's ALSA host for a recording when the user gives no `--latency`,
/// in seconds. Through PipeWire a buffer shorter than the graph's quantum loses frames in the
/// plugin, silently: with a quantum of 1024 and PortAudio's low default (about 520 frames) half
/// of every quantum was lost. A desktop application may force any quantum up to PipeWire's limit,
/// 8192 frames (170 ms at 48 kHz); measured on a headless PipeWire at 48 kHz, 0.1 s lost frames at
/// 8192, 0.2 s lost none. A quarter second leaves room above that, also at 44.1 kHz (arecord's
/// default buffer is half a second). For a capture it is only headroom: nothing waits for it.
inline constexpr double alsa_record_buffer_s = 0.25;

/// The buffer asked of PortAudio's ALSA host for playthrough when the user gives no `--latency`,
/// in seconds, for both directions. Through PipeWire (default quantum 1024), at the low default
/// (128-frame callbacks) the duplex stream dropped and inserted blocks of 256 frames without any
/// flag; 0.03 s still lost frames; 0.05 s (1024-frame callbacks) was clean on an idle machine but
/// beside two busy loops inserted or lost 1024-frame blocks, unflagged, in 2 of 6 runs; 0.1 s
/// (2048-frame callbacks) was clean in 6 of 6 there. A desktop that forces a larger quantum
/// needs a longer buffer (README: 0.25 s for 2048).
inline constexpr double alsa_monitor_buffer_s = 0.1;

/// Any thread. Returns: the suggested latency for `device` in `use` when none is asked for: its
/// low default (`low_default`, input or output), but on PortAudio's ALSA host at least
/// alsa_record_buffer_s for a recording and alsa_monitor_buffer_s for playthrough.
double default_latency(const DeviceInfo& device, double low_default, StreamUse use);

/// A resolved input: the device, its stream parameters and which device channels become ours.
struct InputSetup {
  DeviceInfo device;              ///< The device found.
  PaStreamParameters parameters;  ///< For Pa_OpenStream (float32, interleaved).
  ChannelMap map;                 ///< Device channel of each of our channels.
  int rate = 0;                   ///< The rate asked for, or the device's default.
  std::vector<std::string> ports; ///< JACK ports (--port): the source of each channel.
};

/// Main thread, inside a PortAudioSession. Effects: finds the input device `spec` and checks the
/// channels. `rate` 0: the device's default; `latency` 0: default_latency for `use`.
/// Throws: std::runtime_error naming the problem (unknown device, too few channels).
InputSetup resolve_input(const std::string& spec, int rate, double latency,
                         const std::optional<ChannelMap>& channels, StreamUse use);

/// Main thread, `jack` open and its ports not yet made. Effects: finds the source ports
/// `patterns` match (JackInputStream::find_sources), one channel each, and describes them as an
/// input: channel k is fed by source k (the map is the identity), at the server's rate.
/// Throws: std::runtime_error when a pattern matches nothing, more than max_channels ports
/// match, or `rate` / `period` (0: the server's) is not the server's.
InputSetup jack_port_input(JackInputStream& jack, const std::vector<std::string>& patterns,
                           int rate, int period);

/// The device clock a live stream finds host gaps with (HostGapDetector).
struct DeviceClock {
  /// JACK: the server's frame counter, exact to the cycle; null on other hosts.
  std::unique_ptr<JackFrameClock> jack;
  /// How gaps show on this clock; none when the host gives no usable clock.
  std::optional<DeviceClockRule> rule;
  /// For the report: which clock, and the precision it gives ("" when gaps are not measured).
  std::string description;
  int rate = 0; ///< Frames per second, to turn PortAudio's seconds into frames.

  /// Audio thread. Returns: the clock at the first frame of the callback's block, in frames:
  /// the JACK cycle's first frame, else PortAudio's input ADC time (no_device_clock when neither
  /// is known). Real-time safe.
  [[nodiscard]] double read(const PaStreamCallbackTimeInfo* time) const noexcept {
    if (jack) return static_cast<double>(jack->cycle_frame());
    if (rule && time != nullptr) return time->inputBufferAdcTime * rate;
    return no_device_clock;
  }
};

/// Main thread, inside a PortAudioSession, before the stream opens. Returns: the clock for
/// `in`'s host API: JACK's frame counter (whole periods), or PortAudio's time stamps elsewhere
/// (gaps from about 2 ms, to the frame). When a JACK server's counter cannot be read, host gaps
/// are not measured and the report says so.
DeviceClock open_device_clock(const InputSetup& in);

/// Returns: the clock of JACK ports read by our own client: its cycles' frame counter, exact in
/// whole periods (the stream hands it to its callback; `jack` in the result stays null).
DeviceClock jack_port_clock(const JackInputStream& jack);

/// A resolved output: the device and its stream parameters.
struct OutputSetup {
  DeviceInfo device;             ///< The device found.
  PaStreamParameters parameters; ///< For Pa_OpenStream (float32, interleaved).
};

/// Main thread, inside a PortAudioSession. Effects: finds the output device `spec` (empty:
/// `fallback`, normally the input device's name), to play `channels` channels on as many of its
/// outputs as it has (at least two: a mono run plays on both sides). Throws: std::runtime_error.
OutputSetup resolve_output(const std::string& spec, const std::string& fallback, double latency,
                           StreamUse use, int channels);

/// Throws: std::runtime_error unless the duplex stream `in` -> `out` works at `rate`.
void check_duplex(const InputSetup& in, const OutputSetup& out, int rate);

/// Returns: the message for a device that cannot run `channels` channels at `rate`.
std::string describe_unsupported(const DeviceInfo& device, int rate, int channels,
                                 const char* what);

/// Returns: how often the worker drains: 1/`divisor` of a period (256 frames when the host
/// chooses), kept between `floor` and 10 ms.
std::chrono::microseconds
poll_interval_for(int rate, int period, int divisor = 2,
                  std::chrono::microseconds floor = std::chrono::microseconds(1000));

/// Returns: the effect chain for a live stream of `channels` channels: every effect must work
/// block by block and keep the channel count; automatic dither is added for recordings of 1..16
/// bits unless `dither` is false; `record_bits` is the output's depth
/// (EffectChain::set_output_bits: a dither without BITS targets it). Throws: std::invalid_argument
/// for an unusable chain.
EffectChain live_chain(const std::vector<std::string>& effects, int record_bits, bool dither,
                       int rate, std::size_t max_block, int channels);

/// Returns: a BlockProcessor that runs `chain` in place on each block.
BlockProcessor chain_processor(EffectChain& chain);

/// Returns: the rig options of a live input: its rate, channels and map, the clock's rule for
/// host gaps, what a flagged block holds with `period`, a `ring_frames` ring (0: the default)
/// and a timeline of `duration` seconds (0: no end). The worker's cadence and stall keep their
/// defaults.
RigOptions input_rig_options(const InputSetup& in, const DeviceClock& clock, int period,
                             std::size_t ring_frames, double duration);

/// Returns: the timeline's end for `duration` seconds at `rate` (0: no end).
std::uint64_t frame_limit_for(double duration, int rate);

/// Main thread, before any file is made. Returns: the tap `name` published at `rate` for frames
/// of `channels` channels (null when `name` is empty: no tap). Throws: std::runtime_error when
/// the name is in use or /dev/shm has no room (TapPublisher).
std::unique_ptr<TapPublisher> open_tap(const std::string& name, int rate,
                                       const TapGeometry& geometry, int channels);

/// Returns: what a report says of a run's tap (nothing without one).
std::optional<TapSummary> tap_summary(const TapPublisher* tap);

/// Effects: puts the input device, its host API and the clock gaps are measured with into
/// `report`.
void describe_input(CaptureReport& report, const InputSetup& in, const DeviceClock& clock);

} // namespace rc
