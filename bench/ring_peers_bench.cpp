// bench/ring_peers_bench.cpp - ringbuf::SpscRing against the rings people use instead
// (boost::lockfree::spsc_queue, moodycamel::ReaderWriterQueue, jack_ringbuffer): stereo float
// frames through an 8192-frame ring from the benchmark thread to a consumer thread, one frame at
// a time and in blocks of up to 256 frames. The project's targets are ratios to those peers, so
// every ring is driven by the same code, waits the same way, and is timed the same way.
//
// Usage: ring_peers_bench [--summary-json=FILE] [--rounds=N] [--wait-pauses=N]
//                         [Google Benchmark flags]
//   --summary-json=FILE  also write the summary's figures as JSON
//   --rounds=N           repetitions of every benchmark (default 5, at least 5); the medians are
//                        taken over them. --benchmark_repetitions=N is read the same way.
//   --wait-pauses=N      pause instructions a side executes before retrying a full or empty
//                        ring (default 0: retry at once). The same for every ring; the figures,
//                        and SpscRing's ratios, depend on it (see the summary's header line).
// Repetitions run in random interleaved order unless --benchmark_enable_random_interleaving=false:
// this VM's speed drifts several-fold within a minute, and interleaving spreads the drift over
// all rings instead of penalising whichever ran during a slow spell.
#include "ring_adapters.hpp"
#include "ring_summary.hpp"

