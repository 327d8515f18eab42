// tests/tools/jack_wire.cpp - makes JACK connections the moment their ports exist, from a client
// opened beforehand (test-only).
// Usage: jack_wire [--wait SECONDS] SOURCE DESTINATION [SOURCE DESTINATION ...]
//   Connects each SOURCE port (an output, full name) to its DESTINATION (an input) as soon as
//   both exist, then exits 0. Until then it looks every 5 ms (a lookup in the client's copy of
//   the graph, no request to the server) and asks the server only to connect. Started before
//   the client whose ports it wires, it connects them within milliseconds of their registration,
//   where polling with jack_lsp and jack_connect (each a new client: a process and a server
//   handshake) took seconds on a loaded machine, while the run they wired was already going.
//   --wait SECONDS  how long to wait for the ports (default 60).
// Prints to stderr how long the wire took once it takes more than a second. Exit 1 when the
// server cannot be reached, goes away, or the ports do not appear in time; 2 on usage errors.
#include <jack/jack.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace {

std::atomic<bool> server_gone{false};

extern "C" void on_shutdown(void*) { server_gone = true; }

int usage() {
  std::fprintf(stderr,
               "usage: jack_wire [--wait SECONDS] SOURCE DESTINATION [SOURCE DESTINATION ...]\n");
  return 2;
}

} // namespace

int main(int argc, char** argv) {
  double wait_seconds = 60;
  std::vector<std::pair<std::string, std::string>> wires;
  int i = 1;
  if (i + 1 < argc && std::string(argv[i]) == "--wait") {
    char* end = nullptr;
    wait_seconds = std::strtod(argv[i + 1], &end);
    if (end == argv[i + 1] || *end != '\0' || !(wait_seconds > 0)) return usage();
    i += 2;
  }
  if ((argc - i) < 2 || (argc - i) % 2 != 0) return usage();
  for (; i < argc; i += 2) wires.emplace_back(argv[i], argv[i + 1]);

  jack_status_t status{};
  jack_client_t* client = jack_client_open("rc-wire", JackNoStartServer, &status);
  if (client == nullptr) {
    std::fprintf(stderr, "jack_wire: cannot reach the JACK server (status 0x%x)\n",
                 static_cast<unsigned>(status));
    return 1;
  }
  jack_on_shutdown(client, &on_shutdown, nullptr);
  if (jack_activate(client) != 0) { // without activation the graph copy is not kept current
    std::fprintf(stderr, "jack_wire: cannot activate the client\n");
    jack_client_close(client);
    return 1;
  }

  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::duration<double>(wait_seconds);
  std::vector<bool> done(wires.size(), false);
  std::size_t left = wires.size();
  while (left > 0 && !server_gone && std::chrono::steady_clock::now() < deadline) {
    for (std::size_t w = 0; w < wires.size(); ++w) {
      if (done[w]) continue;
      const char* from = wires[w].first.c_str();
      const char* to = wires[w].second.c_str();
      if (jack_port_by_name(client, from) == nullptr || jack_port_by_name(client, to) == nullptr)
        continue;
      const int r = jack_connect(client, from, to);
      if (r == 0 || r == EEXIST) {
        done[w] = true;
        --left;
      }
    }
    if (left > 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  jack_deactivate(client);
  jack_client_close(client);
  if (left > 0) {
    std::fprintf(stderr, "jack_wire: %s after %.1f s\n",
                 server_gone ? "the server went away" : "ports not there or not connectable", took);
    return 1;
  }
  if (took > 1.0) std::fprintf(stderr, "jack_wire: wired after %.1f s\n", took);
  return 0;
}
