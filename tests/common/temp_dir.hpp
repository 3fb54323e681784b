/// @file temp_dir.hpp
/// @brief The one scratch-directory helper of every test binary: a fresh, empty folder per
/// use, named after the running test and unique across processes (ctest runs tests in
/// parallel), removed with everything in it on destruction.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace zcb::test {

class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string test =
        info != nullptr ? std::string(info->test_suite_name()) + "." + info->name() : "suite";
    path_ = std::filesystem::temp_directory_path() / ("zcb-test-" + std::to_string(::getpid()) +
                                                      "-" + std::to_string(counter++) + "-" + test);
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;  // a test that already failed must not also throw from here
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

}  // namespace zcb::test
