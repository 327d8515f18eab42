// bench/engine_bench.cpp - Google Benchmark micro-benchmarks of the engine's hot paths: the
// capture callback's work per period, and the effect chain per block. Hot-cache figures: they
// bound what the code costs; the in-situ callback figures (cold caches after each sleep) come
// from a real capture's report (README, Performance).
#include "engine/dsp/chain_parser.hpp"
#include "engine/live/capture_rig.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <cmath>
#include <vector>

namespace {

class NullSink final : public rc::FrameSink {
public:
  bool write(rc::ConstFrames) override { return true; }
};

// One capture callback of `period` frames of `channels` channels (a device of that many, all
// recorded), then the worker's drain (not timed), on the engine's own capture path (CaptureRig,
// as capture builds it; no worker thread).
void capture_callback(benchmark::State& state) {
  const auto period = static_cast<std::uint32_t>(state.range(0));
  const auto channels = static_cast<int>(state.range(1));
  rc::RigOptions options;
  options.device_channels = channels;
  options.map = rc::ChannelMap::first(channels);
  options.ring_frames = 131072;
  options.header_slots = 8192;
  NullSink sink;
  rc::CaptureRig rig(options, sink);
  rc::CaptureProducer& producer = rig.producer();
  rc::CaptureConsumer& consumer = rig.consumer();
  std::vector<float> input(static_cast<std::size_t>(channels) * period);
  for (std::size_t i = 0; i < input.size(); ++i) input[i] = std::sin(0.01f * float(i));
  for (auto _ : state) {
    // Manual timing: only the callback's work; PauseTiming would cost more than it.
    const auto start = std::chrono::steady_clock::now();
    producer.on_input(input.data(), period, 0, 0);
    const auto end = std::chrono::steady_clock::now();
    state.SetIterationTime(std::chrono::duration<double>(end - start).count());
    consumer.drain();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * period);
}
BENCHMARK(capture_callback)
    ->ArgNames({"period", "channels"})
    ->Args({64, 2})
    ->Args({256, 2})
    ->Args({1024, 2})
    ->Args({256, 8})
    ->Args({256, 32})
    ->UseManualTime();

// The chain of the process-vs-sox benchmark on 8192-frame stereo blocks.
void effect_chain(benchmark::State& state) {
  rc::EffectChain chain = rc::parse_effect_chain(
      {"gain", "-3", "highpass", "80", "equalizer", "1000", "1q", "3", "lowpass", "15000"});
  constexpr std::size_t frames = 8192;
  chain.configure({2, 48000, frames});
  std::vector<float> block(2 * frames);
  for (std::size_t i = 0; i < block.size(); ++i) block[i] = 0.1f * std::sin(0.003f * float(i));
  for (auto _ : state) {
    benchmark::DoNotOptimize(chain.process({block.data(), frames, 2}).data);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames));
}
BENCHMARK(effect_chain);

} // namespace

BENCHMARK_MAIN();
