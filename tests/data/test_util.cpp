#include "test_util.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>

#include "zcb/error.hpp"

namespace zcb::data::testing {
namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& bytes) {
  if (!path.parent_path().empty()) fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no zcb::Error was thrown)";
}

fs::path shared_mirror() {
  const char* value = std::getenv("ZCB_MIRROR");
  const fs::path mirror =
      value != nullptr && *value != '\0' ? fs::path(value) : fs::path(ZCB_DEFAULT_MIRROR);
  std::error_code error;
  return fs::is_directory(mirror, error) ? mirror : fs::path();
}

}  // namespace zcb::data::testing
