// engine/device/jack_port_latency.hpp - the latency JACK's graph claims for PortAudio's stream
// ports, read once the stream's connections exist (PortAudio reads it at open, before them).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// The latency ranges' maxima of one client's stream ports, as jack_iodelay reads its own: for
/// each input port `<client>:in_<n>` its capture latency (JackCaptureLatency: from where the
/// signal entered the graph to this port), for each output port `<client>:out_<n>` its playback
/// latency (JackPlaybackLatency: from this port to where the signal leaves the graph). Ports in
/// the order of their numbers (PortAudio numbers them on at every open: in_1, out_2, ...).
struct JackPortClaims {
  std::vector<std::uint32_t> capture_frames;  ///< One per input port.
  std::vector<std::uint32_t> playback_frames; ///< One per output port.
};

/// A port-less JACK client, opened beside PortAudio's (as JackFrameClock), whose only use is
/// reading the latencies the graph claims for another client's ports.
///
/// Construction, destruction and read(): main thread (or any one non-audio thread), never the
/// audio callback: read() allocates and walks the server's port list.
class JackPortLatency {
public:
  /// Effects: connects to the JACK server libjack would use (JACK_DEFAULT_SERVER), never
  /// starting one. `client_name`: a name of our own (JACK makes it unique).
  /// Throws: std::runtime_error if no server answers.
  explicit JackPortLatency(const std::string& client_name);
  ~JackPortLatency();
  JackPortLatency(const JackPortLatency&) = delete;
  JackPortLatency& operator=(const JackPortLatency&) = delete;

  /// Effects: none (reads the graph's shared state). Returns: the claims of `owner`'s ports
  /// `owner:in_<n>` and `owner:out_<n>` as they stand now: the server's latest computation, so
  /// call it after the connections that matter were made and the graph had a cycle to
  /// recompute. Nothing when `owner` has neither. Not real-time safe (allocates).
  [[nodiscard]] std::optional<JackPortClaims> read(const std::string& owner) const;

private:
  void* client_ = nullptr; ///< jack_client_t*, kept opaque so callers need no JACK header.
};

/// Main thread, inside a PortAudioSession. Returns: the name of PortAudio's JACK client (the name
/// asked, or the one JACK made unique from it), or "" when PortAudio's JACK host has none.
[[nodiscard]] std::string portaudio_jack_client_name();

} // namespace rc
