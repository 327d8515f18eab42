// bench/ring_peers_bench.cpp - SpscRing against the rings people use today, two threads, stereo
// float frames, capacity 8192: one frame at a time, and 256-frame blocks. Prints Google
// Benchmark's table, then a summary of medians as ratios (the project's targets are ratios in
// one run, never absolute timings: machines here are noisy).
//
// Usage: ring_peers_bench [--summary-json=FILE] [google benchmark flags]
#include "ringbuf/spsc_ring.hpp"

#include <benchmark/benchmark.h>
#include <boost/lockfree/spsc_queue.hpp>
#include <jack/ringbuffer.h>
#include <readerwriterqueue/readerwriterqueue.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Frame {
  float l, r;
};

constexpr std::size_t capacity = 8192;
constexpr std::size_t block = 256;
constexpr std::size_t frames_per_iteration = std::size_t{1} << 22;

// ------------------------------------------------------------------ adapters
// Each adapter offers: push_one/pop_one (bool), push_some/pop_some (count, up to n).

struct OurRing {
  ringbuf::SpscRing<Frame> q{capacity};
  bool push_one(const Frame& f) { return q.try_push(f); }
  bool pop_one(Frame& f) { return q.try_pop(f); }
  std::size_t push_some(const Frame* src, std::size_t n) { return q.push(src, n); }
  std::size_t pop_some(Frame* dst, std::size_t n) { return q.pop(dst, n); }
};

// Zero-copy: the producer fills the ring's own slots, the consumer reads them in place.
struct OurRingZeroCopy : OurRing {
  std::size_t push_some(const Frame* src, std::size_t n) {
    const auto regions = q.write_regions(n);
    std::memcpy(regions.first.data(), src, regions.first.size_bytes());
    std::memcpy(regions.second.data(), src + regions.first.size(), regions.second.size_bytes());
    q.commit_write(regions.size());
    return regions.size();
  }
  std::size_t pop_some(Frame* dst, std::size_t n) {
    const auto regions = q.read_regions(n);
    std::memcpy(dst, regions.first.data(), regions.first.size_bytes());
    std::memcpy(dst + regions.first.size(), regions.second.data(), regions.second.size_bytes());
    q.commit_read(regions.size());
    return regions.size();
  }
};

struct BoostRing {
  boost::lockfree::spsc_queue<Frame> q{capacity};
  bool push_one(const Frame& f) { return q.push(f); }
  bool pop_one(Frame& f) { return q.pop(f); }
  std::size_t push_some(const Frame* src, std::size_t n) { return q.push(src, n); }
  std::size_t pop_some(Frame* dst, std::size_t n) { return q.pop(dst, n); }
};

struct MoodycamelQueue {
  moodycamel::ReaderWriterQueue<Frame> q{capacity};
  bool push_one(const Frame& f) { return q.try_enqueue(f); } // never the allocating enqueue
  bool pop_one(Frame& f) { return q.try_dequeue(f); }
};

// jack_ringbuffer works in bytes: only whole frames are ever written or read, so no frame is torn.
struct JackRing {
  jack_ringbuffer_t* q = jack_ringbuffer_create(capacity * sizeof(Frame));
  ~JackRing() { jack_ringbuffer_free(q); }
  bool push_one(const Frame& f) {
    if (jack_ringbuffer_write_space(q) < sizeof(Frame)) return false;
    jack_ringbuffer_write(q, reinterpret_cast<const char*>(&f), sizeof(Frame));
    return true;
  }
  bool pop_one(Frame& f) {
    if (jack_ringbuffer_read_space(q) < sizeof(Frame)) return false;
    jack_ringbuffer_read(q, reinterpret_cast<char*>(&f), sizeof(Frame));
    return true;
  }
  std::size_t push_some(const Frame* src, std::size_t n) {
    const std::size_t fit = std::min(n, jack_ringbuffer_write_space(q) / sizeof(Frame));
    jack_ringbuffer_write(q, reinterpret_cast<const char*>(src), fit * sizeof(Frame));
    return fit;
  }
  std::size_t pop_some(Frame* dst, std::size_t n) {
    const std::size_t got = std::min(n, jack_ringbuffer_read_space(q) / sizeof(Frame));
    jack_ringbuffer_read(q, reinterpret_cast<char*>(dst), got * sizeof(Frame));
    return got;
  }
};

// ------------------------------------------------------------------ the transfer

[[noreturn]] void corrupted(std::size_t at) {
  std::fprintf(stderr, "ring_peers_bench: frame %zu arrived corrupted or out of order\n", at);
  std::abort();
}

// Moves frames_per_iteration frames producer -> consumer; the consumer checks each frame's
// sequence. Both sides busy-wait identically when full/empty. Returns seconds, excluding
// thread start-up.
template <class Ring, bool Blocks> double transfer(Ring& ring) {
  std::atomic<bool> go{false};
  std::thread consumer([&] {
    while (!go.load(std::memory_order_acquire)) {
    }
    std::vector<Frame> buffer(block);
    std::size_t received = 0;
    while (received < frames_per_iteration) {
      if constexpr (Blocks) {
        const std::size_t got = ring.pop_some(buffer.data(), block);
        for (std::size_t i = 0; i < got; ++i)
          if (buffer[i].l != float(received + i)) corrupted(received + i);
        received += got;
      } else {
        Frame f;
        if (ring.pop_one(f)) {
          if (f.l != float(received)) corrupted(received);
          ++received;
        }
      }
    }
  });
  std::vector<Frame> source(block);
  const auto start = std::chrono::steady_clock::now();
  go.store(true, std::memory_order_release);
  std::size_t sent = 0;
  while (sent < frames_per_iteration) {
    if constexpr (Blocks) {
      for (std::size_t i = 0; i < block; ++i) source[i] = {float(sent + i), 0.0f};
      std::size_t offset = 0;
      while (offset < block) offset += ring.push_some(source.data() + offset, block - offset);
      sent += block;
    } else {
      const Frame f{float(sent), 0.0f};
      while (!ring.push_one(f)) {
      }
      ++sent;
    }
  }
  consumer.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Frame counters are floats: exact only up to 2^24, so each iteration counts from 0 again.
static_assert(frames_per_iteration <= (std::size_t{1} << 24));

template <class Ring, bool Blocks> void bench(benchmark::State& state) {
  for (auto _ : state) {
    Ring ring; // fresh, empty ring per iteration (construction is not timed)
    state.SetIterationTime(transfer<Ring, Blocks>(ring));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * frames_per_iteration));
}

