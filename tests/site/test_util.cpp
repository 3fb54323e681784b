#include "test_util.hpp"

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "zcb/error.hpp"

namespace zcb::site::testing {

namespace fs = std::filesystem;

fs::path fixture_dir() { return ZCB_SITE_FIXTURE_DIR; }

fs::path history_fixture_dir() { return ZCB_SITE_HISTORY_FIXTURE_DIR; }

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + file.string());
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    throw std::runtime_error("cannot write " + file.string());
  }
}

fs::path copy_fixture(const fs::path& dir) {
  fs::create_directories(dir);
  fs::copy(fixture_dir(), dir, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return dir;
}

void edit_json(const fs::path& file, const std::function<void(nlohmann::ordered_json&)>& edit) {
  auto json = nlohmann::ordered_json::parse(read_text(file));
  edit(json);
  write_text(file, json.dump(2));
}

std::string error_message(const std::function<void()>& action) {
  try {
    action();
  } catch (const zcb::Error& error) {
    return error.what();
  }
  return "";
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
    at += needle.size() - 1;
  }
  return n;
}

}  // namespace zcb::site::testing
