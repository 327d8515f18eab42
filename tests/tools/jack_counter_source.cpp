// tests/tools/jack_counter_source.cpp - a JACK client that plays the counter signal, so a
// recording can be checked sample by sample (see counter_signal.hpp).
// Usage: jack_counter_source [--name NAME] [--connect PREFIX] [--wait SECONDS] [--duration S]
//   --connect ringcorder:in_  connects out_0 -> ringcorder:in_0 and out_1 -> ringcorder:in_1 as
//   soon as those ports exist (polled from the main thread, never from the audio callback).
#include "tests/tools/counter_signal.hpp"

#include <jack/jack.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

std::atomic<bool> stop{false};
extern "C" void on_signal(int) { stop = true; }

struct Source {
  jack_port_t* out[2] = {};
  std::uint64_t frame = 0; // audio thread only
};

// Audio thread: fills both ports; no allocation, locks or I/O.
extern "C" int process(jack_nframes_t frames, void* arg) {
  auto* s = static_cast<Source*>(arg);
  auto* left = static_cast<float*>(jack_port_get_buffer(s->out[0], frames));
  auto* right = static_cast<float*>(jack_port_get_buffer(s->out[1], frames));
  for (jack_nframes_t i = 0; i < frames; ++i) {
    left[i] = rc::test::counter_left(s->frame + i);
    right[i] = rc::test::counter_marker;
  }
  s->frame += frames;
  return 0;
}

extern "C" void quiet(const char*) {}

} // namespace

int main(int argc, char** argv) {
  std::string name = "rc-source", connect;
  double wait_seconds = 10, duration = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) std::fprintf(stderr, "%s needs a value\n", a.c_str()), std::exit(2);
      return argv[++i];
    };
    if (a == "--name")
      name = value();
    else if (a == "--connect")
      connect = value();
    else if (a == "--wait")
      wait_seconds = std::atof(value().c_str());
    else if (a == "--duration")
      duration = std::atof(value().c_str());
    else {
      std::fprintf(
          stderr,
          "usage: jack_counter_source [--name N] [--connect PREFIX] [--wait S] [--duration S]\n");
      return 2;
    }
  }
  jack_set_error_function(quiet);
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);

  jack_client_t* client = jack_client_open(name.c_str(), JackNoStartServer, nullptr);
  if (client == nullptr) {
    std::fprintf(stderr,
                 "jack_counter_source: cannot open a JACK client (is the server running?)\n");
    return 1;
  }
  Source source;
  source.out[0] = jack_port_register(client, "out_0", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
  source.out[1] = jack_port_register(client, "out_1", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
  jack_set_process_callback(client, process, &source);
  if (source.out[0] == nullptr || source.out[1] == nullptr || jack_activate(client) != 0) {
    std::fprintf(stderr, "jack_counter_source: cannot register ports or activate\n");
    return 1;
  }

  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  bool connected = connect.empty();
  int status = 0;
  while (!stop) {
    if (!connected) {
      const std::string a = connect + "0", b = connect + "1";
      if (jack_port_by_name(client, a.c_str()) && jack_port_by_name(client, b.c_str())) {
        const std::string o0 = name + ":out_0", o1 = name + ":out_1";
        if (jack_connect(client, o0.c_str(), a.c_str()) != 0 ||
            jack_connect(client, o1.c_str(), b.c_str()) != 0) {
          std::fprintf(stderr, "jack_counter_source: cannot connect to %s*\n", connect.c_str());
          status = 1;
          break;
        }
        std::printf("connected to %s0/%s1\n", connect.c_str(), connect.c_str());
        std::fflush(stdout);
        connected = true;
      } else if (elapsed() > wait_seconds) {
        std::fprintf(stderr, "jack_counter_source: %s0 did not appear within %.0f s\n",
                     connect.c_str(), wait_seconds);
        status = 1;
        break;
      }
    }
    if (duration > 0 && elapsed() >= duration) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  jack_client_close(client);
  return status;
}
