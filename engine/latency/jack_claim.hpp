// engine/latency/jack_claim.hpp - what the host claims of a round trip on JACK: the graph's
// latencies of our ports plus PortAudio's own buffering.
#pragma once

#include "engine/device/jack_port_latency.hpp"

#include <optional>

namespace rc {

/// The host's claim of a JACK round trip, in frames, and where each part comes from.
///
/// Measured on the dummy server (synchronous, period 128, 48 kHz) through a graph loopback
/// (our output port connected straight to our input port): 128 frames with the host's period,
/// 192 at -p 64, 256 at -p 128. One server period is JACK's feedback cycle (what our output
/// port carries in one cycle reaches our input port in the next; jack_iodelay measures the same
/// 128 frames), claimed by no port; the rest is PortAudio's output buffering, one asked period
/// (none at the host's), which PortAudio's stream info reports as its output latency at open
/// (its ports are not connected yet, so it holds that buffering alone; its input latency is 0).
struct JackClaim {
  double capture_frames = 0;  ///< JACK: the capture latency of the input port of our channel.
  double playback_frames = 0; ///< JACK: the largest playback latency of our output ports.
  double portaudio_input_frames = 0;  ///< PortAudio's own input buffering.
  double portaudio_output_frames = 0; ///< PortAudio's own output buffering.

  /// Returns: the claimed input latency (capture + PortAudio's input buffering).
  [[nodiscard]] double input_frames() const noexcept {
    return capture_frames + portaudio_input_frames;
  }
  /// Returns: the claimed output latency (playback + PortAudio's output buffering).
  [[nodiscard]] double output_frames() const noexcept {
    return playback_frames + portaudio_output_frames;
  }
  /// Returns: the whole claim, input + output.
  [[nodiscard]] double total_frames() const noexcept { return input_frames() + output_frames(); }
};

/// Returns: the claim from the graph's `ports` (JackPortLatency::read()) for the input port of
/// device channel `input_channel` (0-based, in the order of the ports' numbers) and the largest
/// playback latency of the output ports (every output channel carries the signal), plus
/// PortAudio's buffering in frames. Nothing when that input port or every output port is
/// missing, or a latency is none at all: 10 s (10 * rate frames) or more (a port whose client
/// set no range can read as 2^32 - 1). Pure; any thread.
[[nodiscard]] std::optional<JackClaim> jack_claim(const JackPortClaims& ports, int input_channel,
                                                  double portaudio_input_frames,
                                                  double portaudio_output_frames, int rate);

} // namespace rc
