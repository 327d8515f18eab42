// app/cli_errors.cpp - see cli_errors.hpp.
#include "app/cli_errors.hpp"

#include <algorithm>
#include <cstdlib>
#include <regex>

namespace rc::app {

namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
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
  if (&command == &app) {
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      commands.push_back(sub->get_name());
    return "unknown command '" + word + "'" + did_you_mean(word, commands);
  }
  return "unexpected argument '" + word + "'";
}

} // namespace

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
  static const std::regex twice(R"(^(\S+): At Most 1 required but received \d+$)");
  static const std::regex missing(R"(^(\S+): \d+ required \S+ missing$)");
  static const std::regex range(R"(^(\S+): Value (.*) not in range (\S+) to (\S+)$)");
  std::smatch m;
  if (std::regex_match(what, m, twice)) return m.str(1) + " given more than once";
  if (std::regex_match(what, m, missing)) return m.str(1) + " needs a value";
  if (std::regex_match(what, m, range)) {
    const std::string value = m.str(2);
    char* end = nullptr;
    (void)std::strtod(value.c_str(), &end);
    const bool number = !value.empty() && end == value.c_str() + value.size();
    return m.str(1) + ": '" + value + "' is " + (number ? "not within " : "not a number from ") +
           m.str(3) + " to " + m.str(4);
  }
  return what;
}

} // namespace rc::app
