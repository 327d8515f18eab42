// app/effect_args.cpp - see effect_args.hpp.
#include "app/effect_args.hpp"

#include "app/cli_errors.hpp"
#include "engine/dsp/chain_parser.hpp"
#include "engine/util/parse_number.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

namespace rc::app {

namespace {
// Whether `word` names an option of `command` that takes no value (a flag such as --force,
// --trigger or -h), from CLI11's own definitions, so the list cannot drift from the options.
bool takes_no_value(const CLI::App& command, const std::string& word) {
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_items_expected_max() != 0) continue;
    for (const std::string& name : option->get_lnames())
      if (word == "--" + name) return true;
    for (const std::string& name : option->get_snames())
      if (word == "-" + name) return true;
  }
  return false;
}

// Whether `word` is a negative number such as "-3" or "-0.5" (an effect's argument; a file
// named "-1.wav" is not one).
bool looks_negative_number(const std::string& word) {
  const std::optional<double> value = parse_finite(word);
  return value && *value < 0;
}
} // namespace

std::string unknown_effect_text(const std::string& word) {
  const std::string close = closest_name(word, effect_names());
  return "unknown effect '" + word + "'" +
         (close.empty() ? std::string() : " (did you mean '" + close + "'?)");
}

std::vector<std::string> take_effect_chain(std::vector<std::string>& args, std::size_t word,
                                           const CLI::App& app) {
  if (word >= args.size()) return {};
  const auto command = args.begin() + static_cast<std::ptrdiff_t>(word);
  if (*command != "capture" && *command != "playthrough" && *command != "process") return {};
  const CLI::App& options_of = *app.get_subcommand(*command);
  const auto is_flag = [&options_of](const std::string& word) {
    return takes_no_value(options_of, word);
  };
  for (auto it = command + 1; it != args.end(); ++it) {
    const std::string& previous = *(it - 1);
    // "-n" is sox's null file to process, not an option; --norm takes its level only as
    // --norm=LEVEL, -V only as -VLEVEL.
    const bool is_option_value =
        it - 1 != command && previous.size() > 1 && previous[0] == '-' &&
        previous.find('=') == std::string::npos && !is_flag(previous) &&
        !(*command == "process" &&
          (previous == "-n" || previous == "--norm" || previous.compare(0, 2, "-V") == 0));
    // A word followed by a negative number ("gian -3") is a mistyped effect: no option of ours
    // is a number, and the chain must start there, or CLI11 would call "-3" an unknown option.
    const bool mistyped_effect = !is_option_value && (*it)[0] != '-' && it + 1 != args.end() &&
                                 looks_negative_number(*(it + 1));
    if (!is_option_value && (is_effect_name(*it) || mistyped_effect)) {
      // Long options after the chain ("process a.wav b.wav gain -3 --force") stay the command's,
      // with their value: no effect argument starts with "--".
      std::vector<std::string> chain, options;
      for (auto w = it; w != args.end(); ++w) {
        if (w->size() > 2 && w->compare(0, 2, "--") == 0) {
          options.push_back(*w);
          if (!is_flag(*w) && w->find('=') == std::string::npos && w + 1 != args.end())
            options.push_back(*++w);
        } else {
          chain.push_back(*w);
        }
      }
      args.erase(it, args.end());
      args.insert(args.end(), options.begin(), options.end());
      return chain;
    }
  }
  return {};
}

ProcessWords take_process_words(std::vector<std::string>& args, std::size_t word,
                                const CLI::App& app) {
  ProcessWords out;
  if (word >= args.size() || args[word] != "process") return out;
  const auto command = args.begin() + static_cast<std::ptrdiff_t>(word);
  const CLI::App& options_of = *app.get_subcommand("process");
  // The format option `word` names ("-r", "--rate"), or nullptr.
  FormatWords pending;
  const auto slot = [&pending](const std::string& word) -> std::string* {
    if (word == "-t" || word == "--type") return &pending.type;
    if (word == "-r" || word == "--rate") return &pending.rate;
    if (word == "-c" || word == "--channels") return &pending.channels;
    if (word == "-b" || word == "--bits") return &pending.bits;
    if (word == "-e" || word == "--encoding") return &pending.encoding;
    if (word == "-v" || word == "--volume") return &pending.volume;
    return nullptr;
  };
  std::vector<std::string> kept(args.begin(), command + 1);
  for (auto it = command + 1; it != args.end(); ++it) {
    const std::string& word = *it;
    const std::size_t equals = word.find('=');
    if (word == "--norm" || word.compare(0, 7, "--norm=") == 0) {
      out.norm = equals == std::string::npos ? std::string() : word.substr(equals + 1);
      continue;
    }
    if (word.compare(0, 2, "-V") == 0) { // sox's -V[LEVEL]: the level attached or one more
      const std::string level = word.substr(2);
      const std::optional<double> value =
          level.empty() ? std::optional(out.verbosity + 1.0) : parse_finite(level);
      if (value && *value == std::floor(*value) && *value >= 0 && *value <= 6)
        out.verbosity = static_cast<int>(*value);
      else if (out.problem.empty())
        out.problem = word + ": the verbosity is a level from 0 to 6, attached (-V3; -V alone: " +
                      "one more than 2, the default)";
      continue;
    }
    if (word.size() > 2 && word.compare(0, 2, "--") == 0 && equals != std::string::npos) {
      if (std::string* s = slot(word.substr(0, equals)))
        *s = word.substr(equals + 1);
      else
        kept.push_back(word);
      if (word.compare(0, equals, "--output") == 0) out.before_o = std::exchange(pending, {});
      continue;
    }
    if (word == "-" || word == "-n" || word.empty() || word[0] != '-') {
      out.files.push_back({word, std::exchange(pending, {})});
      continue;
    }
    if (std::string* s = slot(word)) {
      if (it + 1 == args.end()) {
        out.problem = word + " needs a value";
        break;
      }
      *s = *++it;
      continue;
    }
    kept.push_back(word);
    if (word == "-o" || word == "--output") out.before_o = std::exchange(pending, {});
    if (!takes_no_value(options_of, word) && it + 1 != args.end()) kept.push_back(*++it);
  }
  out.trailing = pending;
  args = std::move(kept);
  return out;
}

} // namespace rc::app
