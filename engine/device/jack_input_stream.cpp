// engine/device/jack_input_stream.cpp - see jack_input_stream.hpp.
#include "engine/device/jack_input_stream.hpp"

#include <jack/jack.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace rc {

namespace {

jack_client_t* as_client(void* p) noexcept { return static_cast<jack_client_t*>(p); }
jack_port_t* as_port(void* p) noexcept { return static_cast<jack_port_t*>(p); }

extern "C" void ignore_jack_message(const char*) {}

/// The flag that marks gate_ as set (the cycle frame itself may be 0).
constexpr std::uint64_t gate_set = std::uint64_t{1} << 32;

} // namespace

void quiet_libjack() noexcept {
  jack_set_error_function(&ignore_jack_message);
  jack_set_info_function(&ignore_jack_message);
  setenv("JACK_NO_START_SERVER", "1", /*overwrite=*/0);
}

void prepare_jack_client(const ShmNeed& also) {
  require_free_bytes("/dev/shm", libjack_shm_bytes + also.bytes,
                     "the JACK client (libjack's registry)" +
                         (also.bytes > 0 ? " and " + also.what : std::string()));
  quiet_libjack();
}

std::string port_pattern_regex(const std::string& pattern) {
  std::string regex = "^";
  for (const char c : pattern) {
    if (c == '*') {
      regex += ".*";
    } else if (c == '?') {
      regex += '.';
    } else {
      if (std::strchr(".[]{}()\\+|^$", c) != nullptr) regex += '\\';
      regex += c;
    }
  }
  return regex + "$";
}

