// engine/device/audio_stream.cpp - see audio_stream.hpp.
#include "engine/device/audio_stream.hpp"

#include "engine/device/portaudio_session.hpp"

#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace rc {

namespace {
const char* direction(const PaStreamParameters* input, const PaStreamParameters* output) {
  return input && output ? "duplex" : input ? "input" : "output";
}
} // namespace

AudioStream::AudioStream(const PaStreamParameters* input, const PaStreamParameters* output,
                         double rate, int period, PaStreamCallback* callback, void* user)
    : rate_(rate), period_(period) {
  const PaError err =
      Pa_OpenStream(&stream_, input, output, rate,
                    period > 0 ? static_cast<unsigned long>(period) : paFramesPerBufferUnspecified,
                    paClipOff, callback, user);
  if (err != paNoError)
    throw std::runtime_error(std::string("cannot open the ") + direction(input, output) +
                             " stream: " + Pa_GetErrorText(err));
}

AudioStream::~AudioStream() {
  if (stop()) Pa_CloseStream(stream_);
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
  mark_portaudio_wedged();
  return false;
}

bool AudioStream::active() const noexcept { return Pa_IsStreamActive(stream_) == 1; }

double AudioStream::input_latency() const noexcept {
  const PaStreamInfo* info = Pa_GetStreamInfo(stream_);
  return info ? info->inputLatency : 0.0;
}

double AudioStream::output_latency() const noexcept {
  const PaStreamInfo* info = Pa_GetStreamInfo(stream_);
  return info ? info->outputLatency : 0.0;
}

} // namespace rc
