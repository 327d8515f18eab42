// engine/device/portaudio_session.hpp - PortAudio initialised for the life of an object, quietly.
#pragma once

#include "engine/util/shm_space.hpp"

#include <string>

namespace rc {

/// RAII for Pa_Initialize/Pa_Terminate. Before initialising it silences ALSA's and libjack's
/// own stderr chatter (on a machine without a sound card ALSA alone prints dozens of lines) and
/// PortAudio's assertion lines (filter_portaudio_stderr: a vanished ALSA device prints three), sets
/// the JACK client name, and stops libjack from spawning a JACK server behind the user's back.
/// Main thread only; one at a time.
class PortAudioSession {
public:
  /// Effects: first checks that /dev/shm has room for PortAudio's JACK host and `also` (a tap's
  /// ring), since libjack writing to a full one dies of SIGBUS; then starts PortAudio.
  /// Throws: std::runtime_error, one line, if /dev/shm is too full or PortAudio cannot start.
  explicit PortAudioSession(const std::string& jack_client_name = "ringcorder",
                            const ShmNeed& also = {});
  ~PortAudioSession();
  PortAudioSession(const PortAudioSession&) = delete;
  PortAudioSession& operator=(const PortAudioSession&) = delete;
};

/// Any thread. Effects: from now on ~PortAudioSession leaves PortAudio alone (Pa_Terminate would
/// close the abandoned stream and hang or assert). Called by AudioStream::stop on a timeout.
void mark_portaudio_wedged() noexcept;

/// Any thread. Returns: whether a stream was abandoned in this process.
[[nodiscard]] bool portaudio_wedged() noexcept;

} // namespace rc
