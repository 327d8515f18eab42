// engine/live/live_setup.cpp - see live_setup.hpp.
#include "engine/live/live_setup.hpp"

#include "engine/dsp/chain_parser.hpp"
#include "engine/util/monotonic_clock.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <thread>

namespace rc {

namespace {
/// Returns: how a report names the JACK frame counter as the clock gaps are measured with.
std::string jack_clock_description(std::uint32_t period) {
  return "JACK frame counter, exact in whole periods of " + std::to_string(period) + " frames";
}
} // namespace

double default_latency(const DeviceInfo& device, double low_default, StreamUse use) {
  if (!device.alsa_host) return low_default;
  switch (use) {
  case StreamUse::record:
    return std::max(low_default, alsa_record_buffer_s);
  case StreamUse::monitor:
    return std::max(low_default, alsa_monitor_buffer_s);
  case StreamUse::measure:
    break;
  }
  return low_default;
}

InputSetup resolve_input(const std::string& spec, int rate, double latency,
                         const std::optional<ChannelMap>& channels, StreamUse use) {
  std::string error;
  const std::optional<DeviceInfo> device = find_device(spec, DeviceDirection::input, error);
  if (!device) throw std::runtime_error(error);

  // Without a choice: the first two channels, or the one of a mono device.
  InputSetup setup{*device,
                   {},
                   channels.value_or(ChannelMap::first(
                       std::min(default_live_channels, std::max(1, device->max_input_channels)))),
                   0,
                   {}};
  setup.rate = rate > 0 ? rate : static_cast<int>(device->default_sample_rate);
  const int device_channels = setup.map.channels_needed();
  if (device_channels > device->max_input_channels)
    throw std::runtime_error(
        "the device '" + device->name + "' has " + std::to_string(device->max_input_channels) +
        " input channel(s); cannot record channel " + std::to_string(device_channels));
  setup.parameters.device = device->index;
  setup.parameters.channelCount = device_channels;
  setup.parameters.sampleFormat = paFloat32;
  setup.parameters.suggestedLatency =
      latency > 0 ? latency : default_latency(*device, device->default_low_input_latency, use);
  return setup;
}

InputSetup jack_port_input(JackInputStream& jack, const std::vector<std::string>& patterns,
                           int rate, int period) {
  if (rate > 0 && rate != jack.rate())
    throw std::runtime_error("the JACK server runs at " + std::to_string(jack.rate()) +
                             " Hz: with --port, leave -r out or give " +
                             std::to_string(jack.rate()));
  if (period > 0 && static_cast<std::uint32_t>(period) != jack.period())
    throw std::runtime_error("the JACK server's period is " + std::to_string(jack.period()) +
                             " frames: with --port, leave --period out or give " +
                             std::to_string(jack.period()));
  const std::vector<std::string> sources = jack.find_sources(patterns);
  if (sources.size() > static_cast<std::size_t>(max_channels))
    throw std::runtime_error(std::to_string(sources.size()) + " JACK ports match; at most " +
                             std::to_string(max_channels) + " channels can be recorded");
  const int channels = static_cast<int>(sources.size());
  InputSetup setup;
  setup.device.name = "JACK ports";
  setup.device.host_api = "JACK, ringcorder's own client";
  setup.device.max_input_channels = channels;
  setup.device.default_sample_rate = jack.rate();
  setup.parameters = {};
  setup.parameters.channelCount = channels;
  setup.parameters.sampleFormat = paFloat32;
  setup.map = ChannelMap::first(channels);
  setup.rate = jack.rate();
  setup.ports = sources;
  return setup;
}

OutputSetup resolve_output(const std::string& spec, const std::string& fallback, double latency,
                           StreamUse use, int channels) {
  std::string error;
  const std::optional<DeviceInfo> device =
      find_device(spec.empty() ? fallback : spec, DeviceDirection::output, error);
  if (!device) throw std::runtime_error(error);
  OutputSetup setup{*device, {}};
  setup.parameters.device = device->index;
  // As many outputs as channels, at least two (a mono run plays on both sides).
  setup.parameters.channelCount = std::min(std::max(2, channels), device->max_output_channels);
  setup.parameters.sampleFormat = paFloat32;
  setup.parameters.suggestedLatency =
      latency > 0 ? latency : default_latency(*device, device->default_low_output_latency, use);
  return setup;
}

void check_duplex(const InputSetup& in, const OutputSetup& out, int rate) {
  if (Pa_IsFormatSupported(&in.parameters, &out.parameters, rate) != paFormatIsSupported)
    throw std::runtime_error(
        describe_unsupported(in.device, rate, in.parameters.channelCount, "run duplex with") +
        " and '" + out.device.name + "'");
}

std::string describe_unsupported(const DeviceInfo& device, int rate, int channels,
                                 const char* what) {
  return "the device '" + device.name + "' cannot " + what + " " + std::to_string(channels) +
         " channel(s) at " + std::to_string(rate) + " Hz (its default rate is " +
         std::to_string(static_cast<int>(device.default_sample_rate)) + " Hz)";
}

DeviceClock open_device_clock(const InputSetup& in) {
  DeviceClock clock;
  clock.rate = in.rate;
  if (in.device.host_api.find("JACK") != std::string::npos) {
    try {
      clock.jack = std::make_unique<JackFrameClock>("ringcorder-clock");
    } catch (const std::runtime_error&) {
      return clock; // PortAudio's JACK time is interpolated: no gaps rather than invented ones
    }
    clock.rule = DeviceClockRule::jack(clock.jack->period());
    clock.description = jack_clock_description(clock.jack->period());
    return clock;
  }
  clock.rule = DeviceClockRule::timestamps(in.rate);
  clock.description = in.device.host_api + " time stamps, from " +
                      std::to_string(clock.rule->threshold_frames) + " frames, to the frame";
  return clock;
}

DeviceClock jack_port_clock(const JackInputStream& jack) {
  DeviceClock clock;
  clock.rate = jack.rate();
  clock.rule = DeviceClockRule::jack(jack.period());
  clock.description = jack_clock_description(jack.period());
  return clock;
}

std::chrono::microseconds poll_interval_for(int rate, int period, int divisor,
                                            std::chrono::microseconds floor) {
  const double period_us = 1e6 * (period > 0 ? period : 256) / rate;
  return std::chrono::microseconds(std::clamp<long>(static_cast<long>(period_us / divisor),
                                                    static_cast<long>(floor.count()), 10000));
}

EffectChain live_chain(const std::vector<std::string>& effects, int record_bits, bool dither,
                       int rate, std::size_t max_block, int channels) {
  EffectChain chain = parse_effect_chain(effects);
  if (const Effect* e = chain.first_offline_only())
    throw std::invalid_argument(e->description() +
                                ": works on files only (use ringcorder process)");
  if (record_bits > 0 && record_bits <= 16 && dither) chain.add_automatic_dither(record_bits);
  // The recording is the output: a dither without BITS takes its depth (none: float, no effect).
  chain.set_output_bits(record_bits);
  const AudioFormat out = chain.configure({channels, double(rate), max_block});
  if (out.channels != channels)
    throw std::invalid_argument("the effects make " + std::to_string(out.channels) +
                                " channel(s); a live stream keeps its " + std::to_string(channels));
  return chain;
}

BlockProcessor chain_processor(EffectChain& chain) {
  return [&chain](Frames block) {
    const AudioBlock out = chain.process(block);
    if (out.data != block.data) std::memcpy(block.data, out.data, out.samples() * sizeof(float));
  };
}

RigOptions input_rig_options(const InputSetup& in, const DeviceClock& clock, int period,
                             std::size_t ring_frames, double duration) {
  RigOptions o;
  o.ring_frames = ring_frames;
  o.frame_limit = frame_limit_for(duration, in.rate);
  o.rate = in.rate;
  o.period = period;
  o.device_channels = in.parameters.channelCount;
  o.map = in.map;
  o.clock_rule = clock.rule;
  o.underflow = input_underflow_for(period);
  return o;
}

std::uint64_t frame_limit_for(double duration, int rate) {
  return duration > 0 ? static_cast<std::uint64_t>(std::llround(duration * rate))
                      : std::numeric_limits<std::uint64_t>::max();
}

std::unique_ptr<TapPublisher> open_tap(const std::string& name, int rate,
                                       const TapGeometry& geometry, int channels) {
  if (name.empty()) return nullptr;
  return std::make_unique<TapPublisher>(name, rate, geometry, channels);
}

std::optional<TapSummary> tap_summary(const TapPublisher* tap) {
  if (!tap) return std::nullopt;
  return TapSummary{tap->name(), tap->blocks_published(), tap->geometry().slots,
                    tap->geometry().slot_frames};
}

void describe_input(CaptureReport& report, const InputSetup& in, const DeviceClock& clock) {
  report.device = in.device.name;
  report.host_api = in.device.host_api;
  report.channel_map.clear();
  for (int c = 0; c < in.map.count; ++c)
    report.channel_map.push_back(in.map.source[static_cast<std::size_t>(c)] + 1);
  report.ports = in.ports;
  report.device_clock = clock.description;
}

} // namespace rc
