// tests/tools/jack_path.cpp - the analog path simulator: a JACK client that passes its input to
// its output through a known fractional delay, a gain, a polarity and white noise
// (fractional_delay.hpp), so `ringcorder latency` can be tested against a round trip known to
// 1e-4 frame, at any SNR.
// Usage: jack_path --delay D [--gain-db G] [--invert] [--noise-dbfs N] [--seed S] [--name NAME]
//                  [--connect-in PORT] [--connect-out PORT] [--reconnect] [--wait SECONDS]
//                  [--duration S] [--capture-latency N] [--playback-latency N]
//   --delay D          frames from NAME:in_0 to NAME:out_0 within a cycle, not necessarily whole:
//                      from 31 (the FIR's centre) to 1048576. A 64-tap Kaiser-windowed sinc does
//                      the fraction, exactly a unit impulse for a whole D.
//   --gain-db G        gain after the delay (default 0).
//   --invert           polarity inversion.
//   --noise-dbfs N     adds white Gaussian noise of RMS N dBFS (20 log10 RMS, full scale 1.0;
//                      default: none), after the gain.
//   --seed S           the noise generator's seed (default 1): the same seed, the same noise.
//   --name NAME        client name (default rc-path): ports NAME:in_0 and NAME:out_0. The name is
//                      used exactly; a name in use is an error.
//   --connect-in PORT  connects PORT -> NAME:in_0, and
//   --connect-out PORT NAME:out_0 -> PORT, as soon as each exists (polled every 10 ms from the
//                      main thread, never from the audio callback); then prints "ready" (at once
//                      without either option). PORT is a regular expression, as jack_get_ports()
//                      takes: the first matching port of another client (an output for
//                      --connect-in, an input for --connect-out) is used.
//   --reconnect        after that, connects again whenever the port matching PORT is not
//                      connected (a client that reopens its stream gets new ports: PortAudio's
//                      JACK host numbers them on, in_1, out_2 ..., as `latency --repeat` does).
//   --wait SECONDS     how long to wait for those ports (default 10).
//   --duration S       stop after S seconds (default: run until SIGINT/SIGTERM).
//   --capture-latency N, --playback-latency N
//                      declare the latency a sound card's ports would: NAME:out_0 (where the
//                      signal enters the graph, as a capture port) claims a capture latency of
//                      N frames, NAME:in_0 (where it leaves, as a playback port) a playback
//                      latency of N frames, set from a JACK latency callback
//                      (jack_port_set_latency_range, min = max = N). Either option installs the
//                      callback; the other then claims 0. The claims are what a client connected
//                      to the path reads with jack_port_get_latency_range (the larger of them and
//                      any other port's it is connected to); the delay itself is --delay alone.
// Exit 0 on a clean stop; 1 if the client cannot be opened, the ports never appear or cannot be
// connected, or the server goes away; 2 on usage errors.
#include "tests/tools/fractional_delay.hpp"

#include <jack/jack.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

namespace {

// Set from signal handlers and JACK's shutdown callback; read by the main loop.
std::atomic<bool> stop_requested{false};
std::atomic<bool> server_gone{false};
static_assert(std::atomic<bool>::is_always_lock_free, "set from a signal handler");

extern "C" void on_stop_signal(int) { stop_requested = true; }

struct PathClient {
  jack_port_t* in_port = nullptr;  // in_0
  jack_port_t* out_port = nullptr; // out_0
  // Built (and its memory touched) before activation; then used by the audio thread only.
  std::unique_ptr<rc::test::AnalogPath> path;
  // Declared latencies (--capture-latency, --playback-latency), in frames; fixed before
  // activation, read by the latency callback.
  jack_nframes_t capture_latency = 0;
  jack_nframes_t playback_latency = 0;
};

// Audio thread: out_0 = the path applied to in_0. Real-time safe: no allocation, locks, I/O or
// system calls (AnalogPath::process).
extern "C" int pass_through_path(jack_nframes_t frames, void* arg) {
  auto* client = static_cast<PathClient*>(arg);
  const auto* in = static_cast<const float*>(jack_port_get_buffer(client->in_port, frames));
  auto* out = static_cast<float*>(jack_port_get_buffer(client->out_port, frames));
  client->path->process(in, out, frames);
  return 0;
}

// JACK's notification thread, whenever the graph's latencies are recomputed: claims the declared
// latencies as a sound card's ports would, instead of passing on what is connected to us (the
// default). Not the audio thread; sets two ranges and returns.
extern "C" void declare_latency(jack_latency_callback_mode_t mode, void* arg) {
  auto* client = static_cast<PathClient*>(arg);
  if (mode == JackCaptureLatency) {
    jack_latency_range_t range{client->capture_latency, client->capture_latency};
    jack_port_set_latency_range(client->out_port, JackCaptureLatency, &range);
  } else {
    jack_latency_range_t range{client->playback_latency, client->playback_latency};
    jack_port_set_latency_range(client->in_port, JackPlaybackLatency, &range);
  }
}

// JACK thread, when the server stops or drops us: the main loop ends with status 1.
extern "C" void on_server_shutdown(void*) { server_gone = true; }

// libjack's own messages ("Cannot connect to server socket", ...) are noise: we report failures
// in our own words.
extern "C" void ignore_jack_message(const char*) {}

// Returns: the finite number that is all of `text`, or false.
bool parse_double(const char* text, double& out) {
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text, &end);
  if (end == text || *end != '\0' || errno != 0 || !std::isfinite(value)) return false;
  out = value;
  return true;
}

