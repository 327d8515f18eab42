// engine/report/process_report.hpp - what `ringcorder process` did to each file, as JSON.
#pragma once

#include "engine/offline/process_job.hpp"

#include <optional>
#include <string>
#include <vector>

namespace rc {

/// One file of a process run: what was asked, and what came of it.
struct ProcessOutcome {
  std::string input;                   ///< The input file asked for.
  std::string output;                  ///< The output file asked for.
  std::optional<ProcessResult> result; ///< Set when the conversion succeeded.
  std::string error;                   ///< Why it failed; empty when it succeeded.
  bool skipped = false; ///< --skip-existing: the output was there already (no result, no error).
};

/// Returns: the outcome as one line of JSON for a batch's manifest (JSON lines, README:
/// "process: batches"): {"input", "output", "result": "converted"|"skipped"|"failed", "frames"
/// (written), "seconds" (audio written), "wall_seconds", "clips" (samples clipped, all
/// effects and the output), "error"}, then a newline.
std::string manifest_line(const ProcessOutcome& outcome);

/// Returns: the run as a JSON document (2-space indented): {"files": [...], "converted",
/// "failed"}, one object per file in the order asked (README: "process --stats-json").
std::string to_json(const std::vector<ProcessOutcome>& outcomes);

} // namespace rc
