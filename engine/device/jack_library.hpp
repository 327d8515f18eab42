// engine/device/jack_library.hpp - libjack, loaded when first used (jack_library.cpp defines the
// JACK functions the engine calls as forwarders to it; engine/util/shared_library.hpp).
#pragma once

#include "engine/util/shared_library.hpp"

namespace rc {

/// Any thread but an audio callback (the first call loads libjack). Returns: libjack, opened
/// once for the program. Throws: std::runtime_error if it cannot be loaded. For the functions
/// ringcorder defines in libjack's place (portaudio_session.cpp), which call libjack's own.
const SharedLibrary& jack_library();

} // namespace rc
