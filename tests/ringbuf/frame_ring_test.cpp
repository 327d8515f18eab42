// Specification of ringbuf::FrameRing: frames of any channel count, never torn at the wrap,
// regions and bulk transfers in frames, index wrap past 2^64, and a two-thread run in which
// every sample of every frame is checked (built under TSan too).
#include "ringbuf/spsc_frame_ring.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <thread>
#include <utility>
#include <vector>

using ringbuf::FrameRing;

namespace {

// Compile-time contract: every member but the constructors is noexcept; no copies.
static_assert(noexcept(std::declval<FrameRing&>().push(nullptr, 0)));
static_assert(noexcept(std::declval<FrameRing&>().pop(nullptr, 0)));
static_assert(noexcept(std::declval<FrameRing&>().write_regions()));
static_assert(noexcept(std::declval<FrameRing&>().read_regions()));
static_assert(noexcept(std::declval<FrameRing&>().commit_write(0)));
static_assert(noexcept(std::declval<FrameRing&>().commit_read(0)));
static_assert(noexcept(std::declval<const FrameRing&>().size()));
static_assert(noexcept(std::declval<const FrameRing&>().channels()));
static_assert(noexcept(std::declval<const FrameRing&>().free_space()));
static_assert(!std::is_nothrow_constructible_v<FrameRing, std::size_t, std::size_t>);
static_assert(!std::is_copy_constructible_v<FrameRing> && !std::is_copy_assignable_v<FrameRing>);
// Shared constants, producer line and consumer line each take a full cache line.
static_assert(sizeof(FrameRing) >= 3 * ringbuf::cache_line_size);

// Sample c of frame n: tells every frame and every channel apart (exact in a float up to 2^24).
float sample_of(std::uint64_t n, std::size_t c) {
  return static_cast<float>((n % 65536) * 256 + c);
}

std::vector<float> frames_from(std::uint64_t first, std::size_t frames, std::size_t channels) {
  std::vector<float> out(frames * channels);
  for (std::size_t f = 0; f < frames; ++f)
    for (std::size_t c = 0; c < channels; ++c) out[f * channels + c] = sample_of(first + f, c);
  return out;
}

// Returns: how many samples of `got` (frames from `first`) differ from what they should be.
std::size_t wrong_samples(const float* got, std::uint64_t first, std::size_t frames,
                          std::size_t channels) {
  std::size_t wrong = 0;
  for (std::size_t f = 0; f < frames; ++f)
    for (std::size_t c = 0; c < channels; ++c)
      if (got[f * channels + c] != sample_of(first + f, c)) ++wrong;
  return wrong;
}

} // namespace

TEST_CASE("a frame ring's capacity is a power of two in frames, and bad sizes are refused") {
  CHECK(FrameRing(1, 1).capacity() == 1);
  CHECK(FrameRing(3, 5).capacity() == 8);
  CHECK(FrameRing(64, 8).capacity() == 8);
  CHECK(FrameRing(3, 5).channels() == 3);
  CHECK(FrameRing::capacity_for(32, 1000) == 1024);
  CHECK_THROWS_AS(FrameRing(0, 8), std::invalid_argument);
  CHECK_THROWS_AS(FrameRing(2, 0), std::invalid_argument);
  CHECK_THROWS_AS(FrameRing(2, std::numeric_limits<std::size_t>::max() / 4), std::invalid_argument);
  CHECK_THROWS_AS(FrameRing(std::numeric_limits<std::size_t>::max(), 1), std::invalid_argument);
}

TEST_CASE("a new frame ring is empty, zeroed, and all of it is free") {
  FrameRing ring(3, 4);
  CHECK(ring.empty());
  CHECK(ring.free_space() == 4);
  const auto w = ring.write_regions();
  CHECK(w.frames() == 4);
  CHECK(w.first.samples.size() == 12);
  for (float s : w.first.samples) CHECK(s == 0.0f);
  CHECK(ring.read_regions().frames() == 0);
}

TEST_CASE("frames of 1, 3, 8 and 64 channels cross the wrap intact in every transfer size") {
  for (std::size_t channels : {1u, 3u, 8u, 64u}) {
    CAPTURE(channels);
    FrameRing ring(channels, 8);
    std::uint64_t pushed = 0, popped = 0;
    std::size_t wrong = 0;
    for (int round = 0; round < 60; ++round) {
      const std::size_t in = 1 + static_cast<std::size_t>(round) % 8;
      const auto block = frames_from(pushed, in, channels);
      pushed += ring.push(block.data(), in);
      std::vector<float> out(8 * channels, -1.0f);
      const std::size_t got = ring.pop(out.data(), 1 + static_cast<std::size_t>(round) % 5);
      wrong += wrong_samples(out.data(), popped, got, channels);
      popped += got;
    }
    std::vector<float> rest(8 * channels);
    const std::size_t got = ring.pop(rest.data(), 8);
    wrong += wrong_samples(rest.data(), popped, got, channels);
    popped += got;
    CHECK(wrong == 0);
    CHECK(popped == pushed);
    CHECK(pushed > 100);
    CHECK(ring.empty());
  }
}

