// engine/latency/jack_claim.cpp - see jack_claim.hpp.
#include "engine/latency/jack_claim.hpp"

#include <algorithm>

namespace rc {

std::optional<JackClaim> jack_claim(const JackPortClaims& ports, int input_channel,
                                    double portaudio_input_frames, double portaudio_output_frames,
                                    int rate) {
  if (input_channel < 0 || static_cast<std::size_t>(input_channel) >= ports.capture_frames.size() ||
      ports.playback_frames.empty() || rate <= 0)
    return std::nullopt;
  const double limit = 10.0 * rate;
  JackClaim claim;
  claim.capture_frames = ports.capture_frames[static_cast<std::size_t>(input_channel)];
  claim.playback_frames =
      *std::max_element(ports.playback_frames.begin(), ports.playback_frames.end());
  if (claim.capture_frames >= limit || claim.playback_frames >= limit) return std::nullopt;
  claim.portaudio_input_frames = portaudio_input_frames;
  claim.portaudio_output_frames = portaudio_output_frames;
  return claim;
}

} // namespace rc
