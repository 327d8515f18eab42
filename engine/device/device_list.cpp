// engine/device/device_list.cpp - see device_list.hpp.
#include "engine/device/device_list.hpp"

#include "engine/util/text.hpp"

#include <portaudio.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace rc {

namespace {

int channels_for(const DeviceInfo& d, DeviceDirection direction) {
  return direction == DeviceDirection::input ? d.max_input_channels : d.max_output_channels;
}

std::string usable_list(const std::vector<DeviceInfo>& devices, DeviceDirection direction) {
  std::string out;
  for (const DeviceInfo& d : devices) {
    if (channels_for(d, direction) == 0) continue;
    // One line, like every error message: " 0: system (JACK ...); 2: USB (ALSA)".
    out += (out.empty() ? " " : "; ") + std::to_string(d.index) + ": " + d.name + " (" +
           d.host_api + ")";
  }
  return out.empty() ? std::string(" none") : out;
}

} // namespace

bool is_alsa_host(int index) {
  const PaDeviceInfo* device = Pa_GetDeviceInfo(index);
  const PaHostApiInfo* host = device ? Pa_GetHostApiInfo(device->hostApi) : nullptr;
  return host != nullptr && host->type == paALSA;
}

std::vector<DeviceInfo> list_devices() {
  std::vector<DeviceInfo> devices;
  const int count = Pa_GetDeviceCount();
  const PaDeviceIndex default_in = Pa_GetDefaultInputDevice();
  const PaDeviceIndex default_out = Pa_GetDefaultOutputDevice();
  for (int i = 0; i < count; ++i) {
    const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
    if (info == nullptr) continue;
    DeviceInfo d;
    d.index = i;
    d.name = info->name ? info->name : "";
    const PaHostApiInfo* api = Pa_GetHostApiInfo(info->hostApi);
    d.host_api = api && api->name ? api->name : "";
    d.alsa_host = is_alsa_host(i);
    d.max_input_channels = info->maxInputChannels;
    d.max_output_channels = info->maxOutputChannels;
    d.default_sample_rate = info->defaultSampleRate;
    d.default_low_input_latency = info->defaultLowInputLatency;
    d.default_high_input_latency = info->defaultHighInputLatency;
    d.default_low_output_latency = info->defaultLowOutputLatency;
    d.default_high_output_latency = info->defaultHighOutputLatency;
    d.is_default_input = i == default_in;
    d.is_default_output = i == default_out;
    devices.push_back(std::move(d));
  }
  return devices;
}

std::optional<DeviceInfo> find_device(const std::string& spec, DeviceDirection direction,
                                      std::string& error) {
  const std::vector<DeviceInfo> devices = list_devices();
  const char* what = direction == DeviceDirection::input ? "input" : "output";
  auto usable = [&](const DeviceInfo& d) { return channels_for(d, direction) > 0; };

  if (spec.empty()) {
    for (const DeviceInfo& d : devices)
      if (usable(d) &&
          (direction == DeviceDirection::input ? d.is_default_input : d.is_default_output))
        return d;
    for (const DeviceInfo& d : devices)
      if (usable(d)) return d;
    error =
        std::string("no audio ") + what + " device found (is a sound card or JACK server there?)";
    return std::nullopt;
  }

  int index = -1;
  const auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), index);
  if (ec == std::errc{} && end == spec.data() + spec.size()) {
    for (const DeviceInfo& d : devices) {
      if (d.index != index) continue;
      if (usable(d)) return d;
      error = "device " + spec + " (" + d.name + ") has no " + what + " channels; " + what +
              " devices:" + usable_list(devices, direction);
      return std::nullopt;
    }
  } else {
    const std::string needle = lowercase(spec);
    const DeviceInfo* found = nullptr;
    for (const DeviceInfo& d : devices) {
      if (!usable(d)) continue;
      const std::string name = lowercase(d.name);
      if (name == needle) return d;
      if (found == nullptr && name.find(needle) != std::string::npos) found = &d;
    }
    if (found != nullptr) return *found;
  }
  error = "no " + std::string(what) + " device matches '" + spec + "'; " + what +
          " devices:" + usable_list(devices, direction);
  return std::nullopt;
}

} // namespace rc