// ------------------------------------------------------------------ summary

// Collects the median frames/s of every benchmark from the aggregate rows.
class MedianCollector : public benchmark::ConsoleReporter {
public:
  std::map<std::string, double> median_frames_per_second;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs)
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name == "median") {
        const auto it = run.counters.find("items_per_second");
        if (it != run.counters.end())
          median_frames_per_second[run.run_name.function_name] = it->second;
      }
    ConsoleReporter::ReportRuns(runs);
  }
};

struct Target {
  const char* what;
  double ratio;
  double required;
};

void print_summary(const std::map<std::string, double>& m, const std::string& json_path) {
  auto get = [&](const char* name) {
    const auto it = m.find(name);
    return it == m.end() ? 0.0 : it->second;
  };
  const char* one_by_one[] = {"one_by_one/SpscRing", "one_by_one/boost_spsc_queue",
                              "one_by_one/moodycamel_RWQ", "one_by_one/jack_ringbuffer"};
  const char* blocks[] = {"block256/SpscRing", "block256/SpscRing_zero_copy",
                          "block256/boost_spsc_queue", "block256/jack_ringbuffer"};
  std::printf("\nSummary: median of repetitions, M frames/s, ratio = SpscRing / peer\n");
  for (const auto& group : {std::vector<const char*>(std::begin(one_by_one), std::end(one_by_one)),
                            std::vector<const char*>(std::begin(blocks), std::end(blocks))}) {
    const double ours = get(group[0]);
    for (const char* name : group) {
      const double v = get(name);
      std::printf("  %-30s %9.1f M/s   SpscRing is %.2fx\n", name, v / 1e6, v > 0 ? ours / v : 0.0);
    }
  }
  const double best_block_peer =
      std::max(get("block256/boost_spsc_queue"), get("block256/jack_ringbuffer"));
  const double best_ours_block =
      std::max(get("block256/SpscRing"), get("block256/SpscRing_zero_copy"));
  const Target targets[] = {
      {"one-by-one: SpscRing / boost spsc_queue",
       get("one_by_one/SpscRing") / get("one_by_one/boost_spsc_queue"), 1.5},
      {"256-frame blocks: SpscRing (bulk) / best of boost bulk, jack_ringbuffer",
       get("block256/SpscRing") / best_block_peer, 1.2},
      {"256-frame blocks: SpscRing (best of bulk, zero-copy) / best peer",
       best_ours_block / best_block_peer, 1.2},
  };
  std::printf("\nTargets (ratios in this run):\n");
  for (const Target& t : targets)
    std::printf("  %-75s %.2fx (target >= %.1fx) %s\n", t.what, t.ratio, t.required,
                t.ratio >= t.required ? "MET" : "SHORT");

  if (json_path.empty()) return;
  std::ofstream out(json_path);
  out << "{\n  \"median_frames_per_second\": {";
  bool first = true;
  for (const auto& [name, v] : m)
    out << (first ? "\n" : ",\n") << "    \"" << name << "\": " << v, first = false;
  out << "\n  },\n  \"targets\": [";
  first = true;
  for (const Target& t : targets)
    out << (first ? "\n" : ",\n") << "    {\"what\": \"" << t.what << "\", \"ratio\": " << t.ratio
        << ", \"required\": " << t.required << "}",
        first = false;
  out << "\n  ]\n}\n";
}

void register_all() {
  auto add = [](const char* name, void (*fn)(benchmark::State&)) {
    benchmark::RegisterBenchmark(name, fn)
        ->UseManualTime()
        ->Unit(benchmark::kMillisecond)
        ->MinTime(0.2)
        ->Repetitions(5)
        ->ReportAggregatesOnly(true);
  };
  add("one_by_one/SpscRing", bench<OurRing, false>);
  add("one_by_one/boost_spsc_queue", bench<BoostRing, false>);
  add("one_by_one/moodycamel_RWQ", bench<MoodycamelQueue, false>);
  add("one_by_one/jack_ringbuffer", bench<JackRing, false>);
  add("block256/SpscRing", bench<OurRing, true>);
  add("block256/SpscRing_zero_copy", bench<OurRingZeroCopy, true>);
  add("block256/boost_spsc_queue", bench<BoostRing, true>);
  add("block256/jack_ringbuffer", bench<JackRing, true>);
}

} // namespace

int main(int argc, char** argv) {
  std::string json_path;
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--summary-json=", 0) == 0)
      json_path = a.substr(15);
    else
      args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  register_all();
  MedianCollector reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  print_summary(reporter.median_frames_per_second, json_path);
  benchmark::Shutdown();
  return 0;
}
