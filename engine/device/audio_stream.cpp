// engine/device/audio_stream.cpp - see audio_stream.hpp.
#include "engine/device/audio_stream.hpp"

#include <stdexcept>
#include <string>

namespace rc {

namespace {
const char* direction(const PaStreamParameters* input, const PaStreamParameters* output) {
  return input && output ? "duplex" : input ? "input" : "output";
}
} // namespace

AudioStream::AudioStream(const PaStreamParameters* input, const PaStreamParameters* output,
                         double rate, int period, PaStreamCallback* callback, void* user) {
  const PaError err =
      Pa_OpenStream(&stream_, input, output, rate,
                    period > 0 ? static_cast<unsigned long>(period) : paFramesPerBufferUnspecified,
                    paClipOff, callback, user);
  if (err != paNoError)
    throw std::runtime_error(std::string("cannot open the ") + direction(input, output) +
                             " stream: " + Pa_GetErrorText(err));
}

AudioStream::~AudioStream() {
  stop();
  Pa_CloseStream(stream_);
}

void AudioStream::start() {
  if (const PaError err = Pa_StartStream(stream_); err != paNoError)
    throw std::runtime_error(std::string("cannot start the audio stream: ") + Pa_GetErrorText(err));
}

void AudioStream::stop() noexcept {
  if (!stopped_) Pa_StopStream(stream_);
  stopped_ = true;
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
