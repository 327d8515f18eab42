// engine/device/jack_port_latency.cpp - see jack_port_latency.hpp.
#include "engine/device/jack_port_latency.hpp"

#include "engine/device/portaudio_session.hpp"

#include <jack/jack.h>
#include <pa_jack.h>
#include <portaudio.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace rc {

namespace {
jack_client_t* as_client(void* p) noexcept { return static_cast<jack_client_t*>(p); }

/// Returns: `text` with every character a POSIX extended regular expression treats specially
/// escaped (jack_get_ports() takes one; a client name may hold dots or brackets).
std::string regex_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (std::string_view("\\^$.|?*+()[]{}").find(c) != std::string_view::npos) out += '\\';
    out += c;
  }
  return out;
}

/// Returns: the maxima of `mode`'s latency range of `owner`'s ports named `owner:<stem><n>`
/// (`flags`: JackPortIsInput or JackPortIsOutput), in the order of n.
std::vector<std::uint32_t> claims_of(jack_client_t* client, const std::string& owner,
                                     const char* stem, unsigned long flags,
                                     jack_latency_callback_mode_t mode) {
  const std::string prefix = owner + ":" + stem;
  const std::string pattern = "^" + regex_escaped(prefix) + "[0-9]+$";
  const char** names = jack_get_ports(client, pattern.c_str(), JACK_DEFAULT_AUDIO_TYPE, flags);
  std::vector<std::pair<unsigned long, std::uint32_t>> found; // (n, frames)
  for (const char** name = names; name && *name; ++name) {
    jack_port_t* port = jack_port_by_name(client, *name);
    if (port == nullptr) continue; // gone since the listing
    jack_latency_range_t range{};
    jack_port_get_latency_range(port, mode, &range);
    const std::uint32_t max = range.max; // a packed field: copied, not bound
    found.emplace_back(std::strtoul(*name + prefix.size(), nullptr, 10), max);
  }
  jack_free(names);
  std::sort(found.begin(), found.end());
  std::vector<std::uint32_t> frames;
  for (const auto& [n, max] : found) frames.push_back(max);
  return frames;
}
} // namespace

JackPortLatency::JackPortLatency(const std::string& client_name) {
  jack_status_t status{};
  jack_client_t* client = jack_client_open(client_name.c_str(), JackNoStartServer, &status);
  if (client == nullptr)
    throw std::runtime_error("cannot read JACK's port latencies (no server answered)");
  client_ = client;
}

JackPortLatency::~JackPortLatency() {
  // With the server gone (device loss), closing asks a dead server and may wait for it, as
  // PortAudio's own stream did: leave the client to the process's end then.
  if (client_ != nullptr && !portaudio_wedged()) jack_client_close(as_client(client_));
}

std::optional<JackPortClaims> JackPortLatency::read(const std::string& owner) const {
  JackPortClaims claims;
  claims.capture_frames =
      claims_of(as_client(client_), owner, "in_", JackPortIsInput, JackCaptureLatency);
  claims.playback_frames =
      claims_of(as_client(client_), owner, "out_", JackPortIsOutput, JackPlaybackLatency);
  if (claims.capture_frames.empty() && claims.playback_frames.empty()) return std::nullopt;
  return claims;
}

std::string portaudio_jack_client_name() {
  const char* name = nullptr;
  if (PaJack_GetClientName(&name) != paNoError || name == nullptr) return "";
  return name;
}

} // namespace rc
