// tests/tools/jack_counter_source.cpp - a JACK client that plays the counter signal, so a
// recording can be checked sample by sample (see counter_signal.hpp and counter_check).
// Usage: jack_counter_source [--name NAME] [--connect PREFIX] [--wait SECONDS] [--duration S]
//   --name NAME      client name (default rc-source): ports NAME:out_0 (counter), NAME:out_1
//                    (marker). The name is used exactly; a name in use is an error.
//   --connect PREFIX e.g. ringcorder:in_ connects out_0 -> ringcorder:in_0 and out_1 ->
//                    ringcorder:in_1 as soon as both exist (polled every 10 ms from the main
//                    thread, never from the audio callback), then prints "connected at frame N"
//                    (N: frames played so far; the connection takes effect a cycle or so later).
//   --wait SECONDS   how long to wait for those ports (default 10).
//   --duration S     stop after S seconds (default: run until SIGINT/SIGTERM).
//   --gate ON,OFF    bursts for level triggers: after the connection, OFF frames of silence (both
//                    ports 0), then ON frames of the counter, repeated; silent before the
//                    connection. The counter keeps counting through the silence, so each burst
//                    still carries its frame numbers.
//   --file PATH      instead of the counter, play PATH (mono: on both ports; stereo: out_0 left,
//                    out_1 right) once, starting at the connection; silence before and after. The
//                    file must be at the server's rate (resample with sox first).
//   --clock PATH     every 10 ms, replace PATH (atomically, by rename) with the number of frames
//                    played since the connection (since activation without --connect): the
//                    audio timeline, for tests that must wait for audio rather than wall-clock
//                    time (a synchronous server under load runs slower than the clock).
//   --ports N        instead of counter and marker, N ports out_0..out_{N-1} (1 to 64) carrying
//                    the multichannel counter: port k the counter k * 2^18 frames ahead
//                    (counter_sample in counter_signal.hpp; counter_check --channels N checks
//                    it). --connect then connects out_k -> PREFIXk for every k.
//   --only LIST      with --ports: only the ports in LIST (from 1, e.g. 6 or 2,5) play; the
//                    others stay silent (counter_check --map 0,...: a signal on some channels
//                    alone, e.g. one channel that must start a level-triggered take).
//   --counter device the counter counts the server's frames (jack_last_frame_time: the device's
//                    timeline) instead of the frames this client played: when the server skips
//                    a recorder's cycles, the frames it missed are then exactly the counter's
//                    jump, even if this source was skipped too (the default, `played`, counts
//                    only the cycles this source ran).
// Exit 0 on a clean stop; 1 if the client cannot be opened, the ports never appear or cannot be
// connected, or the server goes away; 2 on usage errors.
#include "tests/tools/counter_signal.hpp"

