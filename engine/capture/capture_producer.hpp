// engine/capture/capture_producer.hpp - the audio-thread half of capture: frames into the rings.
#pragma once

#include "engine/audio/input_conversion.hpp"
#include "engine/core/block_header.hpp"
#include "engine/core/capture_counters.hpp"
#include "engine/core/host_gap_detector.hpp"
#include "ringbuf/spsc_frame_ring.hpp"
#include "ringbuf/spsc_ring.hpp"

#include <cstdint>
#include <limits>
#include <optional>

namespace rc {

/// The rings and counters shared by the capture producer (audio callback) and the worker.
///
/// There is deliberately no wake-up signal: even a non-blocking sem_post costs a futex system
/// call (measured here: 5-10 us, several times the rest of the callback) whenever the worker is
/// asleep. The worker polls on a timer instead (CaptureWorker), a fraction of a period apart.
struct CaptureChannel {
  ringbuf::FrameRing& frames;              ///< Frames of the run's channels, producer = callback.
  ringbuf::SpscRing<BlockHeader>& headers; ///< One header per callback, producer = callback.
  CaptureCounters& counters;               ///< Callback-written counters.
};

/// "The device's clock is unknown": what a callback passes when its host gives no clock.
inline constexpr double no_device_clock = std::numeric_limits<double>::quiet_NaN();

/// What a callback flagged paInputUnderflow carries.
enum class InputUnderflow {
  /// Some zeros PortAudio inserted, mixed with real input (a fixed period: its buffer processor
  /// may join them): the block is kept, the flag counted.
  mixed,
  /// Nothing but zeros PortAudio made up for want of input (the host's own callback size, as
  /// PortAudio documents; its ALSA host does this in duplex when capture is not ready, seen
  /// through PipeWire as blocks of 1024 zeros, while the capture's clock stood still): the block
  /// is left out of the timeline, its frames counted in host_inserted_frames.
  made_up,
};

/// Any thread. Returns: what a flagged block holds in a stream opened with `period` frames per
/// callback (0: the host's choice, when PortAudio hands over whole made-up blocks).
constexpr InputUnderflow input_underflow_for(int period) noexcept {
  return period > 0 ? InputUnderflow::mixed : InputUnderflow::made_up;
}

/// Turns each input callback into frames + a header in the rings, dropping (and counting) what
/// does not fit. Owned by the session; every member runs on the audio thread unless noted.
///
/// Drop policy: when the frame ring cannot take a whole block, the frames that fit are pushed
/// and the rest dropped; when the header ring is full, the whole block is dropped. Dropped frames
/// are carried as `pending_gap` into the next header, so the worker writes exactly that much
/// silence at exactly that place and the file keeps its timeline.
///
/// Host gaps: with a device clock (`clock_rule`), each callback's clock reading is compared with
/// the timeline (HostGapDetector). Frames the host never delivered (a skipped cycle, a driver
/// overrun) advance the timeline by exactly their number and travel in the header as
/// `host_gap_before`, so the worker writes them as silence too.
class CaptureProducer {
public:
  /// Any thread, before the stream starts. `map`: which device channel becomes each of ours
  /// (map.count is the frame ring's channel count). `frame_limit`: stop once the timeline (frames
  /// received plus every gap) reaches this many frames. `clock_rule`: how the host's clock shows
  /// a skipped callback (none: host gaps are not detected). `underflow`: what a block flagged
  /// paInputUnderflow holds. Whether `map` is the device's own order (each callback's input then
  /// copied with a memcpy) is found here, once.
  CaptureProducer(CaptureChannel channel, int device_channels, const ChannelMap& map,
                  std::uint64_t frame_limit = std::numeric_limits<std::uint64_t>::max(),
                  std::optional<DeviceClockRule> clock_rule = std::nullopt, int rate = 48000,
                  InputUnderflow underflow = InputUnderflow::mixed) noexcept;

  /// Audio thread. Effects: converts and pushes one callback's input, fills in its header and
  /// updates the counters. `device_clock`: the device's clock at the block's first frame, in
  /// frames (no_device_clock: unknown). Returns: true once the timeline has reached
  /// `frame_limit` (the caller then ends the stream).
  /// Real-time safe: no allocation, lock, I/O or blocking call; bounded by `frames` times the
  /// channel count (a memcpy when the map is the device's own order).
  bool on_input(const float* interleaved, std::uint32_t frames, std::uint32_t status_flags,
                std::int64_t callback_start_ns, double device_clock = no_device_clock) noexcept;

  /// Audio thread, right after on_input. Returns: the host gap that call found before its block
  /// (0: none); a duplex callback skips as much of its output timeline.
  [[nodiscard]] std::uint64_t last_host_gap() const noexcept { return last_host_gap_; }

  /// Audio thread, right after on_input. Returns: whether that call's block was made up by
  /// PortAudio and left out (InputUnderflow::made_up); a duplex callback then holds its output.
  [[nodiscard]] bool last_block_made_up() const noexcept { return last_made_up_; }

  /// Any thread, after the stream has stopped. Returns: frames dropped at the very end that no
  /// header carries (the worker writes them as trailing silence).
  [[nodiscard]] std::uint64_t unreported_gap() const noexcept;
  /// Any thread, after the stream has stopped. Returns: host-gap frames at the very end that no
  /// header carries (the worker writes them after unreported_gap()).
  [[nodiscard]] std::uint64_t unreported_host_gap() const noexcept {
    return channel_.counters.pending_host_gap.load(std::memory_order_acquire);
  }

private:
  CaptureChannel channel_;
  InputUnderflow underflow_;
  bool last_made_up_ = false; // audio thread
  // Device input to our channels; whether the map is the device's own order (a memcpy) is found
  // once, in the constructor, not on every callback.
  InputConversion conversion_;
  std::uint64_t frame_limit_;
  // Audio-thread state.
  std::uint64_t next_frame_ = 0;    // timeline position of the next device frame
  std::uint64_t pending_gap_ = 0;   // dropped frames not yet announced in a header
  std::uint64_t sequence_ = 0;      // callbacks seen
  bool last_frame_dropped_ = false; // whether the current drop run continues
  std::optional<HostGapDetector> gaps_;
  std::uint64_t pending_host_gap_ = 0; // host gap before a block that had no header
  std::uint64_t last_host_gap_ = 0;
};

} // namespace rc
