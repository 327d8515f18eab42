// Specification of ringbuf::OverwriteRing: keeps the newest N, readers count exactly what they
// lost.
#include "ringbuf/overwrite_ring.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

using ringbuf::OverwriteRing;

namespace {

struct Event {
  std::uint64_t sequence;
  std::uint64_t timestamp_ns;
  std::uint32_t code;
};

using SeqRing = OverwriteRing<std::uint64_t>;
static_assert(noexcept(std::declval<SeqRing&>().push(std::uint64_t{1})));
static_assert(noexcept(std::declval<const SeqRing&>().read(std::declval<SeqRing::Cursor&>(),
                                                           std::span<std::uint64_t>{})));

void push_range(SeqRing& ring, std::uint64_t from, std::uint64_t to) {
  for (std::uint64_t s = from; s < to; ++s) ring.push(s);
}

} // namespace

TEST_CASE("capacity is exact and must be positive") {
  CHECK(SeqRing(3).capacity() == 3);
  CHECK_THROWS_AS(SeqRing(0), std::invalid_argument);
}

TEST_CASE("a reader that keeps up loses nothing") {
  SeqRing ring(8);
  auto cursor = ring.oldest_cursor();
  std::vector<std::uint64_t> out(8);
  push_range(ring, 0, 5);
  auto r = ring.read(cursor, out);
  CHECK(r.copied == 5);
  CHECK(r.lost == 0);
  CHECK(r.first_sequence == 0);
  for (std::size_t i = 0; i < 5; ++i) CHECK(out[i] == i);

  r = ring.read(cursor, out); // nothing new
  CHECK(r.copied == 0);
  CHECK(r.lost == 0);
  CHECK(cursor.next == 5);
}

TEST_CASE("a lapped reader is told exactly how many elements it lost") {
  SeqRing ring(4);
  auto cursor = ring.oldest_cursor();
  push_range(ring, 0, 10); // holds 6..9
  std::vector<std::uint64_t> out(16);
  auto r = ring.read(cursor, out);
  CHECK(r.lost == 6);
  CHECK(r.first_sequence == 6);
  REQUIRE(r.copied == 4);
  CHECK(out[0] == 6);
  CHECK(out[3] == 9);

  push_range(ring, 10, 11);
  r = ring.read(cursor, out);
  CHECK(r.lost == 0);
  CHECK(r.copied == 1);
  CHECK(out[0] == 10);

  push_range(ring, 11, 111); // holds 107..110; the cursor wanted 11
  r = ring.read(cursor, std::span<std::uint64_t>(out.data(), 2));
  CHECK(r.lost == 96);
  CHECK(r.first_sequence == 107);
  CHECK(r.copied == 2);
  r = ring.read(cursor, out);
  CHECK(r.lost == 0);
  CHECK(r.copied == 2);
  CHECK(out[1] == 110);
}

TEST_CASE("the ring keeps only the newest N: oldest_cursor and newest_cursor") {
  OverwriteRing<Event> ring(3);
  for (std::uint32_t i = 0; i < 5; ++i) ring.push(Event{i, 1000u * i, 40u + i});
  CHECK(ring.written() == 5);
  auto oldest = ring.oldest_cursor();
  CHECK(oldest.next == 2);
  std::vector<Event> out(3);
  auto r = ring.read(oldest, out);
  CHECK(r.copied == 3);
  CHECK(r.lost == 0);
  CHECK(out[0].code == 42);
  CHECK(out[2].timestamp_ns == 4000);

  auto newest = ring.newest_cursor();
  CHECK(ring.read(newest, out).copied == 0);
  ring.push(Event{5, 5000, 45});
  r = ring.read(newest, out);
  CHECK(r.copied == 1);
  CHECK(out[0].sequence == 5);
}

TEST_CASE("a concurrent reader sees every element either copied intact or counted lost") {
  constexpr std::uint64_t total = 2'000'000;
  SeqRing ring(64);
  std::atomic<bool> done{false};
  auto cursor = ring.oldest_cursor(); // before the writer starts: every element is accounted for

  std::thread writer([&] {
    push_range(ring, 0, total);
    done.store(true, std::memory_order_release);
  });

  std::vector<std::uint64_t> out(16);
  std::uint64_t copied = 0, lost = 0, errors = 0, expected = 0;
  for (;;) {
    const bool finished = done.load(std::memory_order_acquire);
    auto r = ring.read(cursor, out);
    if (r.first_sequence != expected + r.lost) ++errors;
    for (std::size_t i = 0; i < r.copied; ++i)
      if (out[i] != r.first_sequence + i) ++errors;
    copied += r.copied;
    lost += r.lost;
    expected = r.first_sequence + r.copied;
    if (finished && r.copied == 0 && r.lost == 0) break;
  }
  writer.join();

  CHECK(errors == 0);
  CHECK(copied + lost == total);
  CHECK(cursor.next == total);
  MESSAGE("copied " << copied << ", lost " << lost);
}