#include <benchmark/benchmark.h>
#include <pthread.h>
#include <sched.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace ring_peers {
namespace {

/// Frames moved producer -> consumer in one timed transfer (one benchmark iteration).
constexpr std::size_t frames_per_transfer = std::size_t{1} << 22;
/// The most frames the producer offers, and the consumer asks for, at a time in block mode.
constexpr std::size_t block_frames = 256;
/// Repetitions of every benchmark unless --rounds says otherwise; also the least accepted.
constexpr int default_repetitions = 5;

static_assert(frames_per_transfer % block_frames == 0, "transfers are whole blocks");
static_assert(frames_per_transfer <= (std::size_t{1} << 24), "frame numbers must be exact floats");

// ------------------------------------------------------------------ content

// Frame i of every transfer carries i in `l`: cheap to make, cheap to check, and a lost,
// duplicated, reordered or torn frame shows up at once.
Frame numbered_frame(std::size_t i) noexcept { return {static_cast<float>(i), 0.5f}; }

[[noreturn]] void report_corruption(std::size_t expected, float got) {
  std::fprintf(stderr,
               "ring_peers_bench: frame %zu arrived with l = %.1f: lost, reordered or torn\n",
               expected, static_cast<double>(got));
  std::abort();
}

void check_frame(const Frame& frame, std::size_t expected) {
  if (frame.l != static_cast<float>(expected)) [[unlikely]]
    report_corruption(expected, frame.l);
}

void fill_numbered(std::span<Frame> frames, std::size_t first) noexcept {
  for (std::size_t i = 0; i < frames.size(); ++i) frames[i] = numbered_frame(first + i);
}

// Checks a whole run without a branch per frame; finds the culprit only on failure.
void check_numbered(std::span<const Frame> frames, std::size_t first) {
  bool all_good = true;
  for (std::size_t i = 0; i < frames.size(); ++i)
    all_good &= frames[i].l == static_cast<float>(first + i);
  if (all_good) [[likely]]
    return;
  for (std::size_t i = 0; i < frames.size(); ++i) check_frame(frames[i], first + i);
}

// ------------------------------------------------------------------ waiting
// A side that finds the ring full (producer) or empty (consumer) busy-waits and retries: no
// sleep, no yield, the same for every ring.

/// Pause instructions per wait (--wait-pauses). Set before any benchmark thread starts.
int pauses_per_wait = 0;

void cpu_pause() noexcept {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

void wait_before_retry() noexcept {
  for (int i = 0; i < pauses_per_wait; ++i) cpu_pause();
}

// ------------------------------------------------------------------ producers and consumers

template <class Ring> void produce_one_by_one(Ring& ring) {
  for (std::size_t i = 0; i < frames_per_transfer; ++i) {
    const Frame frame = numbered_frame(i);
    while (!ring.try_push_one(frame)) wait_before_retry();
  }
}

template <class Ring> void consume_one_by_one(Ring& ring) {
  Frame frame;
  for (std::size_t i = 0; i < frames_per_transfer; ++i) {
    while (!ring.try_pop_one(frame)) wait_before_retry();
    check_frame(frame, i);
  }
}

// Makes each 256-frame block in a local buffer, then offers what is left of it until the ring
// has taken it all.
template <class Ring> void produce_blocks(Ring& ring) {
  std::array<Frame, block_frames> block;
  for (std::size_t first = 0; first < frames_per_transfer; first += block_frames) {
    fill_numbered(block, first);
    std::size_t taken = 0;
    while (taken < block_frames) {
      const std::size_t pushed = ring.push_up_to(block.data() + taken, block_frames - taken);
      if (pushed == 0) wait_before_retry();
      taken += pushed;
    }
  }
}

// Takes up to 256 frames at a time into a local buffer and checks them there.
template <class Ring> void consume_blocks(Ring& ring) {
  std::array<Frame, block_frames> block;
  std::size_t received = 0;
  while (received < frames_per_transfer) {
    const std::size_t got = ring.pop_up_to(block.data(), block_frames);
    if (got == 0) wait_before_retry();
    check_numbered(std::span(block.data(), got), received);
    received += got;
  }
}

// Zero-copy: the same blocks, but made directly in the ring's slots (write_regions/commit_write)
// instead of a local buffer.
void produce_blocks_in_place(ringbuf::SpscRing<Frame>& ring) {
  for (std::size_t first = 0; first < frames_per_transfer; first += block_frames) {
    std::size_t taken = 0;
    while (taken < block_frames) {
      const ringbuf::RingRegions<Frame> regions = ring.write_regions(block_frames - taken);
      fill_numbered(regions.first, first + taken);
      fill_numbered(regions.second, first + taken + regions.first.size());
      ring.commit_write(regions.size());
      if (regions.size() == 0) wait_before_retry();
      taken += regions.size();
    }
  }
}

// Zero-copy: up to 256 frames at a time checked in the ring's slots (read_regions/commit_read).
void consume_blocks_in_place(ringbuf::SpscRing<Frame>& ring) {
  std::size_t received = 0;
  while (received < frames_per_transfer) {
    const ringbuf::RingRegions<const Frame> regions = ring.read_regions(block_frames);
    check_numbered(regions.first, received);
    check_numbered(regions.second, received + regions.first.size());
    ring.commit_read(regions.size());
    if (regions.size() == 0) wait_before_retry();
    received += regions.size();
  }
}

// ------------------------------------------------------------------ placement
// Producer on one CPU, consumer on another, for every ring: unpinned, the scheduler sometimes
// puts both spinning threads on one CPU of this 2-CPU VM, and a transfer then takes a timeslice
// per handover instead of a cache-line transfer (the spread was over 100 % before pinning).

/// CPUs this process may run on, in order; empty if the query fails.
std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  return cpus;
}

/// Producer and consumer CPUs; -1 when fewer than two CPUs are allowed (then nothing is pinned).
int producer_cpu = -1;
int consumer_cpu = -1;

/// Effects: pins the calling thread to `cpu` (no-op for -1). A failure only costs stability.
void pin_this_thread(int cpu) noexcept {
  if (cpu < 0) return;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  (void)pthread_setaffinity_np(pthread_self(), sizeof set, &set);
}

// ------------------------------------------------------------------ timing

// Runs `consume` on a new thread and `produce` on this one. Returns: seconds from releasing both
// to the consumer's last check; creating and joining the thread are outside that span.
template <class Produce, class Consume>
double timed_transfer(const Produce& produce, const Consume& consume) {
  std::atomic<bool> consumer_ready{false};
  std::atomic<bool> go{false};
  std::atomic<bool> consumer_done{false};
  std::thread consumer([&] {
    pin_this_thread(consumer_cpu);
    consumer_ready.store(true, std::memory_order_release);
    while (!go.load(std::memory_order_acquire)) {
    }
    consume();
    consumer_done.store(true, std::memory_order_release);
  });
  while (!consumer_ready.load(std::memory_order_acquire)) {
  }
  const auto start = std::chrono::steady_clock::now();
  go.store(true, std::memory_order_release);
  produce();
  while (!consumer_done.load(std::memory_order_acquire)) {
  }
  const auto end = std::chrono::steady_clock::now();
  consumer.join();
  return std::chrono::duration<double>(end - start).count();
}

// One benchmark iteration = one timed transfer through `ring`, which lives for the whole run
// (it is empty again after every transfer).
template <class Produce, class Consume>
void run_transfers(benchmark::State& state, const Produce& produce, const Consume& consume) {
  for (auto _ : state) state.SetIterationTime(timed_transfer(produce, consume));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames_per_transfer));
}

template <class Ring> void one_by_one(benchmark::State& state) {
  Ring ring;
  run_transfers(
      state, [&] { produce_one_by_one(ring); }, [&] { consume_one_by_one(ring); });
}

template <class Ring> void blocks(benchmark::State& state) {
  Ring ring;
  run_transfers(
      state, [&] { produce_blocks(ring); }, [&] { consume_blocks(ring); });
}

void blocks_in_place(benchmark::State& state) {
  OurSpscRing ring;
  run_transfers(
      state, [&] { produce_blocks_in_place(ring.ring()); },
      [&] { consume_blocks_in_place(ring.ring()); });
}

// ------------------------------------------------------------------ registration

struct BenchmarkEntry {
  std::string_view mode;
  std::string_view ring;
  void (*run)(benchmark::State&);
};

