// Specification of ringbuf::ShmSlotWriter / ShmSlotReader: a ring of fixed slots in
// caller-provided memory whose writer never waits and whose readers count exactly what they missed.
#include "ringbuf/shm_slot_ring.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

using ringbuf::ShmRegionCheck;
using ringbuf::ShmRingParams;
using ringbuf::ShmRingState;
using ringbuf::ShmSlotReader;
using ringbuf::ShmSlotWriter;

namespace {

static_assert(noexcept(std::declval<ShmSlotWriter&>().publish(0, nullptr, 0, 0)));
static_assert(noexcept(std::declval<ShmSlotWriter&>().heartbeat(0)));
static_assert(noexcept(std::declval<ShmSlotWriter&>().finish()));
static_assert(noexcept(std::declval<ShmSlotReader&>().read(std::span<std::byte>{})));

// A 64-byte aligned, zeroed block standing in for a shared-memory mapping.
struct Region {
  std::size_t bytes;
  std::unique_ptr<std::byte, decltype(&std::free)> memory;
  explicit Region(std::size_t n)
      : bytes(n),
        memory(static_cast<std::byte*>(std::aligned_alloc(64, (n + 63) / 64 * 64)), &std::free) {
    std::memset(memory.get(), 0, bytes);
  }
  explicit Region(const ShmRingParams& p) : Region(ShmSlotWriter::region_bytes(p)) {}
  [[nodiscard]] std::byte* data() const { return memory.get(); }
};

// Stereo-float-like frames of two 32-bit words: frame f holds (f, ~f), so any frame tells its
// own position.
struct Frame {
  std::uint32_t position;
  std::uint32_t check;
};
static_assert(sizeof(Frame) == 8);

std::vector<Frame> frames_from(std::uint64_t first, std::size_t n) {
  std::vector<Frame> out(n);
  for (std::size_t i = 0; i < n; ++i)
    out[i] = {static_cast<std::uint32_t>(first + i), ~static_cast<std::uint32_t>(first + i)};
  return out;
}

ShmRingParams small(std::uint32_t slots, std::uint32_t frames_per_slot) {
  return {slots, frames_per_slot * 8, 8, 48000, 2};
}

} // namespace

TEST_CASE("parameters are checked and the region size follows from them") {
  const ShmRingParams p = small(4, 8);
  // 128-byte control block, then 4 slots of a 64-byte header and 64 bytes of payload.
  CHECK(ShmSlotWriter::region_bytes(p) == 128 + 4 * (64 + 64));
  CHECK(ShmSlotWriter::region_bytes(small(2, 9)) == 128 + 2 * (64 + 128)); // payload rounded up
  CHECK_THROWS_AS(ShmSlotWriter::region_bytes(small(1, 8)), std::invalid_argument);
  CHECK_THROWS_AS(ShmSlotWriter::region_bytes({4, 12, 4, 0, 0}), std::invalid_argument);
  CHECK_THROWS_AS(ShmSlotWriter::region_bytes({4, 8, 16, 0, 0}), std::invalid_argument);
  CHECK_THROWS_AS(ShmSlotWriter::region_bytes({1u << 31, 1u << 16, 8, 0, 0}),
                  std::invalid_argument);

  Region region(p);
  CHECK_THROWS_AS(ShmSlotWriter(region.data(), region.bytes - 1, p, 1, 0), std::invalid_argument);
  CHECK_THROWS_AS(ShmSlotWriter(region.data() + 8, region.bytes - 64, p, 1, 0),
                  std::invalid_argument);
}

