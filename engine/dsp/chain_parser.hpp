// engine/dsp/chain_parser.hpp - sox-style effect arguments ("gain -3 highpass 80") to a chain.
#pragma once

#include "engine/dsp/effect_chain.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace rc {

/// A malformed effect chain; the message names the effect and the bad value.
class ChainSyntaxError : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

/// Returns: the effect names the parser knows, in the order the README lists them.
const std::vector<std::string>& effect_names();

/// Returns: true if `word` is an effect name.
bool is_effect_name(const std::string& word);

/// Effects: parses `words` (each effect name followed by its arguments, as sox takes them) into a
/// chain of unconfigured effects, validating every parameter.
/// Throws: ChainSyntaxError, e.g. "highpass: frequency 'abc' is not a number".
EffectChain parse_effect_chain(const std::vector<std::string>& words);

} // namespace rc
