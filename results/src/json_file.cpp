#include "zcb/results/json_file.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include "zcb/error.hpp"

namespace zcb {
namespace fs = std::filesystem;

void write_json_atomically(const fs::path& path, const nlohmann::json& document) {
  std::string text;
  try {
    text = document.dump(2) + "\n";
  } catch (const nlohmann::json::exception& e) {
    throw Error("cannot write " + path.string() + ": " + e.what() + " (strings must be UTF-8)");
  }
  const fs::path temporary = path.string() + ".tmp";
  std::error_code ignored;
  try {
    if (!path.parent_path().empty()) fs::create_directories(path.parent_path());
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      out.write(text.data(), static_cast<std::streamsize>(text.size()));
      out.close();
      if (!out) throw Error("cannot write " + temporary.string());
    }
    fs::rename(temporary, path);
  } catch (const fs::filesystem_error& e) {
    fs::remove(temporary, ignored);
    throw Error("cannot write " + path.string() + ": " + e.what());
  } catch (const Error&) {
    fs::remove(temporary, ignored);
    throw;
  }
}

nlohmann::json read_json_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open JSON file (missing or unreadable)");
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json document = nlohmann::json::parse(text.str(), nullptr, false);
  if (document.is_discarded()) {
    throw Error(path.string() + ": not valid JSON (truncated or corrupt?); delete it and rerun " +
                "the stage that wrote it");
  }
  return document;
}

}  // namespace zcb