TEST_CASE("a reader attaches only to a formatted ring of this layout") {
  const ShmRingParams p = small(4, 8);
  Region region(p);
  CHECK(ShmSlotReader::check(region.data(), region.bytes) == ShmRegionCheck::not_ready);
  CHECK(ShmSlotReader::check(region.data(), 100) == ShmRegionCheck::not_ready);
  CHECK_THROWS_AS(ShmSlotReader(region.data(), region.bytes), std::invalid_argument);

  ShmSlotWriter writer(region.data(), region.bytes, p, 4242, 777);
  CHECK(ShmSlotReader::check(region.data(), region.bytes) == ShmRegionCheck::ready);
  CHECK(ShmSlotReader::check(region.data(), region.bytes - 1) == ShmRegionCheck::incompatible);
  ShmSlotReader reader(region.data(), region.bytes);
  CHECK(reader.params().slot_count == 4);
  CHECK(reader.params().slot_payload_bytes == 64);
  CHECK(reader.params().rate == 48000);
  CHECK(reader.params().channels == 2);
  CHECK(reader.writer_pid() == 4242);
  CHECK(reader.heartbeat_ns() == 777);
  CHECK(reader.state() == ShmRingState::running);

  region.data()[0] = std::byte{0x55}; // another magic word
  CHECK(ShmSlotReader::check(region.data(), region.bytes) == ShmRegionCheck::incompatible);
}

TEST_CASE("a reader that keeps up copies every slot with its header and misses nothing") {
  const ShmRingParams p = small(4, 8);
  Region region(p);
  ShmSlotWriter writer(region.data(), region.bytes, p, 1, 0);
  ShmSlotReader reader(region.data(), region.bytes);
  std::vector<Frame> out(8);
  const std::span<std::byte> dst(reinterpret_cast<std::byte*>(out.data()), 64);

  auto r = reader.read(dst);
  CHECK_FALSE(r.copied);
  CHECK(r.missed == 0);

  for (std::uint64_t block = 0; block < 10; ++block) {
    const auto in = frames_from(block * 5, 5);
    CHECK(writer.publish(block * 5, in.data(), 5, 1000 + std::int64_t(block)) == 1);
    r = reader.read(dst);
    REQUIRE(r.copied);
    CHECK(r.missed == 0);
    CHECK(r.slot.sequence == block);
    CHECK(r.slot.first_frame == block * 5);
    CHECK(r.slot.frames == 5);
    CHECK(r.slot.bytes == 40);
    CHECK(r.slot.timestamp_ns == 1000 + std::int64_t(block));
    CHECK(out[4].position == block * 5 + 4);
    CHECK(out[4].check == ~std::uint32_t(block * 5 + 4));
  }
  CHECK(writer.published() == 10);
  CHECK(reader.published() == 10);
  CHECK(reader.heartbeat_ns() == 1009);
  CHECK_FALSE(reader.read(dst).copied);
}

TEST_CASE("a lapped reader is told exactly how many slots it missed") {
  const ShmRingParams p = small(4, 8);
  Region region(p);
  ShmSlotWriter writer(region.data(), region.bytes, p, 1, 0);
  ShmSlotReader reader(region.data(), region.bytes); // cursor 0
  std::vector<Frame> out(8);
  const std::span<std::byte> dst(reinterpret_cast<std::byte*>(out.data()), 64);
  const auto in = frames_from(0, 8);

  for (std::uint64_t s = 0; s < 10; ++s) writer.publish(s * 8, in.data(), 8, 0); // holds 6..9
  auto r = reader.read(dst);
  REQUIRE(r.copied);
  CHECK(r.missed == 6);
  CHECK(r.slot.sequence == 6);
  CHECK(r.slot.first_frame == 48);
  for (std::uint64_t s = 7; s < 10; ++s) {
    r = reader.read(dst);
    CHECK(r.copied);
    CHECK(r.missed == 0);
    CHECK(r.slot.sequence == s);
  }

  for (std::uint64_t s = 10; s < 110; ++s) writer.publish(s * 8, in.data(), 8, 0); // 106..109
  r = reader.read(dst);
  CHECK(r.missed == 96);
  CHECK(r.slot.sequence == 106);
  std::uint64_t copied = 1, missed = r.missed;
  while ((r = reader.read(dst)).copied) ++copied, missed += r.missed;
  CHECK(copied == 4);
  CHECK(missed == 96);
  CHECK(reader.cursor() == 110);

  // A reader that starts at the newest sees only what follows; one at the oldest, the last 4.
  ShmSlotReader late(region.data(), region.bytes, ShmSlotReader::Start::newest);
  CHECK(late.cursor() == 110);
  CHECK_FALSE(late.read(dst).copied);
  ShmSlotReader early(region.data(), region.bytes, ShmSlotReader::Start::oldest);
  CHECK(early.cursor() == 106);
}

