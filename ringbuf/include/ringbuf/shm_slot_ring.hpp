// ringbuf/shm_slot_ring.hpp - a ring of fixed slots in caller-provided memory (POSIX shared
// memory): one writer that never waits, any number of readers in other processes that copy slots
// out and learn, exactly, how many they missed.
//
// Design
//   * The region holds a control block (128 bytes: the ring's constant parameters, then the hot
//     words: slots published, writer heartbeat, state) followed by `slot_count` slots. A slot is
//     a 64-byte header {sequence tag, payload bytes, timestamp, first frame, frames} and a payload
//     of `slot_payload_bytes`, rounded up to whole cache lines.
//   * Slot number s (s = 0, 1, 2, ... counted by the writer) lives in slot s % slot_count, with
//     a per-slot seqlock: its tag is 2(s+1) once slot s is complete there, 2(s+1)-1
//     while the writer fills it, 0 before first use. A reader copies header and payload between
//     two loads of the tag and keeps the copy only if both show exactly the tag it expected.
//   * Everything a reader may see while the writer changes it is a std::atomic word that is
//     lock-free, hence address-free: the same object works mapped at different addresses in
//     different processes, and plain 8-byte loads work on a read-only mapping (readers never
//     write: a reader cannot disturb the writer or another reader).
//   * The writer never reads reader state: a stopped, slow or crashed reader costs it nothing.
//     A reader's cursor is the sequence of the next slot it wants; when the writer has moved more
//     than slot_count past it, or it meets a newer tag than expected, it was lapped and skips to
//     the oldest slot still held, counting the skipped sequences as missed.
//   * A reader knows where in the writer's timeline it starts, so it can count the frames it
//     missed before its first copy too: the first slot's first frame is kept in the control block
//     (stored before published() first becomes 1), and a reader that attaches later reads the
//     header of the slot it starts at (or, starting at the newest, the end of the slot before).
//   * Initialisation: the writer formats the region and stores the magic word last (release), so
//     a reader that sees the magic sees every constant parameter.
//
// Invariants: published() only grows; slot s is readable iff published() - slot_count <= s <
// published() and its tag is 2(s+1). The state becomes `finished` only after the last publish.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>
#include <optional>
#include <span>
#include <stdexcept>
#include <type_traits>

namespace ringbuf {

/// The constant parameters of a ShmSlotRing, chosen by its writer and read by every reader.
struct ShmRingParams {
  std::uint32_t slot_count = 256;          ///< Slots in the ring; at least 2.
  std::uint32_t slot_payload_bytes = 8192; ///< Payload capacity of one slot; a multiple of 8.
  std::uint32_t frame_bytes = 8;           ///< Size of the unit publish() never splits (a frame).
  std::uint32_t rate = 0;                  ///< Frames per second, for readers (not used here).
  std::uint32_t channels = 0;              ///< Channels per frame, for readers (not used here).
};

/// The writer's state as readers see it.
enum class ShmRingState : std::uint32_t {
  running = 1,  ///< The writer may publish more.
  finished = 2, ///< The writer has published its last slot.
};

/// The header of one published slot, as a reader copied it.
struct ShmSlotInfo {
  std::uint64_t sequence = 0;    ///< Slot number: 0 for the first slot ever published.
  std::uint64_t bytes = 0;       ///< Payload bytes (frames * frame_bytes).
  std::int64_t timestamp_ns = 0; ///< The writer's clock when it published the slot.
  std::uint64_t first_frame = 0; ///< Timeline position of the payload's first frame.
  std::uint64_t frames = 0;      ///< Frames in the payload.
};

/// What one ShmSlotReader::read() call produced.
struct ShmSlotRead {
  bool copied = false;      ///< A slot was copied: `slot` and the destination hold it.
  std::uint64_t missed = 0; ///< Slots overwritten before this reader could copy them.
  ShmSlotInfo slot;         ///< The copied slot's header (when copied).
};

/// What a region holds, before a reader attaches to it.
enum class ShmRegionCheck {
  ready,        ///< A formatted ring of this layout version that fits the region.
  not_ready,    ///< Too small for a control block, or not yet formatted (no magic word yet).
  incompatible, ///< Another layout: wrong magic or version, or parameters that do not fit.
};

/// The writer of a ring in a caller-provided region. One thread of one process publishes;
/// heartbeat() may come from any thread of that process.
class ShmSlotWriter {
public:
  /// Returns: the bytes a region needs for `params`. Throws: std::invalid_argument for unusable
  /// parameters (fewer than 2 slots, a payload that is not a positive multiple of 8 or holds no
  /// frame, or a ring larger than 2^40 bytes).
  static std::size_t region_bytes(const ShmRingParams& params);

