// bench/ring_peers_bench.cpp - SpscRing against the rings people use today, two threads, stereo
// float frames, capacity 8192: one frame at a time, and 256-frame blocks.
//
// The machines here are noisy virtual machines whose speed drifts by several times within a
// minute, so the contenders are measured interleaved: every round runs each of them once, and
// the summary compares medians over the rounds. Targets are ratios in one run, never absolute
// timings.
//
// Usage: ring_peers_bench [--rounds=N] [--summary-json=FILE]
#include "ringbuf/spsc_ring.hpp"

#include <boost/lockfree/spsc_queue.hpp>
#include <jack/ringbuffer.h>
#include <readerwriterqueue/readerwriterqueue.h>

#include <algorithm>
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

// Moves frames_per_iteration frames producer -> consumer; the consumer checks every frame. Frame i
// of the stream carries i mod 256 (exact in float), so the producer pushes one constant block
// and the checks stay cheap: the ring, not the harness, should dominate. Both sides busy-wait
// identically when full/empty. Returns seconds, excluding thread start-up.
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
        bool ok = true;
        for (std::size_t i = 0; i < got; ++i) ok &= buffer[i].l == float((received + i) % block);
        if (!ok) corrupted(received);
        received += got;
      } else {
        Frame f;
        if (ring.pop_one(f)) {
          if (f.l != float(received % block)) corrupted(received);
          ++received;
        }
      }
    }
  });
  std::vector<Frame> source(block);
  for (std::size_t i = 0; i < block; ++i) source[i] = {float(i), 0.0f};
  const auto start = std::chrono::steady_clock::now();
  go.store(true, std::memory_order_release);
  std::size_t sent = 0;
  while (sent < frames_per_iteration) {
    if constexpr (Blocks) {
      std::size_t offset = 0;
      while (offset < block) offset += ring.push_some(source.data() + offset, block - offset);
      sent += block;
    } else {
      const Frame& f = source[sent % block];
      while (!ring.push_one(f)) {
      }
      ++sent;
    }
  }
  consumer.join();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

template <class Ring, bool Blocks> double frames_per_second() {
  Ring ring; // fresh and empty for every measurement; construction is not timed
  return double(frames_per_iteration) / transfer<Ring, Blocks>(ring);
}

struct Contender {
  const char* name;
  double (*measure)();
  std::vector<double> samples;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// ------------------------------------------------------------------ summary

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
  std::printf("\nSummary: median over the rounds, M frames/s, ratio = SpscRing / peer\n");
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

} // namespace

int main(int argc, char** argv) {
  std::string json_path;
  int rounds = 9;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--summary-json=", 0) == 0) {
      json_path = a.substr(15);
    } else if (a.rfind("--rounds=", 0) == 0) {
      rounds = std::max(5, std::atoi(a.c_str() + 9));
    } else {
      std::fprintf(stderr, "usage: ring_peers_bench [--rounds=N (>= 5)] [--summary-json=FILE]\n");
      return 2;
    }
  }
  std::vector<Contender> contenders{
      {"one_by_one/SpscRing", frames_per_second<OurRing, false>, {}},
      {"one_by_one/boost_spsc_queue", frames_per_second<BoostRing, false>, {}},
      {"one_by_one/moodycamel_RWQ", frames_per_second<MoodycamelQueue, false>, {}},
      {"one_by_one/jack_ringbuffer", frames_per_second<JackRing, false>, {}},
      {"block256/SpscRing", frames_per_second<OurRing, true>, {}},
      {"block256/SpscRing_zero_copy", frames_per_second<OurRingZeroCopy, true>, {}},
      {"block256/boost_spsc_queue", frames_per_second<BoostRing, true>, {}},
      {"block256/jack_ringbuffer", frames_per_second<JackRing, true>, {}},
  };
  std::printf("ring_peers_bench: %d rounds x %zu contenders, %zu frames per measurement\n", rounds,
              contenders.size(), frames_per_iteration);
  for (int r = 0; r < rounds; ++r)
    for (Contender& c : contenders) c.samples.push_back(c.measure());
  std::map<std::string, double> medians;
  for (const Contender& c : contenders) medians[c.name] = median(c.samples);
  print_summary(medians, json_path);
  return 0;
}
