// app/effect_args.cpp - see effect_args.hpp.
#include "app/effect_args.hpp"

#include "engine/dsp/chain_parser.hpp"

#include <algorithm>
#include <array>

namespace rc::app {

namespace {
// Options of capture/playthrough that take no value; every other option takes one.
bool is_flag(const std::string& word) {
  static constexpr std::array<const char*, 6> flags{"-f",      "--force",     "-q",
                                                    "--quiet", "--no-dither", "--help"};
  return std::find(flags.begin(), flags.end(), word) != flags.end() || word == "-h";
}
} // namespace

std::vector<std::string> take_effect_chain(std::vector<std::string>& args) {
  const auto command = std::find_if(args.begin(), args.end(), [](const std::string& a) {
    return a == "capture" || a == "playthrough" || a == "process";
  });
  if (command == args.end()) return {};
  for (auto it = command + 1; it != args.end(); ++it) {
    const std::string& previous = *(it - 1);
    const bool is_option_value = it - 1 != command && previous.size() > 1 && previous[0] == '-' &&
                                 previous.find('=') == std::string::npos && !is_flag(previous);
    if (!is_option_value && is_effect_name(*it)) {
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

} // namespace rc::app
