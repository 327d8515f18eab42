// engine/report/playthrough_report.cpp - the playthrough report as JSON and text.
#include "engine/capture/report_json.hpp"
#include "engine/live/playthrough_session.hpp"
#include "engine/util/sanitized_build.hpp"
#include "engine/util/text.hpp"

namespace rc {

namespace {
bool recording(const PlaythroughReport& r) { return !r.capture.output_path.empty(); }
} // namespace

std::string to_json(const PlaythroughReport& r) {
  using json = nlohmann::ordered_json;
  const PlaybackReport& p = r.playback;
  json underruns = json::array();
  for (const UnderrunEvent& e : p.underruns)
    underruns.push_back({{"frame", e.frame}, {"frames", e.frames}});
  const json doc = {{"capture", sections_json(r.capture, all_sections)},
                    {"playback",
                     {{"output_device", p.output_device},
                      {"reported_output_latency_ms", optional_json(p.reported_output_latency_ms)},
                      {"buffer_frames", p.buffer_frames},
                      {"buffer_ms", p.buffer_ms},
                      {"ring_capacity", p.ring_capacity},
                      {"frames_played", p.frames_played},
                      {"underrun_events", p.underrun_events},
                      {"underrun_frames", p.underrun_frames},
                      {"skipped_frames", p.skipped_frames},
                      {"made_up_input_frames", p.made_up_input_frames},
                      {"output_underflow_flags", p.output_underflow_flags},
                      {"overflow_frames", p.overflow_frames},
                      {"worker_realtime", p.worker_realtime},
                      {"underruns", underruns}}},
                    {"timing", timing_json(r.capture.timing)}};
  return doc.dump(2) + "\n";
}

std::string to_text(const PlaythroughReport& r) {
  const PlaybackReport& p = r.playback;
  std::string out;
  out += "played    " + std::to_string(p.frames_played) + " frames to " + p.output_device +
         ", host-reported output latency " +
         reported_ms_text("%.2f ms", p.reported_output_latency_ms) + "\n";
  out += "buffer    " + std::to_string(p.buffer_frames) + " frames" +
         format_double(" (%.2f ms): the latency the ring path adds", p.buffer_ms) +
         "; worker priority " +
         (p.worker_realtime ? "real-time (SCHED_FIFO)"
          : sanitized_build ? "normal (a sanitizer build asks for no real-time priority)"
                            : "normal (no real-time privilege)") +
         "\n";
  out += "underruns " + std::to_string(p.underrun_events) + " events, " +
         std::to_string(p.underrun_frames) + " frames played as silence, " +
         std::to_string(p.skipped_frames) + " late frames skipped; output underflow flags " +
         std::to_string(p.output_underflow_flags) + "\n";
  if (p.made_up_input_frames > 0)
    out += "          " + std::to_string(p.made_up_input_frames) +
           " frames of silence while PortAudio made up the input (the delay grew as much)\n";
  for (const UnderrunEvent& e : p.underruns)
    out += "          silence at frame " + std::to_string(e.frame) +
           format_double(" (%.3f s)", double(e.frame) / (r.capture.rate ? r.capture.rate : 1)) +
           ": " + std::to_string(e.frames) + " frames\n";
  if (p.overflow_frames > 0)
    out += "overflow  " + std::to_string(p.overflow_frames) +
           " frames did not fit the playback ring (the output stalled)\n";
  for (const ReportSection section : all_sections)
    if (section != ReportSection::recording || recording(r))
      out += section_text(r.capture, section);
  return out;
}

} // namespace rc
