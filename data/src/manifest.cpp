#include "zcb/data/manifest.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "embedded_manifests.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using nlohmann::json;

const std::set<std::string> kRoles = {"table", "images", "official"};
const std::set<std::string> kFileKeys = {
    "name",    "role",     "required",    "urls",       "sha256",           "size",
    "license", "citation", "mirror_path", "how_to_get", "interactive_only", "host_note"};

std::string join(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

bool is_plain_name(const std::string& name) {
  if (name.empty() || name == "." || name == "..") return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

bool is_sha256(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// A relative path made of plain names, so a manifest cannot point outside the mirror root.
bool is_relative_plain_path(const std::string& path) {
  if (path.empty()) return true;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (!is_plain_name(path.substr(start, end - start))) return false;
    start = end + 1;
  }
  return true;
}

// Typed access to one key of a manifest object; errors say where and what was expected.
class Reader {
 public:
  Reader(const json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) throw Error(where_ + ": expected a JSON object");
  }

  const json& get(const std::string& key, json::value_t type, const char* type_name) const {
    const auto it = object_.find(key);
    if (it == object_.end()) throw Error(where_ + ": missing key '" + key + "'");
    const bool ok = it->type() == type || (type == json::value_t::number_integer &&
                                           it->type() == json::value_t::number_unsigned);
    if (!ok) throw Error(where_ + ": key '" + key + "' must be " + type_name);
    return *it;
  }

  std::string string(const std::string& key, bool allow_empty) const {
    const auto value = get(key, json::value_t::string, "a string").get<std::string>();
    if (!allow_empty && value.empty()) throw Error(where_ + ": key '" + key + "' is empty");
    return value;
  }

 private:
  const json& object_;
  std::string where_;
};

ManifestFile parse_file(const json& entry, const std::string& where) {
  Reader reader(entry, where);
  for (const auto& [key, value] : entry.items()) {
    if (kFileKeys.count(key) == 0) {
      throw Error(where + ": unknown key '" + key + "' (known: name, role, required, urls, " +
                  "sha256, size, license, citation, mirror_path, how_to_get, " +
                  "interactive_only, host_note)");
    }
  }
  ManifestFile file;
  file.name = reader.string("name", false);
  const std::string named = where + " ('" + file.name + "')";
  if (!is_plain_name(file.name)) {
    throw Error(named + ": file name must be a plain name (letters, digits, '.', '_', '-')");
  }
  file.role = reader.string("role", false);
  if (kRoles.count(file.role) == 0) {
    throw Error(named + ": unknown role '" + file.role + "' (known: images, official, table)");
  }
  file.required = reader.get("required", json::value_t::boolean, "true or false").get<bool>();
  for (const auto& url : reader.get("urls", json::value_t::array, "an array of strings")) {
    if (!url.is_string() || url.get<std::string>().empty()) {
      throw Error(named + ": 'urls' must hold non-empty strings");
    }
    file.urls.push_back(url.get<std::string>());
  }
  file.sha256 = reader.string("sha256", true);
  if (!file.sha256.empty() && !is_sha256(file.sha256)) {
    throw Error(named + ": 'sha256' must be 64 lower-case hex characters or empty");
  }
  if (file.required && file.sha256.empty()) {
    throw Error(named + ": a required file needs a sha256, or mark it \"required\": false");
  }
  file.size = reader.get("size", json::value_t::number_integer, "an integer").get<std::int64_t>();
  if (file.size < -1) throw Error(named + ": 'size' must be a byte count or -1 (unknown)");
  file.license = reader.string("license", false);
  file.citation = reader.string("citation", false);
  file.mirror_path = reader.string("mirror_path", true);
  if (!is_relative_plain_path(file.mirror_path)) {
    throw Error(named + ": 'mirror_path' must be a relative path of plain names (no '..')");
  }
  file.how_to_get = reader.string("how_to_get", false);
  // Optional keys (added later; older manifests omit them).
  if (entry.contains("interactive_only")) {
    file.interactive_only =
        reader.get("interactive_only", json::value_t::boolean, "true or false").get<bool>();
  }
  if (entry.contains("host_note")) file.host_note = reader.string("host_note", false);
  if (file.interactive_only && file.urls.empty()) {
    throw Error(named + ": 'interactive_only' needs at least one URL to open in a browser");
  }
  return file;
}

struct Registry {
  std::vector<std::string> names;
  std::vector<Manifest> manifests;
};

const Registry& registry() {
  // Parsed once; a broken embedded manifest is a build defect and fails every lookup loudly.
  static const Registry parsed = [] {
    Registry result;
    for (std::size_t i = 0; i < detail::kEmbeddedManifestCount; ++i) {
      const auto& embedded = detail::kEmbeddedManifests[i];
      const std::string text(reinterpret_cast<const char*>(embedded.bytes), embedded.size);
      Manifest manifest = parse_manifest(text, embedded.source);
      if (manifest.benchmark != embedded.name) {
        throw Error(std::string(embedded.source) + ": 'benchmark' is '" + manifest.benchmark +
                    "' but the file is named after '" + embedded.name + "'; rename one of them");
      }
      result.names.push_back(embedded.name);
      result.manifests.push_back(std::move(manifest));
    }
    return result;
  }();
  return parsed;
}

}  // namespace

const ManifestFile& Manifest::file(const std::string& name) const {
  std::vector<std::string> names;
  for (const auto& entry : files) {
    if (entry.name == name) return entry;
    names.push_back(entry.name);
  }
  throw Error("manifest '" + benchmark + "' has no file '" + name + "'; its files are " +
              join(names));
}

Manifest parse_manifest(const std::string& json_text, const std::string& source) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::exception& e) {
    throw Error(source + ": invalid JSON (" + e.what() + ")");
  }
  Reader reader(document, source);
  for (const auto& [key, value] : document.items()) {
    if (key != "benchmark" && key != "description" && key != "files") {
      throw Error(source + ": unknown key '" + key + "' (known: benchmark, description, files)");
    }
  }
  Manifest manifest;
  manifest.benchmark = reader.string("benchmark", false);
  if (!is_plain_name(manifest.benchmark)) {
    throw Error(source + ": 'benchmark' must be a plain name (letters, digits, '.', '_', '-')");
  }
  manifest.description = reader.string("description", false);
  const json& files = reader.get("files", json::value_t::array, "an array of file objects");
  std::set<std::string> seen;
  for (std::size_t i = 0; i < files.size(); ++i) {
    ManifestFile file = parse_file(files[i], source + " files[" + std::to_string(i) + "]");
    if (!seen.insert(file.name).second) {
      throw Error(source + ": file '" + file.name + "' is listed twice");
    }
    manifest.files.push_back(std::move(file));
  }
  if (manifest.files.empty()) throw Error(source + ": 'files' is empty");
  return manifest;
}

Manifest manifest_for(const std::string& name) {
  const Registry& known = registry();
  for (std::size_t i = 0; i < known.names.size(); ++i) {
    if (known.names[i] == name) return known.manifests[i];
  }
  throw Error("unknown benchmark manifest '" + name + "'; known manifests: " + join(known.names));
}

std::vector<std::string> manifest_names() { return registry().names; }

}  // namespace zcb::data
