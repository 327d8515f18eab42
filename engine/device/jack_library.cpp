// engine/device/jack_library.cpp - libjack, loaded when a run first talks to JACK, not at
// start-up (engine/util/shared_library.hpp). The functions the engine calls, as jack/jack.h
// declares them. jack_port_register and jack_port_unregister are not here: ringcorder defines
// them in libjack's place for PortAudio too (portaudio_session.cpp).
#include "engine/device/jack_library.hpp"

#include <jack/jack.h>

#include <cstdarg>
#include <initializer_list>

// X(t, ret, name, params, args) (t: the table, RC_SHARED_LIBRARY) for each function the engine
// calls but jack_client_open (variadic, below).
#define RC_JACK_FUNCTIONS(X, t)                                                                    \
  X(t, int, jack_activate, (jack_client_t * client), (client))                                     \
  X(t, int, jack_deactivate, (jack_client_t * client), (client))                                   \
  X(t, int, jack_client_close, (jack_client_t * client), (client))                                 \
  X(t, char*, jack_get_client_name, (jack_client_t * client), (client))                            \
  X(t, int, jack_connect, (jack_client_t * client, const char* source, const char* destination),   \
    (client, source, destination))                                                                 \
  X(t, jack_nframes_t, jack_frame_time, (const jack_client_t* client), (client))                   \
  X(t, jack_nframes_t, jack_last_frame_time, (const jack_client_t* client), (client))              \
  X(t, jack_nframes_t, jack_get_buffer_size, (jack_client_t * client), (client))                   \
  X(t, jack_nframes_t, jack_get_sample_rate, (jack_client_t * client), (client))                   \
  X(t, void, jack_free, (void* pointer), (pointer))                                                \
  X(t, const char**, jack_get_ports,                                                               \
    (jack_client_t * client, const char* name_pattern, const char* type_pattern,                   \
     unsigned long flags),                                                                         \
    (client, name_pattern, type_pattern, flags))                                                   \
  X(t, void, jack_on_shutdown, (jack_client_t * client, JackShutdownCallback callback, void* arg), \
    (client, callback, arg))                                                                       \
  X(t, jack_port_t*, jack_port_by_name, (jack_client_t * client, const char* name),                \
    (client, name))                                                                                \
  X(t, int, jack_port_connected, (const jack_port_t* port), (port))                                \
  X(t, void*, jack_port_get_buffer, (jack_port_t * port, jack_nframes_t frames), (port, frames))   \
  X(t, void, jack_port_get_latency_range,                                                          \
    (jack_port_t * port, jack_latency_callback_mode_t mode, jack_latency_range_t * range),         \
    (port, mode, range))                                                                           \
  X(t, const char*, jack_port_name, (const jack_port_t* port), (port))                             \
  X(t, void, jack_set_error_function, (void (*function)(const char*)), (function))                 \
  X(t, void, jack_set_info_function, (void (*function)(const char*)), (function))                  \
  X(t, int, jack_set_process_callback,                                                             \
    (jack_client_t * client, JackProcessCallback callback, void* arg), (client, callback, arg))    \
  X(t, int, jack_set_xrun_callback,                                                                \
    (jack_client_t * client, JackXRunCallback callback, void* arg), (client, callback, arg))

RC_SHARED_LIBRARY(jack_table, "libjack.so.0", "JACK's client library", RC_JACK_FUNCTIONS)

namespace rc {
const SharedLibrary& jack_library() { return jack_table().library; }
} // namespace rc

// The one variadic call. libjack reads one string argument for each of these options that is
// set, in this order (jack/types.h): all are passed on, in the caller's order.
extern "C" jack_client_t* jack_client_open(const char* client_name, jack_options_t options,
                                           jack_status_t* status, ...) {
  const char* strings[4] = {nullptr, nullptr, nullptr, nullptr};
  std::va_list rest;
  va_start(rest, status);
  int count = 0;
  for (const int option : {JackServerName, JackLoadName, JackLoadInit, JackSessionID})
    if ((options & option) != 0) strings[count++] = va_arg(rest, const char*);
  va_end(rest);
  static const auto open = rc::jack_library().function<decltype(&::jack_client_open)>(
      "jack_client_open"); // on the caller's thread: a JACK client is opened before it runs
  return open(client_name, options, status, strings[0], strings[1], strings[2], strings[3]);
}
