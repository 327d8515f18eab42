// app/report_files.hpp - writing a report (JSON, HTML) to the file an option named.
#pragma once

#include <string>

namespace rc::app {

/// Effects: writes `content` to `path` unless path is empty; on failure says so on stderr,
/// naming `what`. Returns: false on failure.
bool write_report_file(const std::string& path, const std::string& content, const char* what);

} // namespace rc::app
