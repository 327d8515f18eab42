// Single-thread specification of ringbuf::SpscRing: capacity, FIFO order, full/empty edges,
// zero-copy regions across the wrap, and index wrap past 2^32 and 2^64.
#include "ringbuf/spsc_ring.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <utility>
#include <vector>

using ringbuf::SpscRing;

namespace {

struct Frame {
  float l, r;
};

// Compile-time contract: every member but the constructor is noexcept; layout is padded.
using IntRing = SpscRing<int>;
static_assert(noexcept(std::declval<IntRing&>().try_push(1)));
static_assert(noexcept(std::declval<IntRing&>().try_pop(std::declval<int&>())));
static_assert(noexcept(std::declval<IntRing&>().push(nullptr, 0)));
static_assert(noexcept(std::declval<IntRing&>().pop(nullptr, 0)));
static_assert(noexcept(std::declval<IntRing&>().write_regions()));
static_assert(noexcept(std::declval<IntRing&>().read_regions()));
static_assert(noexcept(std::declval<IntRing&>().commit_write(0)));
static_assert(noexcept(std::declval<IntRing&>().commit_read(0)));
static_assert(noexcept(std::declval<const IntRing&>().size()));
static_assert(noexcept(std::declval<const IntRing&>().empty()));
static_assert(noexcept(std::declval<const IntRing&>().capacity()));
static_assert(noexcept(std::declval<const IntRing&>().free_space()));
static_assert(!std::is_nothrow_constructible_v<IntRing, std::size_t>);
static_assert(!std::is_copy_constructible_v<IntRing> && !std::is_copy_assignable_v<IntRing>);
static_assert(alignof(SpscRing<Frame>) == ringbuf::cache_line_size);
// Shared constants, producer line and consumer line each take a full cache line.
static_assert(sizeof(SpscRing<Frame>) >= 3 * ringbuf::cache_line_size);

std::vector<int> drain(IntRing& ring) {
  std::vector<int> out;
  int v = 0;
  while (ring.try_pop(v)) out.push_back(v);
  return out;
}

} // namespace

TEST_CASE("capacity rounds up to a power of two and rejects invalid sizes") {
  CHECK(IntRing(1).capacity() == 1);
  CHECK(IntRing(5).capacity() == 8);
  CHECK(IntRing(8).capacity() == 8);
  CHECK(IntRing(8193).capacity() == 16384);
  CHECK_THROWS_AS(IntRing(0), std::invalid_argument);
  CHECK_THROWS_AS(IntRing(std::numeric_limits<std::size_t>::max()), std::invalid_argument);
  CHECK_THROWS_AS(IntRing(std::numeric_limits<std::size_t>::max() / 2), std::invalid_argument);
}

TEST_CASE("a new ring is empty and all of it is free") {
  IntRing ring(4);
  CHECK(ring.empty());
  CHECK(ring.size() == 0);
  CHECK(ring.free_space() == 4);
  int v = -1;
  CHECK_FALSE(ring.try_pop(v));
  CHECK(v == -1);
  CHECK(ring.read_regions().size() == 0);
}

TEST_CASE("try_push fills exactly capacity slots then refuses and try_pop returns FIFO order") {
  IntRing ring(4);
  for (int i = 0; i < 4; ++i) CHECK(ring.try_push(i));
  CHECK_FALSE(ring.try_push(99));
  CHECK(ring.size() == 4);
  CHECK(ring.free_space() == 0);
  CHECK(drain(ring) == std::vector<int>{0, 1, 2, 3});
  CHECK(ring.empty());
}

TEST_CASE("bulk push copies what fits and bulk pop what is there") {
  IntRing ring(8);
  std::vector<int> src(12);
  std::iota(src.begin(), src.end(), 100);
  CHECK(ring.push(src.data(), 5) == 5);
  CHECK(ring.push(src.data() + 5, 7) == 3); // only 3 free
  CHECK(ring.push(src.data(), 1) == 0);
  CHECK(ring.push(src.data(), 0) == 0);

  std::vector<int> dst(12, -1);
  CHECK(ring.pop(dst.data(), 3) == 3);
  CHECK(ring.pop(dst.data() + 3, 12) == 5);
  CHECK(ring.pop(dst.data(), 4) == 0);
  CHECK(std::vector<int>(dst.begin(), dst.begin() + 8) ==
        std::vector<int>(src.begin(), src.begin() + 8));
}