void register_benchmarks(int repetitions) {
  const BenchmarkEntry entries[] = {
      {one_by_one_mode, spsc_ring_name, one_by_one<OurSpscRing>},
      {one_by_one_mode, boost_name, one_by_one<BoostSpscQueue>},
      {one_by_one_mode, moodycamel_name, one_by_one<MoodycamelQueue>},
      {one_by_one_mode, jack_name, one_by_one<JackRingbuffer>},
      {block256_mode, spsc_ring_name, blocks<OurSpscRing>},
      {block256_mode, spsc_ring_zero_copy_name, blocks_in_place},
      {block256_mode, boost_name, blocks<BoostSpscQueue>},
      {block256_mode, jack_name, blocks<JackRingbuffer>},
  };
  for (const BenchmarkEntry& entry : entries)
    benchmark::RegisterBenchmark(benchmark_name(entry.mode, entry.ring).c_str(), entry.run)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(0.2)
        ->Repetitions(repetitions)
        ->DisplayAggregatesOnly(true);
}

// ------------------------------------------------------------------ command line

struct Options {
  std::string summary_json;               ///< Empty: no JSON.
  int repetitions = default_repetitions;  ///< Per benchmark; medians are over these.
  int wait_pauses = 0;                    ///< Pause instructions per wait (--wait-pauses).
  std::vector<char*> benchmark_arguments; ///< argv for Google Benchmark, program name first.
};

std::optional<std::string_view> value_of(std::string_view argument, std::string_view flag) {
  if (argument.substr(0, flag.size()) != flag) return std::nullopt;
  return argument.substr(flag.size());
}

std::optional<int> parse_int(std::string_view text, int least, int most) {
  const std::string digits(text);
  char* end = nullptr;
  const long n = std::strtol(digits.c_str(), &end, 10);
  if (digits.empty() || *end != '\0' || n < least || n > most) return std::nullopt;
  return static_cast<int>(n);
}

void print_usage(std::FILE* out) {
  std::fprintf(out, "usage: ring_peers_bench [--summary-json=FILE] [--rounds=N (5..1000)] "
                    "[--wait-pauses=N (0..100000)] [Google Benchmark flags, see --help]\n");
}

// Takes our flags out of argv and passes the rest on, after our default for interleaving (a
// later --benchmark_enable_random_interleaving from the user wins).
std::optional<Options> parse_command_line(int argc, char** argv) {
  static char interleave[] = "--benchmark_enable_random_interleaving=true";
  Options options;
  options.benchmark_arguments = {argv[0], interleave};
  for (int i = 1; i < argc; ++i) {
    const std::string_view argument = argv[i];
    std::optional<std::string_view> repetitions = value_of(argument, "--rounds=");
    if (!repetitions) repetitions = value_of(argument, "--benchmark_repetitions=");
    if (const auto path = value_of(argument, "--summary-json=")) {
      if (path->empty()) return std::nullopt;
      options.summary_json = *path;
    } else if (repetitions) {
      const std::optional<int> n = parse_int(*repetitions, default_repetitions, 1000);
      if (!n) return std::nullopt;
      options.repetitions = *n;
    } else if (const auto pauses = value_of(argument, "--wait-pauses=")) {
      const std::optional<int> n = parse_int(*pauses, 0, 100000);
      if (!n) return std::nullopt;
      options.wait_pauses = *n;
    } else {
      if (argument == "--help") print_usage(stdout); // then Google Benchmark's own
      options.benchmark_arguments.push_back(argv[i]);
    }
  }
  options.benchmark_arguments.push_back(nullptr);
  return options;
}

} // namespace
} // namespace ring_peers

int main(int argc, char** argv) {
  using namespace ring_peers;
  std::optional<Options> options = parse_command_line(argc, argv);
  if (!options) {
    print_usage(stderr);
    return 2;
  }
  int benchmark_argc = static_cast<int>(options->benchmark_arguments.size()) - 1;
  char** benchmark_argv = options->benchmark_arguments.data();
  benchmark::Initialize(&benchmark_argc, benchmark_argv);
  if (benchmark::ReportUnrecognizedArguments(benchmark_argc, benchmark_argv)) return 1;

  pauses_per_wait = options->wait_pauses;
  if (const std::vector<int> cpus = allowed_cpus(); cpus.size() >= 2) {
    producer_cpu = cpus[0];
    consumer_cpu = cpus[1];
    pin_this_thread(producer_cpu);
  }
  register_benchmarks(options->repetitions);
  MedianCapture reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();

  const Summary summary = summarize(reporter.medians(), {options->repetitions, frames_per_transfer,
                                                         ring_capacity, options->wait_pauses});
  print_summary(summary, stdout);
  if (!options->summary_json.empty() && !write_summary_json(summary, options->summary_json)) {
    std::fprintf(stderr, "ring_peers_bench: cannot write %s\n", options->summary_json.c_str());
    return 1;
  }
  return 0; // targets are reported, never asserted
}