#include <jack/jack.h>
#include <sndfile.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// Set from signal handlers and JACK's shutdown callback; read by the main loop.
std::atomic<bool> stop_requested{false};
std::atomic<bool> server_gone{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");
static_assert(std::atomic<std::uint64_t>::is_always_lock_free, "shared with the audio thread");

extern "C" void on_stop_signal(int) { stop_requested = true; }

struct CounterSource {
  // The ports, out_0, out_1...: the counter and the constant marker, or with --ports N the N
  // channels of the multichannel counter. Registered before activation.
  std::vector<jack_port_t*> ports;
  bool multichannel = false;                       // --ports
  std::uint64_t playing_ports = ~std::uint64_t{0}; // --only: bit k set when port k plays
  // Frames played since activation. Written only by the audio thread; the main thread reads it
  // for the "connected at frame N" line.
  std::atomic<std::uint64_t> frames_played{0};
  // --gate: frames on and off (0, 0: always on), and the frame the gate pattern starts at,
  // set by the main thread once connected (no_frame until then: silent).
  std::uint64_t gate_on = 0, gate_off = 0;
  static constexpr std::uint64_t no_frame = ~std::uint64_t{0};
  std::atomic<std::uint64_t> gate_from{no_frame};
  // --file: interleaved stereo frames to play once from gate_from (loaded before activation).
  std::vector<float> file;
  // --counter device: the counter is the server's frame counter (set before activation).
  jack_client_t* device_clock = nullptr;
};

// Returns: true when frame n plays the counter (not gated off).
bool gate_open(const CounterSource& source, std::uint64_t n, std::uint64_t from) {
  if (source.gate_on == 0) return true;
  if (from == CounterSource::no_frame || n < from) return false;
  return (n - from) % (source.gate_on + source.gate_off) >= source.gate_off;
}

// Audio thread: fills both ports. Real-time safe: no allocation, locks, I/O or system calls.
extern "C" int play_counter(jack_nframes_t frames, void* arg) {
  auto* source = static_cast<CounterSource*>(arg);
  const std::uint64_t first = source->frames_played.load(std::memory_order_relaxed);
  const std::uint64_t gate_from = source->gate_from.load(std::memory_order_acquire);
  const std::uint64_t base =
      source->device_clock ? jack_last_frame_time(source->device_clock) : first;
  if (source->multichannel) {
    for (std::size_t k = 0; k < source->ports.size(); ++k) {
      auto* out = static_cast<float*>(jack_port_get_buffer(source->ports[k], frames));
      const bool plays = (source->playing_ports >> k) & 1u;
      for (jack_nframes_t i = 0; i < frames; ++i)
        out[i] = plays && gate_open(*source, first + i, gate_from)
                     ? rc::test::counter_sample(base + i, static_cast<int>(k))
                     : 0.0f;
    }
    source->frames_played.store(first + frames, std::memory_order_release);
    return 0;
  }
  auto* counter = static_cast<float*>(jack_port_get_buffer(source->ports[0], frames));
  auto* marker = static_cast<float*>(jack_port_get_buffer(source->ports[1], frames));
  if (!source->file.empty()) {
    const std::uint64_t length = source->file.size() / 2;
    for (jack_nframes_t i = 0; i < frames; ++i) {
      const std::uint64_t n = first + i;
      const bool playing =
          gate_from != CounterSource::no_frame && n >= gate_from && n - gate_from < length;
      counter[i] = playing ? source->file[2 * (n - gate_from)] : 0.0f;
      marker[i] = playing ? source->file[2 * (n - gate_from) + 1] : 0.0f;
    }
    source->frames_played.store(first + frames, std::memory_order_release);
    return 0;
  }
  for (jack_nframes_t i = 0; i < frames; ++i) {
    const bool on = gate_open(*source, first + i, gate_from);
    counter[i] = on ? rc::test::counter_left(base + i) : 0.0f;
    marker[i] = on ? rc::test::counter_marker : 0.0f;
  }
  source->frames_played.store(first + frames, std::memory_order_release);
  return 0;
}

// JACK thread, when the server stops or drops us: the main loop ends with status 1.
extern "C" void on_server_shutdown(void*) { server_gone = true; }

// libjack's own messages ("Cannot connect to server socket", ...) are noise: we report failures
// in our own words.
extern "C" void ignore_jack_message(const char*) {}

// Returns: the non-negative number in `text`, or -1 if it is not one.
double parse_seconds(const char* text) {
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text, &end);
  if (end == text || *end != '\0' || errno != 0 || !(value >= 0)) return -1;
  return value;
}

// Effects: reads `path` as interleaved stereo into `out` (mono duplicated). Returns: false, with
// a message, if it cannot be read or has more than two channels.
bool load_stereo(const std::string& path, std::vector<float>& out) {
  SF_INFO info{};
  SNDFILE* f = sf_open(path.c_str(), SFM_READ, &info);
  if (f == nullptr || info.channels < 1 || info.channels > 2) {
    std::fprintf(stderr, "jack_counter_source: cannot play '%s' (mono or stereo)\n", path.c_str());
    if (f) sf_close(f);
    return false;
  }
  std::vector<float> samples(static_cast<std::size_t>(info.frames * info.channels));
  const sf_count_t got = sf_readf_float(f, samples.data(), info.frames);
  sf_close(f);
  out.resize(static_cast<std::size_t>(got) * 2);
  for (sf_count_t i = 0; i < got; ++i) {
    out[2 * i] = samples[i * info.channels];
    out[2 * i + 1] = samples[i * info.channels + info.channels - 1];
  }
  return true;
}

