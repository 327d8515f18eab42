// tests/fuzz/fuzz_offline_process.cpp - libFuzzer target: arbitrary bytes as an input file for
// `ringcorder process`, through an effect chain, to an output that is then discarded.
//
// The first byte picks the chain and the output encoding; the rest is the input file. The run is
// the real offline path (run_process: reader, chain and writer threads, rename into place). It
// must finish with a result or throw std::invalid_argument / std::runtime_error (a bad or
// unreadable input) - never crash, hang or trip a sanitizer.
#include "engine/dsp/chain_parser.hpp"
#include "engine/files/sound_file_reader.hpp"
#include "engine/offline/process_job.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

/// A private directory for the input and output files, removed when the fuzzer exits.
struct ScratchDirectory {
  fs::path path;
  ScratchDirectory() {
    std::string pattern = (fs::temp_directory_path() / "rc-fuzz-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) std::abort();
    path = pattern;
  }
  ~ScratchDirectory() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

const std::vector<std::vector<std::string>> chains = {
    {},
    {"gain", "-3"},
    {"highpass", "80", "lowpass", "-1", "5000"},
    {"norm", "-1"},
    {"rate", "44100"},
    {"remix", "-m", "1,2"},
    {"fade", "q", "0.01", "0.05", "0.01"},
    {"bass", "3", "treble", "-2", "limit", "-1"},
    {"swap", "equalizer", "1000", "1q", "3"},
};
const std::vector<std::string> encodings = {"", "16", "24", "float"};

// Inputs that decode to more than this many samples are skipped: they only make a run slow.
constexpr std::uint64_t max_samples = 4'000'000;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  for (const auto& chain : chains) (void)rc::parse_effect_chain(chain); // the table must be valid
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static const ScratchDirectory scratch;
  const fs::path input = scratch.path / "input";
  const fs::path output = scratch.path / "output.wav";
  if (FILE* f = std::fopen(input.c_str(), "wb")) {
    if (size > 1) std::fwrite(data + 1, 1, size - 1, f);
    std::fclose(f);
  } else {
    std::abort();
  }

  rc::ProcessRequest request;
  request.input = input.string();
  request.output = output.string();
  request.effects = chains[data[0] % chains.size()];
  request.encoding = encodings[(data[0] / chains.size()) % encodings.size()];
  request.overwrite = true;

  try {
    {
      const rc::SoundFileReader peek(request.input);
      const std::uint64_t samples = peek.frames() * static_cast<std::uint64_t>(peek.channels());
      const bool upsampling = request.effects == std::vector<std::string>{"rate", "44100"};
      if (samples > max_samples || (upsampling && peek.rate() < 4000)) return 0;
    }
    rc::ProcessProgress progress;
    (void)rc::run_process(request, progress);
  } catch (const std::invalid_argument&) {
  } catch (const std::runtime_error&) {
  }
  std::error_code ec;
  fs::remove(output, ec);
  return 0;
}