  /// Effects: formats `region` (64-byte aligned, `bytes` long, writable; normally an mmap of a
  /// fresh shared-memory object) as an empty running ring with `params`, writing every byte of
  /// it (so no page faults later), the magic word last. `writer_pid` and `now_ns` (the first
  /// heartbeat) are stored for readers. Throws: std::invalid_argument for bad params, a region
  /// that is too small or misaligned. Not real-time safe (touches the whole region).
  ShmSlotWriter(void* region, std::size_t bytes, const ShmRingParams& params,
                std::int64_t writer_pid, std::int64_t now_ns);

  ShmSlotWriter(const ShmSlotWriter&) = delete;
  ShmSlotWriter& operator=(const ShmSlotWriter&) = delete;

  /// Writer only. Effects: publishes `frames` frames of `data` (frames * frame_bytes bytes)
  /// whose first is at `first_frame` in the writer's timeline, as consecutive slots of at most
  /// slot_frames() frames each (a block bigger than a slot is split, never a frame), each
  /// stamped `now_ns`, which also becomes the heartbeat. `data` null: silence (zero bytes).
  /// Returns: the number of slots published. Non-blocking guarantee: wait-free (a bounded copy
  /// per slot); never waits for, or reads anything of, readers; does not allocate.
  std::size_t publish(std::uint64_t first_frame, const void* data, std::size_t frames,
                      std::int64_t now_ns) noexcept;

  /// Any thread of the writer's process. Effects: stores `now_ns` as the heartbeat readers use to
  /// tell a live writer from a dead one. Non-blocking guarantee: wait-free.
  void heartbeat(std::int64_t now_ns) noexcept;

  /// Writer only, after its last publish(). Effects: marks the ring finished, so readers end
  /// once they have read what is still held. Non-blocking guarantee: wait-free.
  void finish() noexcept;

  /// Any thread. Returns: slots published so far (the next sequence). Wait-free.
  [[nodiscard]] std::uint64_t published() const noexcept;
  /// Any thread. Returns: frames that fit one slot (slot_payload_bytes / frame_bytes); constant.
  [[nodiscard]] std::size_t slot_frames() const noexcept { return slot_frames_; }
  /// Any thread. Returns: the parameters the ring was formatted with; constant.
  [[nodiscard]] const ShmRingParams& params() const noexcept { return params_; }

  // ================================================================ implementation details
private:
  void publish_one(std::uint64_t first_frame, const std::byte* data, std::size_t frames,
                   std::int64_t now_ns) noexcept;

  std::byte* region_;
  ShmRingParams params_;
  std::size_t slot_frames_;
  std::uint64_t next_ = 0; // the writer's own copy of published()
};

/// A reader of a ring formatted by a ShmSlotWriter, possibly in another process, through a
/// read-only mapping. Each reader object has its own cursor and is used by one thread at a time;
/// any number of readers may read the same ring.
class ShmSlotReader {
public:
  /// Where a new reader starts.
  enum class Start {
    oldest, ///< At the oldest slot still held (everything the ring still has).
    newest, ///< At the next slot to be published (only what comes next).
  };

  /// Any thread. Returns: whether `region` (`bytes` long) holds a ring a reader can attach to.
  /// Safe on any readable region of any content.
  [[nodiscard]] static ShmRegionCheck check(const void* region, std::size_t bytes) noexcept;

