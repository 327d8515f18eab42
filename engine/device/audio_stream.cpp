// engine/device/audio_stream.cpp - see audio_stream.hpp.
#include "engine/device/audio_stream.hpp"

#include "engine/device/device_list.hpp"
#include "engine/device/portaudio_session.hpp"

#include <pa_linux_alsa.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cstring>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace rc {

/// Why: an abandoned stream (stop() timed out) may still be called by the host after the run has
/// destroyed the callback's data. The gate closes first, waits out a callback in flight, and
/// then answers every later call with silence. Audio thread: two atomic operations per call.
struct AudioStream::CallbackGate {
  PaStreamCallback* callback;
  void* user;
  std::size_t output_bytes_per_frame; ///< to write silence once closed (0: no output)
  std::atomic<bool> open{true};
  std::atomic<int> in_callback{0};

  static int call(const void* input, void* output, unsigned long frames,
                  const PaStreamCallbackTimeInfo* time, PaStreamCallbackFlags flags, void* self) {
    auto* gate = static_cast<CallbackGate*>(self);
    // Sequentially consistent, paired with close(): either close() sees this call in flight, or
    // this call sees the gate closed.
    gate->in_callback.fetch_add(1);
    int result = paAbort;
    if (gate->open.load()) {
      result = gate->callback(input, output, frames, time, flags, gate->user);
    } else if (output != nullptr) {
      std::memset(output, 0, frames * gate->output_bytes_per_frame);
    }
    gate->in_callback.fetch_sub(1);
    return result;
  }

  /// Main thread. Effects: no user callback runs after this returns (or after about 100 ms
  /// if one never finishes, which only a host that stopped scheduling could cause).
  void close() noexcept {
    open.store(false);
    for (int i = 0; i < 1000 && in_callback.load() != 0; ++i)
      std::this_thread::sleep_for(std::chrono::microseconds(100));
  }
};

namespace {
const char* direction(const PaStreamParameters* input, const PaStreamParameters* output) {
  return input && output ? "duplex" : input ? "input" : "output";
}

/// Returns: whether this process may run a thread at SCHED_FIFO, found by trying it on a thread
/// of its own (root without CAP_SYS_NICE, as in many containers, may not; a user with an
/// RLIMIT_RTPRIO may). PortAudio is asked only then: its ALSA host's fallback for a refused
/// request tests errno, which pthread_setschedparam does not set, so a refusal could fail the
/// stream's start instead of keeping the normal priority. Main thread, before the stream starts.
bool may_run_realtime() {
  bool allowed = false;
  std::thread probe([&allowed] {
    sched_param priority{};
    priority.sched_priority = 1;
    allowed = pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority) == 0;
  });
  probe.join();
  return allowed;
}

/// Returns: whether the stream's device belongs to PortAudio's ALSA host.
bool on_alsa(const PaStreamParameters* input, const PaStreamParameters* output) {
  return is_alsa_host(input ? input->device : output->device);
}
} // namespace

AudioStream::AudioStream(const PaStreamParameters* input, const PaStreamParameters* output,
                         double rate, int period, PaStreamCallback* callback, void* user)
    : rate_(rate), period_(period) {
  const std::size_t bytes_per_frame =
      output ? static_cast<std::size_t>(output->channelCount) *
                   static_cast<std::size_t>(Pa_GetSampleSize(output->sampleFormat))
             : 0;
  gate_ = new CallbackGate{callback, user, bytes_per_frame};
  const PaError err =
      Pa_OpenStream(&stream_, input, output, rate,
                    period > 0 ? static_cast<unsigned long>(period) : paFramesPerBufferUnspecified,
                    paClipOff, &CallbackGate::call, gate_);
  if (err != paNoError) {
    delete gate_;
    throw std::runtime_error(std::string("cannot open the ") + direction(input, output) +
                             " stream: " + Pa_GetErrorText(err));
  }
  // PortAudio's ALSA host runs the callback on a thread of its own, at normal priority unless
  // asked: on a busy machine (two busy loops and a build) it was late by more than a quarter
  // second of buffer. Asked, it takes SCHED_FIFO (priority 1: above every normal thread), when
  // this process may (may_run_realtime). JACK's threads get their priority from jackd.
  if (on_alsa(input, output) && may_run_realtime()) PaAlsa_EnableRealtimeScheduling(stream_, 1);
}

AudioStream::~AudioStream() {
  if (stop()) {
    Pa_CloseStream(stream_);
    delete gate_;
  }
  // Abandoned: the host may still call the gate, so it stays allocated for the process's life.
}

void AudioStream::start() {
  if (const PaError err = Pa_StartStream(stream_); err != paNoError)
    throw std::runtime_error(std::string("cannot start the audio stream: ") + Pa_GetErrorText(err));
}

bool AudioStream::stop(std::chrono::milliseconds timeout) noexcept {
  if (stopped_) return !abandoned_;
  stopped_ = true;
  // Pa_StopStream runs on a helper thread so that a host that never answers cannot hang the run.
  // The helper owns its promise: if it is abandoned it outlives this object harmlessly.
  try {
    auto done = std::make_shared<std::promise<void>>();
    std::future<void> stopped = done->get_future();
    std::thread([stream = stream_, done] {
      Pa_StopStream(stream);
      done->set_value();
    }).detach();
    if (stopped.wait_for(timeout) == std::future_status::ready) return true;
  } catch (...) {
    // No thread could be made: stop in place (unbounded, as PortAudio itself is).
    Pa_StopStream(stream_);
    return true;
  }
  abandoned_ = true;
  gate_->close();
  mark_portaudio_wedged();
  return false;
}

bool AudioStream::active() const noexcept { return Pa_IsStreamActive(stream_) == 1; }

namespace {
// A claimed latency that is one: above 0 and below 10 s (see input_latency()).
std::optional<double> plausible_latency(double seconds) noexcept {
  if (!(seconds > 0.0 && seconds < 10.0)) return std::nullopt;
  return seconds;
}
} // namespace

std::optional<double> AudioStream::input_latency() const noexcept {
  const PaStreamInfo* info = Pa_GetStreamInfo(stream_);
  return info ? plausible_latency(info->inputLatency) : std::nullopt;
}

std::optional<double> AudioStream::output_latency() const noexcept {
  const PaStreamInfo* info = Pa_GetStreamInfo(stream_);
  return info ? plausible_latency(info->outputLatency) : std::nullopt;
}

} // namespace rc
