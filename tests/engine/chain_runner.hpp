// tests/engine/chain_runner.hpp - runs an offline effect chain over a whole signal in blocks of a
// chosen size, as process_job feeds it: for the tests that check an effect's output does not
// depend on where block boundaries fall.
#pragma once

#include "engine/dsp/chain_parser.hpp"
#include "engine/dsp/effect_chain.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

namespace rc::test {

/// How run_chain feeds the chain.
struct ChainFeed {
  int channels;              ///< interleaved channels of the input
  double rate;               ///< the input's sample rate
  std::size_t block;         ///< frames per block (the last one may be shorter)
  int bits = 32;             ///< the input's precision (EffectChain::set_input_precision)
  bool empty_blocks = false; ///< an empty block (null data) after each block, as a reader at EOF
};

/// Returns: `input` (interleaved, feed.channels) through the chain `words`, configured for the
/// input's length and precision, fed in blocks of feed.block frames, then flushed.
/// Checks (doctest): every block the chain emits has feed.channels channels and frames in it.
inline std::vector<float> run_chain(const std::vector<std::string>& words,
                                    const std::vector<float>& input, const ChainFeed& feed) {
  EffectChain chain = parse_effect_chain(words);
  const auto channels = static_cast<std::size_t>(feed.channels);
  const std::size_t frames = input.size() / channels;
  chain.set_input_length(frames, feed.rate);
  chain.set_input_precision(feed.bits);
  chain.configure({feed.channels, feed.rate, feed.block});
  std::vector<float> out;
  const auto sink = [&out, &feed](AudioBlock b) {
    REQUIRE(b.channels == feed.channels);
    REQUIRE(b.frames > 0);
    out.insert(out.end(), b.data, b.data + b.frames * static_cast<std::size_t>(b.channels));
  };
  std::vector<float> scratch(feed.block * channels);
  for (std::size_t at = 0; at < frames; at += feed.block) {
    const std::size_t n = std::min(feed.block, frames - at);
    std::copy(input.begin() + static_cast<std::ptrdiff_t>(at * channels),
              input.begin() + static_cast<std::ptrdiff_t>((at + n) * channels), scratch.begin());
    chain.process({scratch.data(), n, feed.channels}, sink);
    if (feed.empty_blocks) chain.process({nullptr, 0, feed.channels}, sink);
  }
  chain.flush(sink);
  return out;
}

} // namespace rc::test