int usage() {
  std::fprintf(stderr, "usage: jack_counter_source [--name NAME] [--connect PREFIX] "
                       "[--wait SECONDS] [--duration SECONDS] [--gate ON,OFF] [--file PATH] "
                       "[--counter played|device] [--ports N [--only LIST]] "
                       "[--clock PATH]\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  std::string client_name = "rc-source", connect_prefix;
  double wait_seconds = 10, duration_seconds = 0; // 0: until a signal
  unsigned long long gate_on = 0, gate_off = 0;
  std::string file_path, clock_path, counter_kind = "played";
  int port_count = 0;     // --ports: 0 for counter and marker
  std::uint64_t only = 0; // --only: bit k for port k + 1 in LIST; 0 for all
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    if (i + 1 >= argc) return usage();
    const char* value = argv[++i];
    if (option == "--name")
      client_name = value;
    else if (option == "--connect")
      connect_prefix = value;
    else if (option == "--wait")
      wait_seconds = parse_seconds(value);
    else if (option == "--duration")
      duration_seconds = parse_seconds(value);
    else if (option == "--file")
      file_path = value;
    else if (option == "--clock")
      clock_path = value;
    else if (option == "--counter")
      counter_kind = value;
    else if (option == "--ports") {
      port_count = std::atoi(value);
      if (port_count < 1 || port_count > 64) return usage();
    } else if (option == "--only") {
      for (const char* p = value; *p;) {
        char* end = nullptr;
        const long k = std::strtol(p, &end, 10);
        if (end == p || k < 1 || k > 64 || (*end != ',' && *end != '\0')) return usage();
        only |= std::uint64_t{1} << (k - 1);
        p = *end == ',' ? end + 1 : end;
      }
      if (only == 0) return usage();
    } else if (option == "--gate") {
      if (std::sscanf(value, "%llu,%llu", &gate_on, &gate_off) != 2 || gate_on == 0) return usage();
    } else
      return usage();
  }
  if (client_name.empty() || wait_seconds < 0 || duration_seconds < 0 ||
      (counter_kind != "played" && counter_kind != "device") ||
      (port_count > 0 && !file_path.empty()) ||
      (only != 0 && (port_count == 0 || (port_count < 64 && (only >> port_count) != 0))))
    return usage();

  jack_set_error_function(ignore_jack_message);
  jack_set_info_function(ignore_jack_message);
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);

  jack_status_t status{};
  jack_client_t* client = jack_client_open(
      client_name.c_str(), jack_options_t(JackNoStartServer | JackUseExactName), &status);
  if (client == nullptr) {
    // With an exact name, jackd2 answers a name in use with JackServerError, not
    // JackNameNotUnique.
    const char* reason = (status & JackServerFailed) ? "no server answers to JACK_DEFAULT_SERVER"
                         : (status & (JackNameNotUnique | JackServerError))
                             ? "the server refused it (is the name in use?)"
                             : "jack_client_open failed";
    std::fprintf(stderr, "jack_counter_source: cannot open JACK client '%s': %s\n",
                 client_name.c_str(), reason);
    return 1;
  }
  CounterSource source;
  source.gate_on = gate_on;
  source.gate_off = gate_off;
  if (!file_path.empty() && !load_stereo(file_path, source.file)) {
    jack_client_close(client);
    return 1;
  }
  source.multichannel = port_count > 0;
  if (only != 0) source.playing_ports = only;
  bool registered = true;
  for (int k = 0; k < (source.multichannel ? port_count : 2); ++k) {
    const std::string port = "out_" + std::to_string(k);
    source.ports.push_back(
        jack_port_register(client, port.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0));
    registered = registered && source.ports.back() != nullptr;
  }
  if (counter_kind == "device") source.device_clock = client;
  jack_set_process_callback(client, play_counter, &source);
  jack_on_shutdown(client, on_server_shutdown, nullptr);
  if (!registered || jack_activate(client) != 0) {
    std::fprintf(stderr, "jack_counter_source: cannot register ports or activate\n");
    jack_client_close(client);
    return 1;
  }

  const auto started = std::chrono::steady_clock::now();
  auto elapsed_seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  // Non-real-time control loop: waits for the ports to connect to, the duration or a signal.
  bool connected = connect_prefix.empty();
  std::uint64_t clock_from = 0; // frames_played at the connection
  // --clock: the frames played since the connection, written whole under a temporary name and
  // renamed, so a reader never sees a partial number.
  auto write_clock = [&] {
    const std::string temporary = clock_path + ".tmp";
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << source.frames_played.load(std::memory_order_acquire) - clock_from << "\n";
    }
    std::rename(temporary.c_str(), clock_path.c_str());
  };
  int exit_status = 0;
  while (!stop_requested) {
    if (server_gone) {
      std::fprintf(stderr, "jack_counter_source: the JACK server went away\n");
      exit_status = 1;
      break;
    }
    if (!connected) {
      bool all_there = true;
      for (std::size_t k = 0; k < source.ports.size() && all_there; ++k)
        all_there = jack_port_by_name(client, (connect_prefix + std::to_string(k)).c_str());
      if (all_there) {
        bool ok = true;
        for (std::size_t k = 0; k < source.ports.size(); ++k) {
          // jack_connect returns EEXIST when someone already made the connection: fine.
          const std::string target = connect_prefix + std::to_string(k);
          const int rc = jack_connect(client, jack_port_name(source.ports[k]), target.c_str());
          ok = ok && (rc == 0 || rc == EEXIST);
        }
        if (!ok) {
          std::fprintf(stderr, "jack_counter_source: cannot connect to %s0..%zu\n",
                       connect_prefix.c_str(), source.ports.size() - 1);
          exit_status = 1;
          break;
        }
        const std::uint64_t at = source.frames_played.load(std::memory_order_acquire);
        source.gate_from.store(at, std::memory_order_release);
        std::printf("connected at frame %llu\n", (unsigned long long)at);
        std::fflush(stdout);
        connected = true;
        clock_from = at;
      } else if (elapsed_seconds() > wait_seconds) {
        std::fprintf(stderr, "jack_counter_source: %s0..%zu did not appear within %g s\n",
                     connect_prefix.c_str(), source.ports.size() - 1, wait_seconds);
        exit_status = 1;
        break;
      }
    }
    if (connected && !clock_path.empty()) write_clock();
    if (duration_seconds > 0 && elapsed_seconds() >= duration_seconds) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  jack_client_close(client);
  return exit_status;
}