  /// Effects: attaches to the ring in `region`; the cursor starts as `start` says.
  /// Preconditions: the region stays mapped while the reader exists.
  /// Throws: std::invalid_argument unless check(region, bytes) is ready.
  ShmSlotReader(const void* region, std::size_t bytes, Start start = Start::oldest);

  /// Reader. Effects: copies the slot at the cursor (its payload to `dst`, at most dst.size()
  /// bytes; give it slot_payload_bytes) and advances the cursor past it. If that slot was
  /// overwritten, first skips to the oldest slot still held and counts the skipped sequences in
  /// `missed`. Returns: copied = false when nothing new is published yet (missed may still be
  /// nonzero). Non-blocking guarantee: lock-free (retries only when the writer laps it).
  ShmSlotRead read(std::span<std::byte> dst) noexcept;

  /// Reader. Returns: the sequence of the next slot this reader wants.
  [[nodiscard]] std::uint64_t cursor() const noexcept { return cursor_; }
  /// Reader. Returns: the timeline position this reader started at: the first frame of the slot
  /// it attached at (Start::oldest), or the frame after the newest slot then published
  /// (Start::newest); nullopt while the writer has published nothing since an attach to an empty
  /// ring. Laps do not change it, so (first frame copied) - start_frame() counts the frames
  /// missed before the first copy. Wait-free.
  [[nodiscard]] std::optional<std::uint64_t> start_frame() const noexcept;
  /// Any thread. Returns: slots the writer has published so far.
  [[nodiscard]] std::uint64_t published() const noexcept;
  /// Any thread. Returns: the writer's state. Once `finished` is seen, published() is final.
  [[nodiscard]] ShmRingState state() const noexcept;
  /// Any thread. Returns: the writer's last heartbeat (its clock, ns).
  [[nodiscard]] std::int64_t heartbeat_ns() const noexcept;
  /// Any thread. Returns: the writer's process id as it stored it.
  [[nodiscard]] std::int64_t writer_pid() const noexcept;
  /// Any thread. Returns: the ring's parameters; constant.
  [[nodiscard]] const ShmRingParams& params() const noexcept { return params_; }

  // ================================================================ implementation details
private:
  enum class Outcome { copied, not_yet_written, overwritten };
  std::uint64_t skip_overwritten(bool lapped) noexcept;
  void find_start_frame(Start start) noexcept;
  Outcome read_one(std::uint64_t s, std::span<std::byte> dst, ShmSlotInfo& info) const noexcept;