TEST_CASE("frame regions split only between frames, and a partial commit publishes that many") {
  FrameRing ring(3, 8);
  const auto six = frames_from(0, 6, 3);
  REQUIRE(ring.push(six.data(), 6) == 6);
  std::vector<float> out(5 * 3);
  REQUIRE(ring.pop(out.data(), 5) == 5); // read index at 5, write index at 6

  const auto w = ring.write_regions();
  REQUIRE(w.frames() == 7);
  CHECK(w.first.frames == 2); // frames 6, 7
  CHECK(w.first.samples.size() == 6);
  CHECK(w.second.frames == 5); // frames 0..4
  CHECK(w.second.samples.size() == 15);
  const auto next = frames_from(6, 7, 3);
  std::copy(next.begin(), next.begin() + 6, w.first.samples.begin());
  std::copy(next.begin() + 6, next.end(), w.second.samples.begin());
  ring.commit_write(7);
  CHECK(ring.size() == 8);
  CHECK(ring.write_regions().frames() == 0);

  const auto r = ring.read_regions(4);
  REQUIRE(r.frames() == 4);
  CHECK(r.first.frames == 3); // frames 5, 6, 7
  CHECK(r.second.frames == 1);
  CHECK(wrong_samples(r.first.samples.data(), 5, 3, 3) == 0);
  CHECK(wrong_samples(r.second.samples.data(), 8, 1, 3) == 0);
  ring.commit_read(2);
  CHECK(ring.size() == 6);
  std::vector<float> rest(6 * 3);
  CHECK(ring.pop(rest.data(), 6) == 6);
  CHECK(wrong_samples(rest.data(), 7, 6, 3) == 0);
}

TEST_CASE("frame ring indices wrap past 2^64 without losing or repeating a frame") {
  const std::uint64_t start = ~std::uint64_t{0} - 5;
  FrameRing ring(5, 4, ringbuf::start_index_for_testing, start);
  std::uint64_t pushed = 0, popped = 0;
  std::size_t wrong = 0;
  for (int round = 0; round < 20; ++round) {
    const auto block = frames_from(pushed, 4, 5);
    CHECK(ring.push(block.data(), 4) == 4); // exactly full
    CHECK(ring.free_space() == 0);
    pushed += 4;
    std::vector<float> out(4 * 5);
    CHECK(ring.pop(out.data(), 4) == 4);
    wrong += wrong_samples(out.data(), popped, 4, 5);
    popped += 4;
  }
  CHECK(wrong == 0);
  CHECK(ring.total_pushed() - start == 80);
  CHECK(ring.total_popped() - start == 80);
}

TEST_CASE("two threads move frames of 3 channels through a 64-frame ring, every sample checked") {
#if defined(__SANITIZE_THREAD__)
  constexpr std::uint64_t total = 200'000;
#else
  constexpr std::uint64_t total = 2'000'000;
#endif
  constexpr std::size_t channels = 3;
  FrameRing ring(channels, 64);
  std::size_t consumer_wrong = 0;
  std::uint64_t received = 0;

  std::thread consumer([&] {
    std::vector<float> buffer(50 * channels);
    std::size_t turn = 0;
    while (received < total) {
      if (++turn % 2 == 0) {
        const std::size_t got = ring.pop(buffer.data(), 1 + turn % 50);
        consumer_wrong += wrong_samples(buffer.data(), received, got, channels);
        received += got;
      } else {
        const auto r = ring.read_regions(1 + turn % 37);
        consumer_wrong += wrong_samples(r.first.samples.data(), received, r.first.frames, channels);
        consumer_wrong += wrong_samples(r.second.samples.data(), received + r.first.frames,
                                        r.second.frames, channels);
        received += r.frames();
        ring.commit_read(r.frames());
      }
    }
  });

  std::uint64_t sent = 0;
  std::size_t turn = 0;
  while (sent < total) {
    std::size_t n = 1 + ++turn % 41;
    if (n > total - sent) n = static_cast<std::size_t>(total - sent);
    if (turn % 2 == 0) {
      const auto block = frames_from(sent, n, channels);
      sent += ring.push(block.data(), n);
    } else {
      const auto w = ring.write_regions(n);
      const auto block = frames_from(sent, w.frames(), channels);
      std::copy(block.begin(), block.begin() + static_cast<std::ptrdiff_t>(w.first.samples.size()),
                w.first.samples.begin());
      std::copy(block.begin() + static_cast<std::ptrdiff_t>(w.first.samples.size()), block.end(),
                w.second.samples.begin());
      ring.commit_write(w.frames());
      sent += w.frames();
    }
  }
  consumer.join();

  CHECK(received == total);
  CHECK(consumer_wrong == 0);
  CHECK(ring.empty());
}
