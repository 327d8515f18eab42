// app/report_files.cpp - see report_files.hpp.
#include "app/report_files.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <iostream>

namespace rc::app {

void add_report_options(CLI::App& cmd, ReportArgs& args, bool html, const char* quiet_help,
                        const char* json_alias) {
  cmd.add_option(json_alias ? std::string("--stats-json,") + json_alias : "--stats-json",
                 args.stats_json, "Write the report as JSON to this file ('-': standard output)");
  if (html) cmd.add_option("--html", args.html, "Write the report as an HTML page with charts");
  cmd.add_flag("-q,--quiet", args.quiet, quiet_help);
}

void check_standard_output(const ReportArgs& args) {
  check_standard_output(args.stats_json, args.html);
}

bool text_report_wanted(const ReportArgs& args) {
  return text_report_wanted(args.quiet, args.stats_json, args.html);
}

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