TEST_CASE("bulk transfers across the wrap keep order") {
  IntRing ring(8);
  int counter = 0, expected = 0;
  for (int round = 0; round < 50; ++round) {
    std::vector<int> chunk(static_cast<std::size_t>(1 + round % 7));
    for (int& v : chunk) v = counter++;
    REQUIRE(ring.push(chunk.data(), chunk.size()) == chunk.size());
    std::vector<int> out(chunk.size());
    REQUIRE(ring.pop(out.data(), out.size()) == out.size());
    for (int v : out) CHECK(v == expected++);
  }
}

TEST_CASE("zero-copy regions") {
  IntRing ring(8);

  SUBCASE("an empty ring offers one region of all slots for writing and none for reading") {
    auto w = ring.write_regions();
    CHECK(w.first.size() == 8);
    CHECK(w.second.empty());
    CHECK(ring.read_regions().size() == 0);
  }

  SUBCASE("a request of zero slots gives zero-length regions and commits nothing") {
    auto w = ring.write_regions(0);
    CHECK(w.size() == 0);
    ring.commit_write(0);
    CHECK(ring.empty());
  }

  SUBCASE("both regions are used when the free space wraps") {
    std::vector<int> six{0, 1, 2, 3, 4, 5};
    REQUIRE(ring.push(six.data(), 6) == 6);
    std::vector<int> out(5);
    REQUIRE(ring.pop(out.data(), 5) == 5); // read index at 5, write index at 6

    auto w = ring.write_regions();
    REQUIRE(w.size() == 7);
    CHECK(w.first.size() == 2);  // slots 6, 7
    CHECK(w.second.size() == 5); // slots 0..4
    int next = 6;
    for (int& slot : w.first) slot = next++;
    for (int& slot : w.second) slot = next++;
    ring.commit_write(w.size());
    CHECK(ring.size() == 8);
    CHECK(ring.write_regions().size() == 0);

    auto r = ring.read_regions();
    REQUIRE(r.size() == 8);
    CHECK(r.first.size() == 3);  // slots 5, 6, 7
    CHECK(r.second.size() == 5); // slots 0..4
    std::vector<int> seen(r.first.begin(), r.first.end());
    seen.insert(seen.end(), r.second.begin(), r.second.end());
    CHECK(seen == std::vector<int>{5, 6, 7, 8, 9, 10, 11, 12});
    ring.commit_read(4);
    CHECK(ring.size() == 4);
    CHECK(drain(ring) == std::vector<int>{9, 10, 11, 12});
  }

  SUBCASE("max_n limits the regions and a partial commit publishes only that many") {
    auto w = ring.write_regions(3);
    REQUIRE(w.size() == 3);
    w.first[0] = 7;
    w.first[1] = 8;
    ring.commit_write(2);
    CHECK(ring.size() == 2);
    auto r = ring.read_regions(1);
    REQUIRE(r.size() == 1);
    CHECK(r.first[0] == 7);
    ring.commit_read(1);
    CHECK(drain(ring) == std::vector<int>{8});
  }
}

TEST_CASE("indices wrap past 2^32 and 2^64 without losing or duplicating elements") {
  const std::uint64_t starts[] = {(std::uint64_t{1} << 32) - 5, ~std::uint64_t{0} - 5,
                                  ~std::uint64_t{0}};
  for (std::uint64_t start : starts) {
    CAPTURE(start);
    IntRing ring(4, ringbuf::start_index_for_testing, start);
    CHECK(ring.empty());
    CHECK(ring.free_space() == 4);
    int counter = 0, expected = 0;
    for (int round = 0; round < 20; ++round) {
      // Fill to exactly full, then drain, crossing the wrap point on the way.
      while (ring.try_push(counter)) ++counter;
      CHECK(ring.size() == 4);
      CHECK(ring.free_space() == 0);
      int v = 0;
      while (ring.try_pop(v)) CHECK(v == expected++);
      CHECK(ring.empty());
    }
    CHECK(counter == 80);
    CHECK(ring.total_pushed() - start == 80);
    CHECK(ring.total_popped() - start == 80);
  }
}

TEST_CASE("stereo frames travel intact") {
  SpscRing<Frame> ring(8192);
  CHECK(ring.capacity() == 8192);
  std::vector<Frame> block(256);
  for (std::size_t i = 0; i < block.size(); ++i)
    block[i] = {static_cast<float>(i), -static_cast<float>(i)};
  CHECK(ring.push(block.data(), block.size()) == 256);
  std::vector<Frame> out(256);
  CHECK(ring.pop(out.data(), out.size()) == 256);
  for (std::size_t i = 0; i < out.size(); ++i) {
    CHECK(out[i].l == static_cast<float>(i));
    CHECK(out[i].r == -static_cast<float>(i));
  }
}
