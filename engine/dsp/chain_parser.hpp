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

/// Returns: true if `word` is one of sox's pseudo-effects, which split the effects into several
/// chains: ":", "newfile", "restart".
bool is_pseudo_effect(const std::string& word);

/// Effects: parses `words` (each effect name followed by its arguments, as sox takes them) into a
/// chain of unconfigured effects, validating every parameter.
/// Throws: ChainSyntaxError, e.g. "highpass: frequency 'abc' is not a number"; also for a
/// pseudo-effect (split_effect_chain() takes those).
EffectChain parse_effect_chain(const std::vector<std::string>& words);

/// One of the chains sox's pseudo-effects split an effect list into.
struct ChainSegment {
  /// What the segment does when the chain before it has ended its output.
  enum class Kind {
    effects, ///< Runs `words` on the rest of the input, into the current output file.
    newfile, ///< Ends the current output file; the next segment writes the next numbered one.
    restart, ///< Goes back to the first segment (after a newfile: one file per part).
  };
  Kind kind = Kind::effects;      ///< See Kind.
  std::vector<std::string> words; ///< For effects: the effect words; may be empty (copies).
};

/// Effects: cuts `words` into chains as sox 14.4.2 does: ':' ends a chain that has effects
/// (another ':' right after is ignored), "newfile" and "restart" each stand as a chain of their
/// own (with or without ':' around them), and after "newfile", "restart" or a final ':' an empty
/// chain closes the list (sox's: it copies the rest of the input). Parses each chain
/// (parse_effect_chain). Returns: the segments, the first always of effects; one empty effects
/// segment for no words. Throws: ChainSyntaxError for a bad effect, a pseudo-effect before any
/// effect or with arguments, "restart" without a "newfile" before it (it would only go on into
/// the same file), or effects after "restart" (never reached).
std::vector<ChainSegment> split_effect_chain(const std::vector<std::string>& words);

/// Returns: true if `segments` write more than one file (they hold a newfile).
bool splits_output(const std::vector<ChainSegment>& segments);

} // namespace rc