// Returns: the whole number of frames from 0 to 2^24 that is all of `text`, or false.
bool parse_frames(const char* text, jack_nframes_t& out) {
  if (*text < '0' || *text > '9') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long value = std::strtoul(text, &end, 10);
  if (*end != '\0' || errno != 0 || value > (1UL << 24)) return false;
  out = static_cast<jack_nframes_t>(value);
  return true;
}

// Returns: the unsigned decimal number that is all of `text`, or false.
bool parse_seed(const char* text, std::uint64_t& out) {
  if (*text < '0' || *text > '9') return false;
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text, &end, 10);
  if (*end != '\0' || errno != 0) return false;
  out = value;
  return true;
}

int usage() {
  std::fprintf(stderr, "usage: jack_path --delay FRAMES [--gain-db DB] [--invert] "
                       "[--noise-dbfs DBFS] [--seed N] [--name NAME] [--connect-in PORT] "
                       "[--connect-out PORT] [--reconnect] [--wait SECONDS] [--duration SECONDS] "
                       "[--capture-latency FRAMES] [--playback-latency FRAMES]\n");
  return 2;
}

// A connection asked for with --connect-in or --connect-out.
struct Link {
  std::string other; // the port to connect to; empty: not asked for
  bool into_us;      // other -> NAME:in_0 (true) or NAME:out_0 -> other
  bool done = false;
};

// Returns: the first port of another client whose name matches the regular expression `pattern`
// (as jack_get_ports() matches) and that takes a connection from us (`into_us`: an output that
// feeds our in_0; otherwise an input that our out_0 feeds), or "" when there is none.
std::string find_port(jack_client_t* client, const std::string& pattern, bool into_us) {
  const char** ports = jack_get_ports(client, pattern.c_str(), JACK_DEFAULT_AUDIO_TYPE,
                                      into_us ? JackPortIsOutput : JackPortIsInput);
  std::string found;
  const std::string ours = std::string(jack_get_client_name(client)) + ":";
  for (const char** port = ports; port && *port && found.empty(); ++port)
    if (std::string_view(*port).substr(0, ours.size()) != ours) found = *port;
  jack_free(ports);
  return found;
}

} // namespace

