// tests/engine/outcomes_test.cpp - the reports' words for each outcome stay what the README
// documents, and signals map to stop reasons.
#include "engine/core/outcomes.hpp"

#include <doctest/doctest.h>

#include <csignal>
#include <set>
#include <string>

using namespace rc;

TEST_CASE("every outcome has the word the reports have always used") {
  CHECK(std::string(to_string(StopReason::duration)) == "duration");
  CHECK(std::string(to_string(StopReason::sigint)) == "SIGINT");
  CHECK(std::string(to_string(StopReason::sigterm)) == "SIGTERM");
  CHECK(std::string(to_string(StopReason::sighup)) == "SIGHUP");
  CHECK(std::string(to_string(StopReason::other_signal)) == "signal");
  CHECK(std::string(to_string(StopReason::error)) == "error");
  CHECK(std::string(to_string(StopReason::reader_closed)) == "reader closed");

  CHECK(std::string(to_string(XrunKind::overrun)) == "overrun");
  CHECK(std::string(to_string(XrunKind::host_gap)) == "host gap");
  CHECK(std::string(to_string(XrunKind::underrun)) == "underrun");
  CHECK(std::string(to_string(XrunKind::input_overflow)) == "input overflow");
  CHECK(std::string(to_string(XrunKind::output_underflow)) == "output underflow");

  CHECK(std::string(to_string(TakeTrigger::level)) == "level");
  CHECK(std::string(to_string(TakeTrigger::signal)) == "SIGUSR1");
  CHECK(std::string(to_string(TakeTrigger::enter)) == "Enter");
  CHECK(std::string(to_string(TakeEnd::quiet)) == "quiet");
  CHECK(std::string(to_string(TakeEnd::signal)) == "SIGUSR1");
  CHECK(std::string(to_string(TakeEnd::enter)) == "Enter");
  CHECK(std::string(to_string(TakeEnd::stop)) == "stop");

  CHECK(std::string(to_string(TapEnd::finished)) == "finished");
  CHECK(std::string(to_string(TapEnd::capture_gone)) == "capture-gone");
  CHECK(std::string(to_string(TapEnd::signal)) == "signal");
  CHECK(std::string(to_string(TapEnd::duration)) == "duration");
  CHECK(std::string(to_string(TapEnd::error)) == "error");
}

TEST_CASE("words are distinct within each kind of outcome") {
  const std::set<std::string> stops{
      to_string(StopReason::duration),     to_string(StopReason::sigint),
      to_string(StopReason::sigterm),      to_string(StopReason::sighup),
      to_string(StopReason::other_signal), to_string(StopReason::error),
      to_string(StopReason::reader_closed)};
  CHECK(stops.size() == 7);
  const std::set<std::string> xruns{
      to_string(XrunKind::overrun), to_string(XrunKind::host_gap), to_string(XrunKind::underrun),
      to_string(XrunKind::input_overflow), to_string(XrunKind::output_underflow)};
  CHECK(xruns.size() == 5);
}

TEST_CASE("a stop signal becomes its stop reason") {
  CHECK(stop_reason_for_signal(SIGINT) == StopReason::sigint);
  CHECK(stop_reason_for_signal(SIGTERM) == StopReason::sigterm);
  CHECK(stop_reason_for_signal(SIGHUP) == StopReason::sighup);
  CHECK(stop_reason_for_signal(SIGUSR2) == StopReason::other_signal);
}
