// tests/engine/portaudio_session_test.cpp - the libjack calls PortAudio makes to add and remove a
// stream's ports reach ringcorder's wrappers (engine/device/portaudio_session.cpp), which keep
// PortAudio from unregistering ports of an active JACK client: libjack's notification thread
// would walk the port list being changed (the rare end-of-run SIGSEGV of `latency`).
#include "engine/device/jack_library.hpp"
#include "engine/device/portaudio_session.hpp"

#include <dlfcn.h>
#include <doctest/doctest.h>
#include <jack/jack.h>

#include <utility>

TEST_CASE("PortAudio's jack_port_register/jack_port_unregister calls reach ringcorder's wrappers") {
  CHECK_FALSE(rc::portaudio_wedged()); // links the wrappers' object, as every PortAudio user does
  const std::pair<const char*, void*> ours[] = {
      {"jack_port_unregister", reinterpret_cast<void*>(&jack_port_unregister)},
      {"jack_port_register", reinterpret_cast<void*>(&jack_port_register)}};
  for (const auto& [name, wrapper] : ours) {
    CAPTURE(name);
    // The global lookup is how libportaudio's calls are bound: the program's definition first.
    CHECK(dlsym(RTLD_DEFAULT, name) == wrapper);
    // libjack's own definition is still there for the wrapper to forward to (libjack is
    // loaded when first needed, engine/util/shared_library.hpp).
    void* real = rc::jack_library().function<void*>(name);
    CHECK(real != nullptr);
    CHECK(real != wrapper);
    // Loaded RTLD_GLOBAL, libjack comes after the program: the program's definition still wins.
    CHECK(dlsym(RTLD_DEFAULT, name) == wrapper);
  }
}