int main(int argc, char** argv) {
  std::string client_name = "rc-path";
  rc::test::PathSettings settings;
  bool have_delay = false;
  double wait_seconds = 10, duration_seconds = 0; // 0: until a signal
  Link links[2] = {{"", true}, {"", false}};
  bool reconnect = false;
  bool declare_latencies = false;
  jack_nframes_t capture_latency = 0, playback_latency = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string option = argv[i];
    if (option == "--invert") {
      settings.invert = true;
      continue;
    }
    if (option == "--reconnect") {
      reconnect = true;
      continue;
    }
    if (i + 1 >= argc) return usage();
    const char* value = argv[++i];
    double number = 0;
    if (option == "--name")
      client_name = value;
    else if (option == "--connect-in")
      links[0].other = value;
    else if (option == "--connect-out")
      links[1].other = value;
    else if (option == "--seed") {
      if (!parse_seed(value, settings.seed)) return usage();
    } else if (option == "--capture-latency" || option == "--playback-latency") {
      if (!parse_frames(value, option == "--capture-latency" ? capture_latency : playback_latency))
        return usage();
      declare_latencies = true;
    } else if (!parse_double(value, number))
      return usage();
    else if (option == "--delay") {
      settings.delay_frames = number;
      have_delay = true;
    } else if (option == "--gain-db")
      settings.gain_db = number;
    else if (option == "--noise-dbfs")
      settings.noise_dbfs = number;
    else if (option == "--wait" && number >= 0)
      wait_seconds = number;
    else if (option == "--duration" && number >= 0)
      duration_seconds = number;
    else
      return usage();
  }
  if (client_name.empty() || !have_delay) return usage();

  PathClient path_client;
  try {
    path_client.path = std::make_unique<rc::test::AnalogPath>(settings);
  } catch (const std::invalid_argument& e) {
    std::fprintf(stderr, "jack_path: %s\n", e.what());
    return usage();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "jack_path: %s\n", e.what());
    return 1;
  }

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
    std::fprintf(stderr, "jack_path: cannot open JACK client '%s': %s\n", client_name.c_str(),
                 reason);
    return 1;
  }
  path_client.in_port =
      jack_port_register(client, "in_0", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
  path_client.out_port =
      jack_port_register(client, "out_0", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
  jack_set_process_callback(client, pass_through_path, &path_client);
  path_client.capture_latency = capture_latency;
  path_client.playback_latency = playback_latency;
  if (declare_latencies) jack_set_latency_callback(client, declare_latency, &path_client);
  jack_on_shutdown(client, on_server_shutdown, nullptr);
  if (path_client.in_port == nullptr || path_client.out_port == nullptr ||
      jack_activate(client) != 0) {
    std::fprintf(stderr, "jack_path: cannot register ports or activate\n");
    jack_client_close(client);
    return 1;
  }

  const auto started = std::chrono::steady_clock::now();
  auto elapsed_seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  // Non-real-time control loop: makes the connections, then waits for the duration or a signal.
  bool ready = false;
  int exit_status = 0;
  while (!stop_requested) {
    if (server_gone) {
      std::fprintf(stderr, "jack_path: the JACK server went away\n");
      exit_status = 1;
      break;
    }
    if (!ready) {
      bool all_done = true;
      for (Link& link : links) {
        if (link.other.empty() || link.done) continue;
        const std::string other = find_port(client, link.other, link.into_us);
        if (other.empty()) {
          all_done = false;
          continue;
        }
        const char* ours =
            jack_port_name(link.into_us ? path_client.in_port : path_client.out_port);
        const char* source = link.into_us ? other.c_str() : ours;
        const char* destination = link.into_us ? ours : other.c_str();
        // jack_connect returns EEXIST when someone already made the connection: fine.
        const int result = jack_connect(client, source, destination);
        if (result != 0 && result != EEXIST) {
          std::fprintf(stderr, "jack_path: cannot connect %s -> %s\n", source, destination);
          exit_status = 1;
          break;
        }
        link.done = true;
        // The claims now reach the other client's ports (the server also recomputes on its own
        // after a connection; asking makes it so before "ready").
        if (declare_latencies) jack_recompute_total_latencies(client);
      }
      if (exit_status != 0) break;
      if (all_done) {
        std::printf("ready\n");
        std::fflush(stdout);
        ready = true;
      } else if (elapsed_seconds() > wait_seconds) {
        for (const Link& link : links)
          if (!link.other.empty() && !link.done)
            std::fprintf(stderr, "jack_path: %s did not appear within %g s\n", link.other.c_str(),
                         wait_seconds);
        exit_status = 1;
        break;
      }
    }
    if (ready && reconnect) {
      // The other client may close and reopen its ports (ringcorder latency --repeat opens its
      // stream again): connect them again whenever they are there and not connected to us.
      for (const Link& link : links) {
        if (link.other.empty()) continue;
        const std::string other = find_port(client, link.other, link.into_us);
        jack_port_t* ours = link.into_us ? path_client.in_port : path_client.out_port;
        if (other.empty() || jack_port_connected_to(ours, other.c_str())) continue;
        const char* source = link.into_us ? other.c_str() : jack_port_name(ours);
        const char* destination = link.into_us ? jack_port_name(ours) : other.c_str();
        // It may vanish again: tried next time.
        if (jack_connect(client, source, destination) == 0 && declare_latencies)
          jack_recompute_total_latencies(client);
      }
    }
    if (duration_seconds > 0 && elapsed_seconds() >= duration_seconds) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  jack_client_close(client);
  return exit_status;
}
