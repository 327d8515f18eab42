// tests/engine/temp_dir.hpp - a private directory under /tmp for one test, removed afterwards.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

namespace rc::test {

/// Creates a fresh directory (mkdtemp) named after `stem`; removes it and its contents on exit.
struct TempDir {
  std::filesystem::path path; ///< The directory.
  explicit TempDir(const std::string& stem = "rc-test") {
    std::string pattern = "/tmp/" + stem + "-XXXXXX";
    path = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

} // namespace rc::test
