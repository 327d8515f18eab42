// engine/report/process_report.cpp - see process_report.hpp.
#include "engine/report/process_report.hpp"

#include <nlohmann/json.hpp>

namespace rc {

std::string to_json(const std::vector<ProcessOutcome>& outcomes) {
  using json = nlohmann::ordered_json;
  json files = json::array();
  std::size_t failed = 0;
  for (const ProcessOutcome& o : outcomes) {
    json f;
    f["input"] = o.input;
    f["output"] = o.output;
    f["ok"] = o.result.has_value();
    f["error"] = o.error.empty() ? json() : json(o.error);
    if (const ProcessResult* r = o.result ? &*o.result : nullptr) {
      f["input_format"] = r->input_format;
      f["input_rate"] = r->input_rate;
      f["input_channels"] = r->input_channels;
      f["frames_in"] = r->frames_in;
      f["output_format"] = r->output_format;
      f["output_rate"] = r->output_rate;
      f["output_channels"] = r->output_channels;
      f["frames_out"] = r->frames_out;
      f["effects"] = r->chain;
      json clips = json::object();
      for (const auto& [effect, n] : r->clips) clips[effect] = n;
      f["clipped"] = clips;
      f["output_clipped"] = r->output_clipped;
      f["seconds"] = r->seconds;
      const double audio_seconds = r->input_rate > 0 ? double(r->frames_in) / r->input_rate : 0;
      f["speed"] = r->seconds > 0 ? json(audio_seconds / r->seconds) : json();
    } else {
      ++failed;
    }
    files.push_back(std::move(f));
  }
  const json doc = {{"files", files}, {"converted", outcomes.size() - failed}, {"failed", failed}};
  return doc.dump(2) + "\n";
}

} // namespace rc
