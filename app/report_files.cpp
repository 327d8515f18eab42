// app/report_files.cpp - see report_files.hpp.
#include "app/report_files.hpp"

#include <fstream>
#include <iostream>

namespace rc::app {

bool write_report_file(const std::string& path, const std::string& content, const char* what) {
  if (path.empty()) return true;
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