TEST_CASE("a reader knows the timeline position it starts at, even when lapped before it reads") {
  const ShmRingParams p = small(4, 8);
  Region region(p);
  ShmSlotWriter writer(region.data(), region.bytes, p, 1, 0);
  const auto in = frames_from(0, 8);

  // Attached to an empty ring: unknown until the first slot is published, then that slot's.
  ShmSlotReader first(region.data(), region.bytes);
  CHECK_FALSE(first.start_frame().has_value());
  for (std::uint64_t s = 0; s < 6; ++s) writer.publish(1000 + s * 8, in.data(), 8, 0); // 2..5
  CHECK(first.start_frame() == 1000);

  // Attached to a ring that has dropped its first slots: the oldest slot it still holds.
  ShmSlotReader oldest(region.data(), region.bytes, ShmSlotReader::Start::oldest);
  CHECK(oldest.cursor() == 2);
  CHECK(oldest.start_frame() == 1016);
  // Attached at the newest: the frame after the newest slot published.
  ShmSlotReader newest(region.data(), region.bytes, ShmSlotReader::Start::newest);
  CHECK(newest.cursor() == 6);
  CHECK(newest.start_frame() == 1048);

  // Lapping the readers before they read changes none of it.
  for (std::uint64_t s = 6; s < 20; ++s) writer.publish(1000 + s * 8, in.data(), 8, 0);
  std::vector<Frame> out(8);
  const std::span<std::byte> dst(reinterpret_cast<std::byte*>(out.data()), 64);
  for (ShmSlotReader* reader : {&first, &oldest, &newest}) {
    const std::uint64_t start = reader->cursor();
    const auto r = reader->read(dst);
    REQUIRE(r.copied);
    CHECK(r.missed == r.slot.sequence - start);
    CHECK(r.slot.first_frame - *reader->start_frame() == r.missed * 8);
  }
  CHECK(first.start_frame() == 1000);
  CHECK(oldest.start_frame() == 1016);
  CHECK(newest.start_frame() == 1048);
}

TEST_CASE("a block bigger than a slot is split into consecutive slots, never inside a frame") {
  const ShmRingParams p = small(8, 8); // 8 frames per slot
  Region region(p);
  ShmSlotWriter writer(region.data(), region.bytes, p, 1, 0);
  CHECK(writer.slot_frames() == 8);
  ShmSlotReader reader(region.data(), region.bytes);
  const auto in = frames_from(1000, 20);
  CHECK(writer.publish(1000, in.data(), 20, 5) == 3); // 8 + 8 + 4
  CHECK(writer.published() == 3);

  std::vector<Frame> out(8);
  const std::span<std::byte> dst(reinterpret_cast<std::byte*>(out.data()), 64);
  std::uint64_t expected = 1000;
  for (const std::uint64_t frames : {8u, 8u, 4u}) {
    const auto r = reader.read(dst);
    REQUIRE(r.copied);
    CHECK(r.slot.first_frame == expected);
    CHECK(r.slot.frames == frames);
    CHECK(r.slot.bytes == frames * 8);
    for (std::size_t i = 0; i < frames; ++i) CHECK(out[i].position == expected + i);
    expected += frames;
  }

  // Silence: a null source publishes zero bytes, split the same way.
  CHECK(writer.publish(1020, nullptr, 12, 6) == 2);
  auto r = reader.read(dst);
  CHECK(r.slot.frames == 8);
  CHECK(out[7].position == 0);
  CHECK(out[7].check == 0);
  r = reader.read(dst);
  CHECK(r.slot.first_frame == 1028);
  CHECK(r.slot.frames == 4);
  CHECK(writer.publish(0, nullptr, 0, 7) == 0); // nothing: no slot, but a heartbeat
  CHECK(reader.heartbeat_ns() == 7);
}

