// app/report_files.hpp - writing a report (JSON, HTML) to the file an option named.
#pragma once

#include <string>

namespace rc::app {

/// Returns: whether a report path means standard output: "-", as sox and arecord read it.
[[nodiscard]] inline bool is_standard_output(const std::string& path) { return path == "-"; }

/// Effects: none when at most one of the report paths is "-". Throws: CLI::ValidationError (a
/// usage error) otherwise: two reports on standard output would be one unreadable stream.
void check_standard_output(const std::string& a, const std::string& b);

/// Returns: whether the text report may go to standard output: not `quiet`, and no report
/// (`a`, `b`) goes there instead (a JSON report piped into jq must be alone).
[[nodiscard]] bool text_report_wanted(bool quiet, const std::string& a, const std::string& b = {});

/// Effects: writes `content` to `path` ("-": standard output) unless path is empty; on failure
/// says so on stderr, naming `what`. Returns: false on failure.
bool write_report_file(const std::string& path, const std::string& content, const char* what);

} // namespace rc::app
