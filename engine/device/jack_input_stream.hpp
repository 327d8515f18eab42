// engine/device/jack_input_stream.hpp - input from JACK ports chosen by name (--port, as
// jack_capture), through a JACK client of our own instead of PortAudio's.
#pragma once

#include "engine/core/stream_state.hpp"
#include "engine/util/shm_space.hpp"

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rc {

/// The status flag a JackInputStream passes with the first block after the server reported an
/// xrun: PortAudio's paInputOverflow, so the producer counts both alike.
inline constexpr std::uint32_t jack_input_overflow_flag = 0x2;

/// Audio thread (JACK's process thread). Takes one block of `frames` interleaved frames of the
/// stream's channels; `cycle_frame` is the JACK cycle's first frame (jack_last_frame_time: the
/// exact device clock); `flags` is jack_input_overflow_flag after an xrun, else 0. Returns true
/// to end the stream (no block is delivered afterwards). Must be real-time safe.
using JackInputCallback = bool (*)(const float* interleaved, std::uint32_t frames,
                                   std::uint32_t flags, std::uint32_t cycle_frame,
                                   void* user) noexcept;

/// Room in /dev/shm that a JACK client needs at start-up: libjack creates its server registry
/// there (a Berkeley DB, 192 KiB measured when it does not exist yet).
inline constexpr std::uint64_t libjack_shm_bytes = 256 * 1024;

/// Main thread, before any JACK client opens. Effects: silences libjack's error and information
/// messages (they would break the live line and the reports) and stops libjack from starting a
/// server behind the user's back (JACK_NO_START_SERVER, unless set).
void quiet_libjack() noexcept;

/// Main thread, before any JACK client opens. Effects: what PortAudioSession does for JACK when
/// no PortAudio runs: checks /dev/shm has room for libjack's registry and `also` (a tap's ring;
/// libjack writing to a full /dev/shm dies of SIGBUS), silences libjack's stderr chatter and
/// stops libjack from starting a server. Throws: std::runtime_error, one line, when /dev/shm is
/// too full.
void prepare_jack_client(const ShmNeed& also = {});

/// Returns: `pattern`, a shell-style wildcard (`*` any run of characters, `?` one character,
/// anything else literal, as jack_capture's --port), as a POSIX extended regular expression
/// matching exactly the whole port names it matches (for jack_get_ports). Any thread.
std::string port_pattern_regex(const std::string& pattern);

/// Returns: whether port name `a` sorts before `b` naturally: runs of digits compare as numbers
/// (`capture_2` before `capture_10`), everything else character by character. Any thread.
bool natural_less(const std::string& a, const std::string& b) noexcept;

/// A JACK client with one input port per channel (NAME:in_0, NAME:in_1...), each connected to a
/// source port, delivering interleaved blocks to a callback. Unlike PortAudio's JACK host it
/// connects exactly the ports asked for, and its timeline starts at the first cycle that runs
/// with every connection made (blocks of earlier cycles are not delivered), so a recording holds
/// every frame of every source from one cycle on, sample-aligned.
///
/// Construction, connect(), start(), stop() and destruction: main thread. active(): the
/// thread watching the stream. The callback runs on JACK's process thread.
class JackInputStream final : public StreamState {
public:
  /// JACK's largest period (jack2's BUFFER_SIZE_MAX): the interleaving buffer holds this many
  /// frames, so a server that changes its period on the fly never outgrows it.
  static constexpr std::uint32_t max_period = 8192;

  /// Effects: opens the JACK client `client_name` (exactly that name) on the server libjack
  /// would use (JACK_DEFAULT_SERVER), never starting one. Throws: std::runtime_error, one line,
  /// when no server answers or the name is taken.
  explicit JackInputStream(const std::string& client_name);
  ~JackInputStream() override;
  JackInputStream(const JackInputStream&) = delete;
  JackInputStream& operator=(const JackInputStream&) = delete;

  /// Returns: the output ports of audio type matching `patterns` (see port_pattern_regex), in
  /// pattern order, each pattern's ports in natural order, each port once (the first pattern
  /// that matches it places it). Throws: std::runtime_error naming a pattern that matches
  /// nothing.
  [[nodiscard]] std::vector<std::string> find_sources(const std::vector<std::string>& patterns);

  /// Effects: registers one input port per source (channel k: in_k, to be fed by sources[k]),
  /// allocates everything the process callback touches, activates the client and connects each
  /// source to its port (one connected already, by a patchbay or the source itself, is fine).
  /// Cycles run from here on but deliver nothing until start(), so whatever fails here fails
  /// before the run makes its file. Precondition: 1..256 sources; called once.
  /// Throws: std::runtime_error when JACK refuses a port, the activation or a connection.
  void connect(const std::vector<std::string>& sources);

  /// Effects: from the next cycle on (every connection made), hands each cycle's frames to
  /// `callback` with `user`. Precondition: connect() succeeded; called once.
  void start(JackInputCallback callback, void* user) noexcept;

  /// Effects: deactivates and closes the client; no callback runs once this returns (after the
  /// server went away, its shutdown callback, the client is left alone, since closing would wait
  /// for a dead server, but a callback in flight is waited for, up to 100 ms). Calling again is
  /// a no-op.
  void stop() noexcept;

  /// Returns: true from connect() until the callback asked to end, the server shut down or
  /// stop().
  [[nodiscard]] bool active() const noexcept override;
  /// Returns: the server's sample rate.
  [[nodiscard]] int rate() const noexcept { return rate_; }
  /// Returns: the server's period (frames per cycle) when the client opened.
  [[nodiscard]] std::uint32_t period() const noexcept { return period_; }
  /// Returns: the source ports, channel by channel (after connect()).
  [[nodiscard]] const std::vector<std::string>& sources() const noexcept { return sources_; }
  /// Returns: the capture latency JACK reports at our first port, in seconds (the range's
  /// maximum: what the sources upstream claim, not measured); nothing when it reports none (0)
  /// or before connect(), or once the server is gone.
  [[nodiscard]] std::optional<double> claimed_latency() const noexcept;
  /// Returns: whether the server shut down (or died) while the client was open.
  [[nodiscard]] bool server_gone() const noexcept { return server_gone_.load(); }

private:
  static int process(std::uint32_t frames, void* self) noexcept;
  /// Process thread: one cycle's frames to the callback once the gate is open.
  void deliver(std::uint32_t frames) noexcept;
  static int xrun(void* self) noexcept;
  static void shutdown(void* self) noexcept;

  void* client_ = nullptr;   ///< jack_client_t*, kept opaque so callers need no JACK header.
  std::vector<void*> ports_; ///< jack_port_t* of each channel.
  std::vector<std::string> sources_;
  std::vector<float> interleaved_; ///< max_period frames of every channel.
  JackInputCallback callback_ = nullptr;
  void* user_ = nullptr;
  int rate_ = 0;
  std::uint32_t period_ = 0;
  bool started_ = false;
  bool closed_ = false;
  /// The first cycle frame delivered, + 2^32 once set (0: the gate is shut); main thread sets
  /// it in start() after callback_ and user_ (release), the process thread reads it (acquire)
  /// before them.
  std::atomic<std::uint64_t> gate_{0};
  std::atomic<bool> done_{false};        ///< The callback asked to end; process thread sets.
  std::atomic<bool> xrun_{false};        ///< An xrun not yet passed on; notification thread.
  std::atomic<bool> server_gone_{false}; ///< The server shut down; libjack's thread sets.
  std::atomic<int> in_callback_{0};      ///< Process callbacks running now (stop() waits).
  bool gate_open_ = false;               ///< Process thread only.
};

} // namespace rc
