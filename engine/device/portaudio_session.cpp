// engine/device/portaudio_session.cpp - see portaudio_session.hpp.
#include "engine/device/portaudio_session.hpp"

#include "engine/device/jack_input_stream.hpp"
#include "engine/device/jack_library.hpp"
#include "engine/device/stderr_filter.hpp"

#include <alsa/asoundlib.h>
#include <dlfcn.h>
#include <jack/jack.h>
#include <pa_jack.h>
#include <portaudio.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace rc {

namespace {
// ALSA's handler is variadic and C-linkage; it must accept and ignore everything.
extern "C" void ignore_alsa_error(const char*, int, const char*, int, const char*, ...) {}

std::atomic<bool> wedged{false};

/// The JACK client jack_port_unregister below deactivated (PortAudio's; null: none).
std::atomic<jack_client_t*> deactivated_client{nullptr};

/// Returns: libjack's own definition of `name` (ours take its place for every caller).
template <typename Fn> Fn libjack(const char* name) { return jack_library().function<Fn>(name); }

/// Returns: whether `client` is PortAudio's JACK client (the wrappers below leave any other
/// alone: the frame clock's, and capture --port's, which deactivates itself before closing).
bool portaudio_client(jack_client_t* client) noexcept {
  const char* name = nullptr;
  return client != nullptr && PaJack_GetClientName(&name) == paNoError && name != nullptr &&
         std::strcmp(jack_get_client_name(client), name) == 0;
}
} // namespace
} // namespace rc

// PortAudio's JACK host and libjack race at the end of every stream, and the loser is a SIGSEGV
// (the rare end-of-run crash of `latency`; bench/latency_segv_repro.sh reproduces it). libjack
// 1.9.21 (unfixed upstream: jackaudio/jack2 issues #216 and #340) keeps a client's ports in a
// std::list: jack_port_unregister erases from it on the calling thread, while the client's
// notification thread walks the same list, unlocked, for every latency notification, which the
// server sends to each *active* client one cycle after any change of the graph. Pa_CloseStream
// disconnects the stream's ports (graph changes) and then unregisters them one by one (each one a
// graph change too) while PortAudio's client is still active, so a walk can stand on a node just
// freed and follow its next pointer, which glibc has already overwritten: SIGSEGV in
// JackClient::HandleLatencyCallback on libjack's notification thread.
//
// So ringcorder defines the two libjack calls PortAudio makes to add and remove ports (the
// program's own definitions win over the shared library's for PortAudio's calls too: the
// executable exports them, engine/CMakeLists.txt, and comes first in the lookup of every library
// loaded later, engine/util/shared_library.hpp) and forwards
// them to libjack, first deactivating the client before its first port is unregistered. A
// deactivated client ignores latency notifications, and jack_deactivate returns only once the
// server has handled it: the server sends notifications and handles requests under one engine
// lock, waiting for each client's answer, so a walk already under way has ended by then. Nothing
// in PortAudio needs the process callback between its stream's removal (done before its ports go)
// and Pa_Terminate, whose own jack_deactivate then has nothing to do; a stream opened afterwards
// registers ports first, and that reactivates the client before PortAudio waits for its callback.
extern "C" int jack_port_unregister(jack_client_t* client, jack_port_t* port) {
  static const auto real =
      rc::libjack<int (*)(jack_client_t*, jack_port_t*)>("jack_port_unregister");
  if (rc::deactivated_client.load() != client && rc::portaudio_client(client)) {
    jack_deactivate(client); // the client is inactive afterwards even if the server is gone
    rc::deactivated_client.store(client);
  }
  return real(client, port);
}

extern "C" jack_port_t* jack_port_register(jack_client_t* client, const char* port_name,
                                           const char* port_type, unsigned long flags,
                                           unsigned long buffer_size) {
  static const auto real =
      rc::libjack<jack_port_t* (*)(jack_client_t*, const char*, const char*, unsigned long,
                                   unsigned long)>("jack_port_register");
  jack_client_t* expected = client;
  if (client != nullptr && rc::deactivated_client.compare_exchange_strong(expected, nullptr))
    jack_activate(client);
  return real(client, port_name, port_type, flags, buffer_size);
}

namespace rc {

void mark_portaudio_wedged() noexcept { wedged.store(true); }

bool portaudio_wedged() noexcept { return wedged.load(); }

PortAudioSession::PortAudioSession(const std::string& jack_client_name, const ShmNeed& also) {
  require_free_bytes("/dev/shm", libjack_shm_bytes + also.bytes,
                     "PortAudio's JACK host (libjack's registry)" +
                         (also.bytes > 0 ? " and " + also.what : std::string()));
#if defined(__SANITIZE_ADDRESS__)
  // PortAudio's ALSA host opens ALSA's `pipewire` and `default` devices, whose plugin
  // (pipewire-alsa) starts libpipewire and never frees what that keeps in its globals; the
  // plugin, and libpipewire with it, is unloaded again, and LeakSanitizer then reports that
  // memory as leaked from an unknown module (seen in every test once pipewire-alsa was
  // installed). Holding libpipewire loaded keeps it reachable, as it is in a normal process.
  // libdbus likewise: where the process may not take real-time priority itself (no
  // CAP_SYS_NICE), libpipewire asks RTKit over D-Bus, and libdbus keeps what it allocated.
  // Sanitizer builds only; nothing happens where a library is not installed.
  (void)dlopen("libpipewire-0.3.so.0", RTLD_NOW | RTLD_NODELETE);
  (void)dlopen("libdbus-1.so.3", RTLD_NOW | RTLD_NODELETE);
#endif
  snd_lib_error_set_handler(&ignore_alsa_error);
  filter_portaudio_stderr();
  quiet_libjack();
  // PortAudio keeps the pointer; the string lives in static storage for the process.
  static std::string client_name;
  client_name = jack_client_name;
  PaJack_SetClientName(client_name.c_str());
  if (const PaError err = Pa_Initialize(); err != paNoError)
    throw std::runtime_error(std::string("cannot start PortAudio: ") + Pa_GetErrorText(err));
}

PortAudioSession::~PortAudioSession() {
  if (!portaudio_wedged()) Pa_Terminate();
  deactivated_client.store(nullptr); // closed: a later client may get the same address
}

} // namespace rc