bool natural_less(const std::string& a, const std::string& b) noexcept {
  std::size_t i = 0, j = 0;
  const auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
  while (i < a.size() && j < b.size()) {
    if (digit(a[i]) && digit(b[j])) {
      std::size_t ei = i, ej = j;
      while (ei < a.size() && digit(a[ei])) ++ei;
      while (ej < b.size() && digit(b[ej])) ++ej;
      // Compare as numbers without converting: leading zeros off, then length, then digits.
      std::size_t si = i, sj = j;
      while (si + 1 < ei && a[si] == '0') ++si;
      while (sj + 1 < ej && b[sj] == '0') ++sj;
      if (ei - si != ej - sj) return ei - si < ej - sj;
      const int order = a.compare(si, ei - si, b, sj, ej - sj);
      if (order != 0) return order < 0;
      if (ei - i != ej - j) return ei - i < ej - j; // "01" after "1": any total order will do
      i = ei;
      j = ej;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

JackInputStream::JackInputStream(const std::string& client_name) {
  jack_status_t status{};
  jack_client_t* client =
      jack_client_open(client_name.c_str(),
                       static_cast<jack_options_t>(JackNoStartServer | JackUseExactName), &status);
  if (client == nullptr) {
    if ((status & JackNameNotUnique) != 0)
      throw std::runtime_error("the JACK client name '" + client_name +
                               "' is taken: choose another with --jack-name");
    throw std::runtime_error("no JACK server answered (--port needs a running JACK server)");
  }
  client_ = client;
  rate_ = static_cast<int>(jack_get_sample_rate(client));
  period_ = jack_get_buffer_size(client);
  jack_on_shutdown(client, &JackInputStream::shutdown, this);
  jack_set_xrun_callback(client, &JackInputStream::xrun, this);
  jack_set_process_callback(client, &JackInputStream::process, this);
}

JackInputStream::~JackInputStream() { stop(); }

std::vector<std::string> JackInputStream::find_sources(const std::vector<std::string>& patterns) {
  std::vector<std::string> found;
  for (const std::string& pattern : patterns) {
    const char** names = jack_get_ports(as_client(client_), port_pattern_regex(pattern).c_str(),
                                        JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput);
    std::vector<std::string> matched;
    for (std::size_t k = 0; names != nullptr && names[k] != nullptr; ++k)
      matched.emplace_back(names[k]);
    jack_free(static_cast<void*>(names));
    if (matched.empty())
      throw std::runtime_error("no JACK output port matches '" + pattern +
                               "' (jack_lsp -p lists the ports)");
    std::sort(matched.begin(), matched.end(), natural_less);
    for (std::string& name : matched)
      if (std::find(found.begin(), found.end(), name) == found.end())
        found.push_back(std::move(name));
  }
  return found;
}

void JackInputStream::connect(const std::vector<std::string>& sources) {
  sources_ = sources;
  interleaved_.assign(std::size_t{max_period} * sources.size(), 0.0f);
  jack_client_t* client = as_client(client_);
  // Active first, then the ports: JACK refuses to connect a port of an inactive client, so a
  // source or patchbay that connects as soon as our ports appear must find the client active.
  // The process callback touches no port before start() opens the gate.
  if (jack_activate(client) != 0) throw std::runtime_error("JACK would not activate the client");
  started_ = true;
  for (std::size_t k = 0; k < sources.size(); ++k) {
    const std::string name = "in_" + std::to_string(k);
    jack_port_t* port =
        jack_port_register(client, name.c_str(), JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
    if (port == nullptr)
      throw std::runtime_error("JACK refused the port " + name + " (" +
                               std::to_string(sources.size()) + " asked)");
    ports_.push_back(port);
  }
  for (std::size_t k = 0; k < sources_.size(); ++k) {
    const char* ours = jack_port_name(as_port(ports_[k]));
    // EEXIST: connected already (by a patchbay or the source itself), which is what we want.
    if (const int err = jack_connect(client, sources_[k].c_str(), ours); err != 0 && err != EEXIST)
      throw std::runtime_error("JACK refused to connect " + sources_[k] + " to " + ours);
  }
}

void JackInputStream::start(JackInputCallback callback, void* user) noexcept {
  callback_ = callback;
  user_ = user;
  // jack_connect returned once the server held the new graph, which it takes up at the start of
  // a later cycle: the cycle running now (its frame counter was at most `now` when it began)
  // may still run without the connections, so the gate opens at a cycle that began after `now`
  // in which every port has its connection (process()).
  const jack_nframes_t now = jack_frame_time(as_client(client_));
  gate_.store(gate_set | static_cast<std::uint32_t>(now + 1), std::memory_order_release);
}

void JackInputStream::stop() noexcept {
  if (closed_ || client_ == nullptr) return;
  closed_ = true;
  done_.store(true);
  if (server_gone_.load()) {
    // Closing would wait for a dead server: the client is left alone, but a callback that
    // passed the done_ check before it was set may still be running; wait it out.
    for (int i = 0; i < 1000 && in_callback_.load() != 0; ++i)
      std::this_thread::sleep_for(std::chrono::microseconds(100));
    return;
  }
  jack_client_t* client = as_client(client_);
  // Deactivated first: a closing client's ports go while no notification walks them (see
  // portaudio_session.cpp on libjack's race), and no process callback runs after this.
  if (started_) jack_deactivate(client);
  jack_client_close(client);
}

bool JackInputStream::active() const noexcept {
  return started_ && !closed_ && !done_.load() && !server_gone_.load();
}

std::optional<double> JackInputStream::claimed_latency() const noexcept {
  if (ports_.empty() || !started_ || closed_ || server_gone_.load()) return std::nullopt;
  jack_latency_range_t range{};
  jack_port_get_latency_range(as_port(ports_.front()), JackCaptureLatency, &range);
  if (range.max == 0 || rate_ <= 0) return std::nullopt;
  return static_cast<double>(range.max) / rate_;
}

int JackInputStream::process(std::uint32_t frames, void* self) noexcept {
  auto* s = static_cast<JackInputStream*>(self);
  // Sequentially consistent, paired with stop(): either stop() sees this call in flight, or
  // this call sees done_.
  s->in_callback_.fetch_add(1);
  if (!s->done_.load()) s->deliver(frames);
  s->in_callback_.fetch_sub(1);
  return 0;
}

void JackInputStream::deliver(std::uint32_t frames) noexcept {
  const std::uint32_t cycle = jack_last_frame_time(as_client(client_));
  if (!gate_open_) {
    const std::uint64_t gate = gate_.load(std::memory_order_acquire);
    if (gate == 0 || static_cast<std::int32_t>(cycle - static_cast<std::uint32_t>(gate)) < 0)
      return; // not started, or the connections may not be in this cycle's graph yet
    for (void* port : ports_) // jack2 may put off a new graph by a cycle: wait for all of it
      if (jack_port_connected(as_port(port)) == 0) return;
    gate_open_ = true;
    xrun_.store(false); // an xrun before the timeline began is none of the recording's
  }
  const std::size_t channels = ports_.size();
  std::uint32_t flags =
      xrun_.load(std::memory_order_relaxed) && xrun_.exchange(false) ? jack_input_overflow_flag : 0;
  // A period beyond max_period (no JACK2 server has one) goes in pieces, each at its own frame.
  for (std::uint32_t offset = 0; offset < frames; offset += max_period) {
    const std::uint32_t n = std::min(frames - offset, max_period);
    float* out = interleaved_.data();
    for (std::size_t c = 0; c < channels; ++c) {
      const auto* in = static_cast<const float*>(jack_port_get_buffer(as_port(ports_[c]), frames));
      for (std::uint32_t f = 0; f < n; ++f) out[f * channels + c] = in[offset + f];
    }
    if (callback_(out, n, flags, cycle + offset, user_)) {
      done_.store(true);
      break;
    }
    flags = 0;
  }
}

int JackInputStream::xrun(void* self) noexcept {
  static_cast<JackInputStream*>(self)->xrun_.store(true);
  return 0;
}

void JackInputStream::shutdown(void* self) noexcept {
  static_cast<JackInputStream*>(self)->server_gone_.store(true);
}

} // namespace rc
