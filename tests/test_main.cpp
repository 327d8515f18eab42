// The doctest runner shared by every test executable.
//
// CTest runs each test case on its own (doctest_discover_tests: --test-case=NAME). A name CTest
// cannot pass through whole (a ';' splits it into two list items) matches no test case, and
// doctest alone calls a run of nothing a success: such a test never ran and never failed. So a
// run that was given a test-case filter and ran no test case fails here.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>

namespace {

unsigned test_cases_run = 0; // set by the listener at the end of the run

/// Counts the test cases that passed the filters; reports nothing itself.
struct RunCounter final : doctest::IReporter {
  explicit RunCounter(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats& stats) override {
    test_cases_run = stats.numTestCasesPassingFilters;
  }
  void test_case_start(const doctest::TestCaseData&) override {}
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

REGISTER_LISTENER("run-counter", 1, RunCounter);

bool has_test_case_filter(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    for (const char* prefix : {"--test-case=", "-tc=", "--dt-test-case=", "--dt-tc="})
      if (std::strncmp(argv[i], prefix, std::strlen(prefix)) == 0) return true;
  return false;
}

} // namespace

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int result = context.run();
  if (context.shouldExit() || result != 0) return result; // --help, --list-*, or failures
  if (has_test_case_filter(argc, argv) && test_cases_run == 0) {
    std::fprintf(stderr, "test_main: no test case matched the --test-case filter (a name with "
                         "';' reaches it cut in two by CTest): nothing was tested\n");
    return 1;
  }
  return 0;
}
