// engine/device/device_list.hpp - what audio devices exist, and picking one by index or name.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace rc {

/// One PortAudio device as the user sees it.
struct DeviceInfo {
  int index = -1;                         ///< PortAudio device index (what --device N takes).
  std::string name;                       ///< Device name.
  std::string host_api;                   ///< e.g. "ALSA", "JACK Audio Connection Kit".
  bool alsa_host = false;                 ///< Through PortAudio's ALSA host (is_alsa_host()).
  int max_input_channels = 0;             ///< Input channels.
  int max_output_channels = 0;            ///< Output channels.
  double default_sample_rate = 0;         ///< Hz.
  double default_low_input_latency = 0;   ///< Seconds.
  double default_high_input_latency = 0;  ///< Seconds.
  double default_low_output_latency = 0;  ///< Seconds.
  double default_high_output_latency = 0; ///< Seconds.
  bool is_default_input = false;          ///< PortAudio's default input device.
  bool is_default_output = false;         ///< PortAudio's default output device.
};

/// Main thread, inside a PortAudioSession. Returns: every device PortAudio knows.
std::vector<DeviceInfo> list_devices();

/// Returns: whether PortAudio device `index` belongs to PortAudio's ALSA host API (the one
/// place that asks: ALSA devices get larger default buffers, and their streams a stderr filter).
/// Preconditions: PortAudio initialized.
bool is_alsa_host(int index);

/// What a device is wanted for: it must have channels in that direction.
enum class DeviceDirection { input, output };

/// Main thread, inside a PortAudioSession. Effects: finds the device `spec` names: a number is an
/// index; anything else a case-insensitive substring of the name (an exact name wins). An empty
/// spec means the default device for that direction (or, if there is none, the first device
/// that has channels in that direction).
/// Returns: the device, or nullopt with `error` saying why and listing the usable devices.
std::optional<DeviceInfo> find_device(const std::string& spec, DeviceDirection direction,
                                      std::string& error);

} // namespace rc