  const std::byte* region_;
  ShmRingParams params_;
  std::uint64_t cursor_ = 0;
  std::uint64_t start_sequence_ = 0;
  std::optional<std::uint64_t> start_frame_; // known at attach unless the ring was empty
};

// ================================================================ implementation details

namespace shm_detail {

using Word = std::atomic<std::uint64_t>;
static_assert(Word::is_always_lock_free, "shared words must be lock-free to be address-free");
static_assert(std::atomic<std::int64_t>::is_always_lock_free);
static_assert(std::atomic<std::uint32_t>::is_always_lock_free);
static_assert(sizeof(Word) == 8 && alignof(Word) == 8);

inline constexpr std::uint64_t magic = 0x3170'6174'6372'6372; // "rcrctap1", little-endian
inline constexpr std::uint32_t version = 2;
inline constexpr std::size_t line = 64;
inline constexpr std::uint64_t max_region_bytes = std::uint64_t{1} << 40;

// Offset 0 of the region. Constant fields are written before `magic` is published.
struct ControlBlock {
  Word magic_word;                  // magic once formatted (stored last, release)
  std::uint32_t layout_version;     // version
  std::uint32_t control_bytes;      // sizeof(ControlBlock)
  std::uint32_t slot_count;         //
  std::uint32_t slot_payload_bytes; //
  std::uint32_t frame_bytes;        //
  std::uint32_t rate;               //
  std::uint32_t channels;           //
  std::uint32_t reserved0;          //
  std::int64_t writer_pid;          //
  std::uint64_t slot_stride;        // bytes from one slot to the next
  std::uint64_t region_bytes;       // the whole region; the first line ends here
  Word published;                   // slots published (the next sequence)
  std::atomic<std::int64_t> heartbeat_ns;
  std::atomic<std::uint32_t> state; // ShmRingState
  std::uint32_t reserved1;
  Word origin_frame; // first frame of slot 0, stored before published first becomes 1
  std::uint8_t pad1[line - 32];
};
static_assert(std::is_standard_layout_v<ControlBlock>);
static_assert(sizeof(ControlBlock) == 2 * line);
static_assert(offsetof(ControlBlock, slot_count) == 16);
static_assert(offsetof(ControlBlock, writer_pid) == 40);
static_assert(offsetof(ControlBlock, published) == line);
static_assert(offsetof(ControlBlock, heartbeat_ns) == line + 8);
static_assert(offsetof(ControlBlock, state) == line + 16);
static_assert(offsetof(ControlBlock, origin_frame) == line + 24);

// The first cache line of a slot; the payload words follow it.
struct SlotHeader {
  Word tag;          // 2(s+1) complete, 2(s+1)-1 being written, 0 never used
  Word bytes;        // payload bytes
  Word timestamp_ns; // bit pattern of an int64
  Word first_frame;  //
  Word frames;       //
  std::uint8_t pad[line - 40];
};
static_assert(std::is_standard_layout_v<SlotHeader>);
static_assert(sizeof(SlotHeader) == line);
static_assert(offsetof(SlotHeader, frames) == 32);

constexpr std::uint64_t round_up(std::uint64_t n, std::uint64_t to) {
  return (n + to - 1) / to * to;
}

constexpr std::uint64_t stride_for(std::uint32_t payload_bytes) {
  return sizeof(SlotHeader) + round_up(payload_bytes, line);
}

inline const ControlBlock* control(const std::byte* region) noexcept {
  return std::launder(reinterpret_cast<const ControlBlock*>(region));
}
inline ControlBlock* control(std::byte* region) noexcept {
  return std::launder(reinterpret_cast<ControlBlock*>(region));
}
inline const SlotHeader* slot_at(const std::byte* region, std::uint64_t stride,
                                 std::uint64_t index) noexcept {
  return std::launder(
      reinterpret_cast<const SlotHeader*>(region + sizeof(ControlBlock) + index * stride));
}
inline SlotHeader* slot_at(std::byte* region, std::uint64_t stride, std::uint64_t index) noexcept {
  return std::launder(
      reinterpret_cast<SlotHeader*>(region + sizeof(ControlBlock) + index * stride));
}
inline const Word* payload_of(const SlotHeader* slot) noexcept {
  return std::launder(reinterpret_cast<const Word*>(slot + 1));
}
inline Word* payload_of(SlotHeader* slot) noexcept {
  return std::launder(reinterpret_cast<Word*>(slot + 1));
}

// Returns an empty string for usable parameters, else what is wrong.
inline const char* params_problem(const ShmRingParams& p) noexcept {
  if (p.slot_count < 2) return "ShmSlotRing: at least 2 slots";
  if (p.slot_payload_bytes == 0 || p.slot_payload_bytes % 8 != 0)
    return "ShmSlotRing: slot payload must be a positive multiple of 8 bytes";
  if (p.frame_bytes == 0 || p.frame_bytes > p.slot_payload_bytes)
    return "ShmSlotRing: a slot must hold at least one frame";
  if (sizeof(ControlBlock) + std::uint64_t{p.slot_count} * stride_for(p.slot_payload_bytes) >
      max_region_bytes)
    return "ShmSlotRing: ring too large";
  return "";
}

} // namespace shm_detail

inline std::size_t ShmSlotWriter::region_bytes(const ShmRingParams& params) {
  using namespace shm_detail;
  if (const char* problem = params_problem(params); *problem) throw std::invalid_argument(problem);
  return static_cast<std::size_t>(sizeof(ControlBlock) + std::uint64_t{params.slot_count} *
                                                             stride_for(params.slot_payload_bytes));
}

inline ShmSlotWriter::ShmSlotWriter(void* region, std::size_t bytes, const ShmRingParams& params,
                                    std::int64_t writer_pid, std::int64_t now_ns)
    : region_(static_cast<std::byte*>(region)), params_(params),
      slot_frames_(params.frame_bytes ? params.slot_payload_bytes / params.frame_bytes : 0) {
  using namespace shm_detail;
  const std::size_t needed = region_bytes(params);
  if (region == nullptr || bytes < needed)
    throw std::invalid_argument("ShmSlotWriter: region smaller than region_bytes(params)");
  if (reinterpret_cast<std::uintptr_t>(region) % line != 0)
    throw std::invalid_argument("ShmSlotWriter: region not 64-byte aligned");

  std::memset(region_, 0, needed); // touches every page now, not on the worker's first publish
  auto* c = new (region_) ControlBlock{};
  c->layout_version = version;
  c->control_bytes = sizeof(ControlBlock);
  c->slot_count = params.slot_count;
  c->slot_payload_bytes = params.slot_payload_bytes;
  c->frame_bytes = params.frame_bytes;
  c->rate = params.rate;
  c->channels = params.channels;
  c->writer_pid = writer_pid;
  c->slot_stride = stride_for(params.slot_payload_bytes);
  c->region_bytes = needed;
  c->published.store(0, std::memory_order_relaxed);
  c->origin_frame.store(0, std::memory_order_relaxed);
  c->heartbeat_ns.store(now_ns, std::memory_order_relaxed);
  c->state.store(static_cast<std::uint32_t>(ShmRingState::running), std::memory_order_relaxed);
  const std::uint64_t words = c->slot_stride / 8 - sizeof(SlotHeader) / 8;
  for (std::uint64_t i = 0; i < params.slot_count; ++i) {
    auto* slot = new (region_ + sizeof(ControlBlock) + i * c->slot_stride) SlotHeader{};
    auto* payload = reinterpret_cast<std::byte*>(slot + 1);
    for (std::uint64_t w = 0; w < words; ++w) new (payload + 8 * w) Word{0};
  }
  c->magic_word.store(magic, std::memory_order_release); // readers may attach from here on
}

inline std::size_t ShmSlotWriter::publish(std::uint64_t first_frame, const void* data,
                                          std::size_t frames, std::int64_t now_ns) noexcept {
  const auto* bytes = static_cast<const std::byte*>(data);
  std::size_t slots = 0;
  while (frames > 0) {
    const std::size_t n = std::min(frames, slot_frames_);
    publish_one(first_frame, bytes, n, now_ns);
    first_frame += n;
    frames -= n;
    if (bytes) bytes += n * params_.frame_bytes;
    ++slots;
  }
  heartbeat(now_ns);
  return slots;
}

inline void ShmSlotWriter::publish_one(std::uint64_t first_frame, const std::byte* data,
                                       std::size_t frames, std::int64_t now_ns) noexcept {
  using namespace shm_detail;
  ControlBlock* c = control(region_);
  const std::uint64_t s = next_;
  SlotHeader* slot = slot_at(region_, c->slot_stride, s % params_.slot_count);
  Word* payload = payload_of(slot);
  const std::size_t bytes = frames * params_.frame_bytes;

  slot->tag.store(2 * (s + 1) - 1, std::memory_order_relaxed);
  // Release on every later word orders the "writing" tag before it: a reader whose acquire load
  // sees any new word also sees a tag other than the one it expected.
  slot->bytes.store(bytes, std::memory_order_release);
  slot->timestamp_ns.store(static_cast<std::uint64_t>(now_ns), std::memory_order_release);
  slot->first_frame.store(first_frame, std::memory_order_release);
  slot->frames.store(frames, std::memory_order_release);
  const std::size_t whole = bytes / 8;
  for (std::size_t w = 0; w < whole; ++w) {
    std::uint64_t word = 0;
    if (data) std::memcpy(&word, data + 8 * w, 8);
    payload[w].store(word, std::memory_order_release);
  }
  if (const std::size_t rest = bytes % 8) {
    std::uint64_t word = 0;
    if (data) std::memcpy(&word, data + 8 * whole, rest);
    payload[whole].store(word, std::memory_order_release);
  }
  slot->tag.store(2 * (s + 1), std::memory_order_release);
  if (s == 0) c->origin_frame.store(first_frame, std::memory_order_relaxed); // published releases
  next_ = s + 1;
  c->published.store(next_, std::memory_order_release);
}

inline void ShmSlotWriter::heartbeat(std::int64_t now_ns) noexcept {
  shm_detail::control(region_)->heartbeat_ns.store(now_ns, std::memory_order_release);
}

inline void ShmSlotWriter::finish() noexcept {
  // Release: a reader that sees `finished` also sees the final published count.
  shm_detail::control(region_)->state.store(static_cast<std::uint32_t>(ShmRingState::finished),
                                            std::memory_order_release);
}

inline std::uint64_t ShmSlotWriter::published() const noexcept {
  return shm_detail::control(region_)->published.load(std::memory_order_acquire);
}

inline ShmRegionCheck ShmSlotReader::check(const void* region, std::size_t bytes) noexcept {
  using namespace shm_detail;
  if (region == nullptr || bytes < sizeof(ControlBlock) ||
      reinterpret_cast<std::uintptr_t>(region) % line != 0)
    return ShmRegionCheck::not_ready;
  const ControlBlock* c = control(static_cast<const std::byte*>(region));
  const std::uint64_t m = c->magic_word.load(std::memory_order_acquire);
  if (m == 0) return ShmRegionCheck::not_ready;
  if (m != magic || c->layout_version != version || c->control_bytes != sizeof(ControlBlock))
    return ShmRegionCheck::incompatible;
  const ShmRingParams p{c->slot_count, c->slot_payload_bytes, c->frame_bytes, c->rate, c->channels};
  if (*params_problem(p) || c->slot_stride != stride_for(p.slot_payload_bytes) ||
      c->region_bytes != sizeof(ControlBlock) + std::uint64_t{p.slot_count} * c->slot_stride ||
      c->region_bytes > bytes)
    return ShmRegionCheck::incompatible;
  return ShmRegionCheck::ready;
}

inline ShmSlotReader::ShmSlotReader(const void* region, std::size_t bytes, Start start)
    : region_(static_cast<const std::byte*>(region)) {
  if (check(region, bytes) != ShmRegionCheck::ready)
    throw std::invalid_argument("ShmSlotReader: the region holds no ring of this layout");
  const shm_detail::ControlBlock* c = shm_detail::control(region_);
  params_ = {c->slot_count, c->slot_payload_bytes, c->frame_bytes, c->rate, c->channels};
  const std::uint64_t p = published();
  cursor_ = start == Start::newest ? p : (p > params_.slot_count ? p - params_.slot_count : 0);
  find_start_frame(start);
}

// Learns where the reader starts while the slot that tells it is still held. Attached at
// sequence 0, the origin word tells it (once published). Otherwise it reads the header of the
// slot at the cursor (oldest) or before it (newest); a writer that overwrites that slot first
// moves the start on: as if the reader had attached a moment later.
inline void ShmSlotReader::find_start_frame(Start start) noexcept {
  ShmSlotInfo info;
  while (cursor_ > 0) { // at 0, the origin word tells (start_frame())
    const bool oldest = start == Start::oldest;
    const Outcome o = read_one(oldest ? cursor_ : cursor_ - 1, {}, info);
    if (o == Outcome::copied) {
      start_frame_ = oldest ? info.first_frame : info.first_frame + info.frames;
      break;
    }
    if (o == Outcome::not_yet_written) break; // not for a published slot: a damaged ring
    if (oldest)
      skip_overwritten(true);
    else
      cursor_ = published();
  }
  start_sequence_ = cursor_;
}

inline std::optional<std::uint64_t> ShmSlotReader::start_frame() const noexcept {
  if (start_sequence_ > 0) return start_frame_;
  if (published() == 0) return std::nullopt; // acquire: the origin word is stored before
  return shm_detail::control(region_)->origin_frame.load(std::memory_order_relaxed);
}

inline ShmSlotRead ShmSlotReader::read(std::span<std::byte> dst) noexcept {
  ShmSlotRead result;
  result.missed = skip_overwritten(false);
  for (;;) {
    switch (read_one(cursor_, dst, result.slot)) {
    case Outcome::not_yet_written:
      return result;
    case Outcome::overwritten:
      result.missed += skip_overwritten(true);
      continue;
    case Outcome::copied:
      result.copied = true;
      ++cursor_;
      return result;
    }
  }
}

inline std::uint64_t ShmSlotReader::published() const noexcept {
  return shm_detail::control(region_)->published.load(std::memory_order_acquire);
}

inline ShmRingState ShmSlotReader::state() const noexcept {
  return static_cast<ShmRingState>(
      shm_detail::control(region_)->state.load(std::memory_order_acquire));
}

inline std::int64_t ShmSlotReader::heartbeat_ns() const noexcept {
  return shm_detail::control(region_)->heartbeat_ns.load(std::memory_order_acquire);
}

inline std::int64_t ShmSlotReader::writer_pid() const noexcept {
  return shm_detail::control(region_)->writer_pid;
}

// Moves the cursor to the oldest slot still held if it has fallen behind; returns the number of
// slots skipped. After a detected lap the oldest slot is the next to be overwritten, so start one
// further in to make progress against a busy writer.
inline std::uint64_t ShmSlotReader::skip_overwritten(bool lapped) noexcept {
  const std::uint64_t w = published();
  std::uint64_t oldest = w > params_.slot_count ? w - params_.slot_count : 0;
  if (lapped && oldest < w) ++oldest;
  if (cursor_ >= oldest) return 0;
  const std::uint64_t skipped = oldest - cursor_;
  cursor_ = oldest;
  return skipped;
}

inline ShmSlotReader::Outcome ShmSlotReader::read_one(std::uint64_t s, std::span<std::byte> dst,
                                                      ShmSlotInfo& info) const noexcept {
  using namespace shm_detail;
  const SlotHeader* slot =
      slot_at(region_, stride_for(params_.slot_payload_bytes), s % params_.slot_count);
  const std::uint64_t expected = 2 * (s + 1);
  const std::uint64_t before = slot->tag.load(std::memory_order_acquire);
  if (before < expected) return Outcome::not_yet_written; // an older slot, or mid-write
  if (before != expected) return Outcome::overwritten;

  // Acquire pairs with the writer's release on each word: if any word came from a later write,
  // the tag load below sees that write's "writing" tag (or a later one).
  ShmSlotInfo copy;
  copy.sequence = s;
  copy.bytes = slot->bytes.load(std::memory_order_acquire);
  copy.timestamp_ns = static_cast<std::int64_t>(slot->timestamp_ns.load(std::memory_order_acquire));
  copy.first_frame = slot->first_frame.load(std::memory_order_acquire);
  copy.frames = slot->frames.load(std::memory_order_acquire);
  // A torn header may hold any size: never copy past the payload or the destination.
  const std::uint64_t bytes =
      std::min<std::uint64_t>({copy.bytes, params_.slot_payload_bytes, dst.size()});
  const Word* payload = payload_of(slot);
  const std::size_t whole = static_cast<std::size_t>(bytes / 8);
  for (std::size_t w = 0; w < whole; ++w) {
    const std::uint64_t word = payload[w].load(std::memory_order_acquire);
    std::memcpy(dst.data() + 8 * w, &word, 8);
  }
  if (const std::size_t rest = static_cast<std::size_t>(bytes % 8)) {
    const std::uint64_t word = payload[whole].load(std::memory_order_acquire);
    std::memcpy(dst.data() + 8 * whole, &word, rest);
  }
  if (slot->tag.load(std::memory_order_relaxed) != expected) return Outcome::overwritten;
  info = copy;
  return Outcome::copied;
}

} // namespace ringbuf
