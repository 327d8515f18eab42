// engine/device/portaudio_library.cpp - PortAudio (with its JACK and ALSA hosts' extensions) and
// ALSA's client library, loaded when a run first opens a device, not at start-up
// (engine/util/shared_library.hpp). The functions the engine calls, as portaudio.h, pa_jack.h,
// pa_linux_alsa.h and alsa/error.h declare them.
#include "engine/util/shared_library.hpp"

#include <alsa/asoundlib.h>
#include <pa_jack.h>
#include <pa_linux_alsa.h>
#include <portaudio.h>

// X(ret, name, params, args) for each PortAudio function the engine calls.
#define RC_PORTAUDIO_FUNCTIONS(X)                                                                  \
  X(PaError, Pa_Initialize, (void), ())                                                            \
  X(PaError, Pa_Terminate, (void), ())                                                             \
  X(const char*, Pa_GetErrorText, (PaError error), (error))                                        \
  X(PaDeviceIndex, Pa_GetDeviceCount, (void), ())                                                  \
  X(PaDeviceIndex, Pa_GetDefaultInputDevice, (void), ())                                           \
  X(PaDeviceIndex, Pa_GetDefaultOutputDevice, (void), ())                                          \
  X(const PaDeviceInfo*, Pa_GetDeviceInfo, (PaDeviceIndex device), (device))                       \
  X(const PaHostApiInfo*, Pa_GetHostApiInfo, (PaHostApiIndex api), (api))                          \
  X(PaError, Pa_GetSampleSize, (PaSampleFormat format), (format))                                  \
  X(PaError, Pa_IsFormatSupported,                                                                 \
    (const PaStreamParameters* input, const PaStreamParameters* output, double rate),              \
    (input, output, rate))                                                                         \
  X(PaError, Pa_OpenStream,                                                                        \
    (PaStream * *stream, const PaStreamParameters* input, const PaStreamParameters* output,        \
     double rate, unsigned long frames, PaStreamFlags flags, PaStreamCallback* callback,           \
     void* user),                                                                                  \
    (stream, input, output, rate, frames, flags, callback, user))                                  \
  X(PaError, Pa_StartStream, (PaStream * stream), (stream))                                        \
  X(PaError, Pa_StopStream, (PaStream * stream), (stream))                                         \
  X(PaError, Pa_CloseStream, (PaStream * stream), (stream))                                        \
  X(PaError, Pa_IsStreamActive, (PaStream * stream), (stream))                                     \
  X(const PaStreamInfo*, Pa_GetStreamInfo, (PaStream * stream), (stream))                          \
  X(PaError, PaJack_SetClientName, (const char* name), (name))                                     \
  X(PaError, PaJack_GetClientName, (const char** name), (name))                                    \
  X(void, PaAlsa_EnableRealtimeScheduling, (PaStream * stream, int enable), (stream, enable))

// ... and each ALSA function.
#define RC_ALSA_FUNCTIONS(X)                                                                       \
  X(int, snd_lib_error_set_handler, (snd_lib_error_handler_t handler), (handler))

namespace {
struct PortAudio {
  rc::SharedLibrary library{"libportaudio.so.2", "PortAudio"};
  RC_PORTAUDIO_FUNCTIONS(RC_LIBRARY_MEMBER)
};
const PortAudio& portaudio_table() {
  static const PortAudio table;
  return table;
}

struct Alsa {
  rc::SharedLibrary library{"libasound.so.2", "ALSA's library"};
  RC_ALSA_FUNCTIONS(RC_LIBRARY_MEMBER)
};
const Alsa& alsa_table() {
  static const Alsa table;
  return table;
}
} // namespace

#define RC_PORTAUDIO_FORWARD(ret, name, params, args)                                              \
  RC_LIBRARY_FORWARD(portaudio_table, ret, name, params, args)
RC_PORTAUDIO_FUNCTIONS(RC_PORTAUDIO_FORWARD)
#define RC_ALSA_FORWARD(ret, name, params, args)                                                   \
  RC_LIBRARY_FORWARD(alsa_table, ret, name, params, args)
RC_ALSA_FUNCTIONS(RC_ALSA_FORWARD)
