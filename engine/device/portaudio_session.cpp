// engine/device/portaudio_session.cpp - see portaudio_session.hpp.
#include "engine/device/portaudio_session.hpp"

#include <alsa/asoundlib.h>
#include <jack/jack.h>
#include <pa_jack.h>
#include <portaudio.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

namespace rc {

namespace {
// ALSA's handler is variadic and C-linkage; it must accept and ignore everything.
extern "C" void ignore_alsa_error(const char*, int, const char*, int, const char*, ...) {}
extern "C" void ignore_jack_message(const char*) {}

std::atomic<bool> wedged{false};
} // namespace

void mark_portaudio_wedged() noexcept { wedged.store(true); }

bool portaudio_wedged() noexcept { return wedged.load(); }

PortAudioSession::PortAudioSession(const std::string& jack_client_name) {
  snd_lib_error_set_handler(&ignore_alsa_error);
  jack_set_error_function(&ignore_jack_message);
  jack_set_info_function(&ignore_jack_message);
  setenv("JACK_NO_START_SERVER", "1", /*overwrite=*/0);
  // PortAudio keeps the pointer; the string lives in static storage for the process.
  static std::string client_name;
  client_name = jack_client_name;
  PaJack_SetClientName(client_name.c_str());
  if (const PaError err = Pa_Initialize(); err != paNoError)
    throw std::runtime_error(std::string("cannot start PortAudio: ") + Pa_GetErrorText(err));
}

PortAudioSession::~PortAudioSession() {
  if (!portaudio_wedged()) Pa_Terminate();
}

} // namespace rc
