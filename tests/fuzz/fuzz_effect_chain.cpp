// tests/fuzz/fuzz_effect_chain.cpp - libFuzzer target: arbitrary text as sox-style effect words.
//
// The bytes are split into words at spaces, tabs, newlines and NULs. Parsing (and cutting at sox's
// pseudo-effects, split_effect_chain) must either succeed or throw ChainSyntaxError; a parsed chain
// must either configure for a stereo 48 kHz stream or throw std::invalid_argument (a parameter that
// does not fit the format), and then process and flush a few blocks without crashing. Every output
// sample must be finite when the chain has at most three effects that apply gain: each may apply up
// to +200 dB (+248 for a 256-input remix), so three stay well inside float's ~770 dB, and anything
// else non-finite is the parser's fault. More gain stages can legitimately overflow, as in sox;
// those chains must still not crash.
#include "engine/dsp/chain_parser.hpp"
#include "engine/dsp/offline_effects.hpp"

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

constexpr std::size_t max_words = 64; // longer chains only repeat what shorter ones cover
constexpr std::size_t block_frames = 256;
constexpr int channels = 2;

std::vector<std::string> split_words(const std::uint8_t* data, std::size_t size) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < size && words.size() < max_words; ++i) {
    const char c = static_cast<char>(data[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\0') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word += c;
    }
  }
  if (!word.empty() && words.size() < max_words) words.push_back(std::move(word));
  return words;
}

bool check_finite = true;

void require_finite(rc::AudioBlock block) {
  if (!check_finite) return;
  for (std::size_t i = 0; i < block.samples(); ++i)
    if (!std::isfinite(block.data[i])) std::abort(); // a crash libFuzzer reports with the input
}

/// Returns: how many of `words` name an effect that applies gain; a raw biquad counts as
/// unbounded (its coefficients and a pole next to the unit circle can give any gain).
int gain_stages(const std::vector<std::string>& words) {
  int n = 0;
  for (const std::string& w : words) {
    if (w == "biquad") return 1000;
    n += w == "gain" || w == "bass" || w == "treble" || w == "equalizer" || w == "remix" ||
         w == "vol" || w == "bandpass" || w == "band" || w == "riaa";
  }
  return n;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::vector<std::string> words = split_words(data, size);
  check_finite = gain_stages(words) <= 3;
  try { // sox's pseudo-effects (: newfile restart) split the words: refused only by its error
    (void)rc::split_effect_chain(words);
  } catch (const rc::ChainSyntaxError&) {
  }
  rc::EffectChain chain;
  try {
    chain = rc::parse_effect_chain(words);
  } catch (const rc::ChainSyntaxError&) {
    return 0; // refused with a message: the expected outcome for most inputs
  }
  try {
    chain.set_input_length(4 * block_frames, 48000);
    chain.configure({channels, 48000.0, block_frames});
  } catch (const std::invalid_argument&) {
    return 0; // e.g. a remix of channels the input does not have
  }
  for (auto norms = chain.norms_to_measure(); !norms.empty(); norms = chain.norms_to_measure())
    norms.front()->apply(); // unmeasured: norm of silence must stay finite too
  std::vector<float> block(block_frames * channels);
  std::uint32_t noise = 12345;
  for (int b = 0; b < 4; ++b) {
    for (float& s : block) {
      noise = noise * 1664525u + 1013904223u;
      s = static_cast<float>(static_cast<std::int32_t>(noise)) / 2147483648.0f;
    }
    require_finite(chain.process({block.data(), block_frames, channels}));
  }
  chain.flush(require_finite);
  return 0;
}
