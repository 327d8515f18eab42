// engine/device/portaudio_library.cpp - PortAudio (with its JACK and ALSA hosts' extensions) and
// ALSA's client library, loaded when a run first opens a device, not at start-up
// (engine/util/shared_library.hpp). The functions the engine calls, as portaudio.h, pa_jack.h,
// pa_linux_alsa.h and alsa/error.h declare them.
#include "engine/util/shared_library.hpp"

#include <alsa/asoundlib.h>
#include <pa_jack.h>
#include <pa_linux_alsa.h>
#include <portaudio.h>

// X(t, ret, name, params, args) (t: the table, RC_SHARED_LIBRARY) for each PortAudio function the
// engine calls.
#define RC_PORTAUDIO_FUNCTIONS(X, t)                                                               \
  X(t, PaError, Pa_Initialize, (void), ())                                                         \
  X(t, PaError, Pa_Terminate, (void), ())                                                          \
  X(t, const char*, Pa_GetErrorText, (PaError error), (error))                                     \
  X(t, PaDeviceIndex, Pa_GetDeviceCount, (void), ())                                               \
  X(t, PaDeviceIndex, Pa_GetDefaultInputDevice, (void), ())                                        \
  X(t, PaDeviceIndex, Pa_GetDefaultOutputDevice, (void), ())                                       \
  X(t, const PaDeviceInfo*, Pa_GetDeviceInfo, (PaDeviceIndex device), (device))                    \
  X(t, const PaHostApiInfo*, Pa_GetHostApiInfo, (PaHostApiIndex api), (api))                       \
  X(t, PaError, Pa_GetSampleSize, (PaSampleFormat format), (format))                               \
  X(t, PaError, Pa_IsFormatSupported,                                                              \
    (const PaStreamParameters* input, const PaStreamParameters* output, double rate),              \
    (input, output, rate))                                                                         \
  X(t, PaError, Pa_OpenStream,                                                                     \
    (PaStream * *stream, const PaStreamParameters* input, const PaStreamParameters* output,        \
     double rate, unsigned long frames, PaStreamFlags flags, PaStreamCallback* callback,           \
     void* user),                                                                                  \
    (stream, input, output, rate, frames, flags, callback, user))                                  \
  X(t, PaError, Pa_StartStream, (PaStream * stream), (stream))                                     \
  X(t, PaError, Pa_StopStream, (PaStream * stream), (stream))                                      \
  X(t, PaError, Pa_CloseStream, (PaStream * stream), (stream))                                     \
  X(t, PaError, Pa_IsStreamActive, (PaStream * stream), (stream))                                  \
  X(t, const PaStreamInfo*, Pa_GetStreamInfo, (PaStream * stream), (stream))                       \
  X(t, PaError, PaJack_SetClientName, (const char* name), (name))                                  \
  X(t, PaError, PaJack_GetClientName, (const char** name), (name))                                 \
  X(t, void, PaAlsa_EnableRealtimeScheduling, (PaStream * stream, int enable), (stream, enable))

// ... and each ALSA function.
#define RC_ALSA_FUNCTIONS(X, t)                                                                    \
  X(t, int, snd_lib_error_set_handler, (snd_lib_error_handler_t handler), (handler))

RC_SHARED_LIBRARY(portaudio_table, "libportaudio.so.2", "PortAudio", RC_PORTAUDIO_FUNCTIONS)
RC_SHARED_LIBRARY(alsa_table, "libasound.so.2", "ALSA's library", RC_ALSA_FUNCTIONS)