TEST_CASE("a slot the writer is filling is not read, and a finished ring says so") {
  const ShmRingParams p = small(4, 8);
  Region region(p);
  ShmSlotWriter writer(region.data(), region.bytes, p, 1, 0);
  ShmSlotReader reader(region.data(), region.bytes);
  const auto in = frames_from(0, 8);
  writer.publish(0, in.data(), 8, 0);

  // Slot 1 as a writer that died half-way through it leaves it: an odd tag, published still 1.
  auto* slot1 = reinterpret_cast<std::atomic<std::uint64_t>*>(region.data() + 128 + 128);
  slot1->store(2 * (1 + 1) - 1);
  std::vector<Frame> out(8);
  const std::span<std::byte> dst(reinterpret_cast<std::byte*>(out.data()), 64);
  CHECK(reader.read(dst).copied);
  const auto r = reader.read(dst);
  CHECK_FALSE(r.copied);
  CHECK(r.missed == 0);
  CHECK(reader.state() == ShmRingState::running);
  writer.finish();
  CHECK(reader.state() == ShmRingState::finished);
}

TEST_CASE("a reader racing the writer copies only whole slots and counts every other as missed") {
  // 2 slots of 512 frames: the writer laps the reader constantly, so a reader that could not tell
  // a torn slot would copy mixed words. Every word of slot s holds s; the header agrees.
  // 200000 slots; 20000 under ThreadSanitizer, which sees every interleaving in those already and
  // took 38 s of both cores for 200000.
#if defined(__SANITIZE_THREAD__)
  constexpr std::uint64_t total = 20'000;
#else
  constexpr std::uint64_t total = 200'000;
#endif
  const ShmRingParams p = small(2, 512);
  Region region(p);
  ShmSlotWriter writer(region.data(), region.bytes, p, 1, 0);
  ShmSlotReader reader(region.data(), region.bytes);
  std::atomic<bool> done{false};

  std::thread producer([&] {
    std::vector<std::uint64_t> block(512);
    for (std::uint64_t s = 0; s < total; ++s) {
      std::fill(block.begin(), block.end(), s);
      writer.publish(s * 512, block.data(), 512, std::int64_t(s));
    }
    writer.finish();
    done.store(true, std::memory_order_release);
  });

  std::vector<std::uint64_t> out(512);
  const std::span<std::byte> dst(reinterpret_cast<std::byte*>(out.data()), 512 * 8);
  std::uint64_t copied = 0, missed = 0, torn = 0, expected = 0;
  for (;;) {
    const bool finished = done.load(std::memory_order_acquire);
    const auto r = reader.read(dst);
    missed += r.missed;
    if (!r.copied) {
      if (finished && r.missed == 0) break;
      continue;
    }
    const std::uint64_t s = r.slot.sequence;
    if (s != expected + r.missed || r.slot.first_frame != s * 512 || r.slot.frames != 512 ||
        r.slot.timestamp_ns != std::int64_t(s))
      ++torn;
    for (const std::uint64_t word : out)
      if (word != s) {
        ++torn;
        break;
      }
    ++copied;
    expected = s + 1;
  }
  producer.join();

  CHECK(torn == 0);
  CHECK(copied + missed == total);
  CHECK(reader.cursor() == total);
  CHECK(reader.state() == ShmRingState::finished);
  MESSAGE("copied " << copied << ", missed " << missed);
}
