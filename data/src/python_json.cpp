#include "zcb/data/python_json.hpp"

#include "zcb/error.hpp"

namespace zcb::data {

nlohmann::json parse_python_json(std::string_view text, const std::string& source) {
  // Rewrite the three non-standard tokens outside strings; everything else is copied, so byte
  // offsets in errors shift only after a replaced token (noted in the message).
  constexpr int kMaxDepth = 256;
  std::string standard;
  standard.reserve(text.size());
  bool in_string = false;
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      standard += c;
      if (c == '\\' && i + 1 < text.size()) {
        standard += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      // nlohmann's parser and destructor recurse per level: bound it before parsing.
      if (++depth > kMaxDepth) {
        throw Error(source + ": JSON nested deeper than " + std::to_string(kMaxDepth) +
                    " levels at byte " + std::to_string(i) + "; this is not a benchmark file");
      }
    } else if (c == ']' || c == '}') {
      --depth;
    } else if (text.compare(i, 3, "NaN") == 0) {
      standard += "null";
      i += 2;
      continue;
    } else if (text.compare(i, 8, "Infinity") == 0) {
      standard += "null";
      i += 7;
      continue;
    } else if (text.compare(i, 9, "-Infinity") == 0) {
      standard += "null";
      i += 8;
      continue;
    }
    standard += c;
  }
  try {
    return nlohmann::json::parse(standard);
  } catch (const nlohmann::json::exception& e) {
    // parse_error for bad syntax, out_of_range for numbers beyond double (found by fuzzing).
    throw Error(source + ": not valid JSON (after NaN/Infinity were read as null): " + e.what() +
                "; the file is damaged or truncated: re-fetch it");
  }
}

}  // namespace zcb::data
