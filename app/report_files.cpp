// app/report_files.cpp - see report_files.hpp.
#include "app/report_files.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

namespace rc::app {

void check_standard_output(const std::string& a, const std::string& b) {
  if (is_standard_output(a) && is_standard_output(b))
    throw CLI::ValidationError("only one report can go to standard output ('-')");
}

bool text_report_wanted(bool quiet, const std::string& a, const std::string& b) {
  return !quiet && !is_standard_output(a) && !is_standard_output(b);
}

bool write_report_file(const std::string& path, const std::string& content, const char* what) {
  if (path.empty()) return true;
  if (is_standard_output(path)) {
    std::cout << content << std::flush;
    if (!std::cout) {
      std::cerr << "ringcorder: cannot write the " << what << " to standard output\n";
      return false;
    }
    return true;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << content;
  file.close();
  if (!file) {
    std::cerr << "ringcorder: cannot write the " << what << " to '" << path << "'\n";
    return false;
  }
  return true;
}

} // namespace rc::app
