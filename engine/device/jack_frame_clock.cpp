// engine/device/jack_frame_clock.cpp - see jack_frame_clock.hpp.
#include "engine/device/jack_frame_clock.hpp"

#include "engine/device/portaudio_session.hpp"

#include <jack/jack.h>

#include <stdexcept>

namespace rc {

namespace {
jack_client_t* as_client(void* p) noexcept { return static_cast<jack_client_t*>(p); }
} // namespace

JackFrameClock::JackFrameClock(const std::string& client_name) {
  jack_status_t status{};
  jack_client_t* client = jack_client_open(client_name.c_str(), JackNoStartServer, &status);
  if (client == nullptr)
    throw std::runtime_error("cannot read the JACK server's frame clock (no server answered)");
  client_ = client;
  period_ = jack_get_buffer_size(client);
}

JackFrameClock::~JackFrameClock() {
  // With the server gone (device loss), closing asks a dead server and may wait for it, as
  // PortAudio's own stream did: leave the client to the process's end then.
  if (client_ != nullptr && !portaudio_wedged()) jack_client_close(as_client(client_));
}

std::uint32_t JackFrameClock::cycle_frame() const noexcept {
  return jack_last_frame_time(as_client(client_));
}

} // namespace rc
