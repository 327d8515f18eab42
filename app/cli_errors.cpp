// app/cli_errors.cpp - see cli_errors.hpp.
#include "app/cli_errors.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace rc::app {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  // Optimal string alignment: insertions, deletions, substitutions and a swap of two neighbours
  // ("gian" for "gain") each count one typo. Three rows: the swap looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      row[j] = std::min(
          {previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        row[j] = std::min(row[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, row);
  }
  return previous[b.size()];
}

// Every spelling of `command`'s options: "--duration", "-t".
std::vector<std::string> option_names(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& n : option->get_lnames()) names.push_back("--" + n);
    for (const std::string& n : option->get_snames()) names.push_back("-" + n);
  }
  return names;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& names) {
  const std::string close = closest_name(word, names);
  return close.empty() ? std::string() : " (did you mean '" + close + "'?)";
}

// An argument `command` did not expect, said as such: the first unknown option if there is one
// (most likely the mistake: "capture x.wav 3 --duraton" is a misspelt --duration, whose value 3
// was left over because of it), else the first word.
std::string extras_text(const CLI::App& app, const CLI::App& command) {
  const std::vector<std::string> extras = command.remaining();
  if (extras.empty()) return {};
  const auto option = std::find_if(extras.begin(), extras.end(), [](const std::string& w) {
    return w.size() > 1 && w[0] == '-' && !(w[1] >= '0' && w[1] <= '9');
  });
  const std::string& word = option != extras.end() ? *option : extras.front();
  if (word.size() > 1 && word[0] == '-') {
    const std::string name = word.substr(0, word.find('='));
    return "unknown option '" + name + "'" + did_you_mean(name, option_names(command));
  }
  if (&command == &app)
    return "unknown command '" + word + "'" + did_you_mean(word, command_names(app));
  return "unexpected argument '" + word + "'";
}

} // namespace

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

std::string closest_name(const std::string& word, const std::vector<std::string>& words) {
  std::string best;
  std::size_t best_distance = 0;
  for (const std::string& w : words) {
    const std::size_t d = edit_distance(word, w);
    if (best.empty() || d < best_distance) best = w, best_distance = d;
  }
  const std::size_t allowed = std::min<std::size_t>(2, std::max<std::size_t>(1, word.size() / 3));
  return !best.empty() && best_distance <= allowed ? best : std::string();
}

std::string parse_error_text(const CLI::App& app, const CLI::ParseError& error) {
  const std::string what = error.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    const auto commands = app.get_subcommands();
    const CLI::App& command = commands.empty() ? app : *commands.back();
    if (std::string text = extras_text(app, command); !text.empty()) return text;
  }
  // CLI11's wordings, "NAME: At Most 1 required but received 2", "NAME: 1 required TEXT
  // missing", "NAME: Value V not in range A to B", said as ours (plain string matching: no
  // std::regex, whose code GCC's sanitizer builds warn about).
  const std::size_t colon = what.find(": ");
  if (colon == std::string::npos) return what;
  const std::string name = what.substr(0, colon), rest = what.substr(colon + 2);
  const auto starts = [&rest](const char* p) { return rest.rfind(p, 0) == 0; };
  const auto ends = [&rest](const std::string& s) {
    return rest.size() >= s.size() && rest.compare(rest.size() - s.size(), s.size(), s) == 0;
  };
  if (starts("At Most 1 required but received ")) return name + " given more than once";
  if (rest.find(" required ") != std::string::npos && ends(" missing") &&
      std::isdigit(static_cast<unsigned char>(rest[0])))
    return name + " needs a value";
  if (starts("Value ")) {
    const std::size_t in_range = rest.find(" not in range ");
    const std::size_t to = in_range == std::string::npos ? in_range : rest.find(" to ", in_range);
    if (to != std::string::npos) {
      const std::string value = rest.substr(6, in_range - 6);
      const std::string low = rest.substr(in_range + 14, to - in_range - 14);
      const std::string high = rest.substr(to + 4);
      char* end = nullptr;
      (void)std::strtod(value.c_str(), &end);
      const bool number = !value.empty() && end == value.c_str() + value.size();
      return name + ": '" + value + "' is " + (number ? "not within " : "not a number from ") +
             low + " to " + high;
    }
  }
  return what;
}

} // namespace rc::app
