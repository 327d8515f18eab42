// app/report_files.hpp - writing a report (JSON, HTML) to the file an option named.
#pragma once

#include <iostream>
#include <string>

namespace CLI {
class App;
}

namespace rc::app {

/// --stats-json FILE, --html FILE, -q/--quiet: the reports a command writes, the same on every
/// command ("-" is standard output).
struct ReportArgs {
  std::string stats_json; ///< --stats-json (latency also --json): the report as JSON.
  std::string html;       ///< --html: the report as a page with charts (live commands).
  bool quiet = false;     ///< -q: print nothing but errors.
};
/// Effects: adds --stats-json (and the `json_alias` name, such as "--json", if given), --html
/// when `html`, and -q to `cmd`; `quiet_help` says what -q leaves out.
void add_report_options(CLI::App& cmd, ReportArgs& args, bool html, const char* quiet_help,
                        const char* json_alias = nullptr);

/// Returns: whether a report path means standard output: "-", as sox and arecord read it.
[[nodiscard]] inline bool is_standard_output(const std::string& path) { return path == "-"; }

/// Effects: none when at most one of `args`' report paths is "-". Throws: a usage error otherwise.
void check_standard_output(const ReportArgs& args);

/// Returns: whether the text report may go to standard output (see below).
[[nodiscard]] bool text_report_wanted(const ReportArgs& args);

/// Effects: none when at most one of the report paths is "-". Throws: CLI::ValidationError (a
/// usage error) otherwise: two reports on standard output would be one unreadable stream.
void check_standard_output(const std::string& a, const std::string& b);

/// Returns: whether the text report may go to standard output: not `quiet`, and no report
/// (`a`, `b`) goes there instead (a JSON report piped into jq must be alone).
[[nodiscard]] bool text_report_wanted(bool quiet, const std::string& a, const std::string& b = {});

/// Effects: writes `content` to `path` ("-": standard output) unless path is empty; on failure
/// says so on stderr, naming `what`. Returns: false on failure.
bool write_report_file(const std::string& path, const std::string& content, const char* what);

/// Effects: a command's reports of `report`, as `args` asks: the text on standard output (unless
/// text_report_wanted() says no), the JSON (to_json) and, where the report has a page (to_html),
/// the HTML. Returns: false when a report file could not be written (said on stderr).
template <class Report> bool write_reports(const ReportArgs& args, const Report& report) {
  if (text_report_wanted(args)) std::cout << to_text(report);
  if (!write_report_file(args.stats_json, to_json(report), "JSON report")) return false;
  if constexpr (requires { to_html(report); }) {
    return write_report_file(args.html, to_html(report), "HTML report");
  } else if (!args.html.empty()) { // a command that offers --html without a page to write
    std::cerr << "ringcorder: this report has no HTML page\n";
    return false;
  }
  return true;
}

} // namespace rc::app
