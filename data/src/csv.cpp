#include "zcb/data/csv.hpp"

#include <charconv>
#include <cmath>
#include <fstream>

#include "zcb/error.hpp"

namespace zcb::data {
namespace {

std::string join_names(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "'" : ", '") + name + "'";
  return joined;
}

// Shows the offending text in messages without flooding the terminal.
std::string shown(std::string_view text) {
  constexpr std::size_t kMax = 60;
  if (text.size() <= kMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kMax)) + "...'";
}

}  // namespace

std::size_t CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  throw Error(source + ": no column '" + name + "'; the columns are " + join_names(header) +
              ". Is this the right file (check its sha256 against the manifest)?");
}

CsvTable parse_csv(std::string_view text, const std::string& source) {
  CsvTable table;
  table.source = source;
  std::size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  std::size_t line = 1;  // physical line of `pos`, for messages

  std::vector<std::string> record;
  while (pos < text.size()) {
    const std::size_t record_line = line;
    record.clear();
    record.reserve(table.header.size());
    // One record: fields until an unquoted line break or the end of the text.
    bool end_of_record = false;
    while (!end_of_record) {
      std::string field;
      if (pos < text.size() && text[pos] == '"') {
        ++pos;
        while (true) {
          if (pos >= text.size()) {
            throw Error(source + " line " + std::to_string(record_line) +
                        ": a quoted field is not closed before the end of the file; the file is "
                        "truncated or not valid CSV");
          }
          const char c = text[pos++];
          if (c == '"') {
            if (pos < text.size() && text[pos] == '"') {
              field.push_back('"');
              ++pos;
            } else {
              break;
            }
          } else {
            if (c == '\n') ++line;
            field.push_back(c);
          }
        }
        if (pos < text.size() && text[pos] != ',' && text[pos] != '\n' &&
            !(text[pos] == '\r' && pos + 1 < text.size() && text[pos + 1] == '\n') &&
            !(text[pos] == '\r' && pos + 1 == text.size())) {
          throw Error(source + " line " + std::to_string(line) +
                      ": unexpected character after a closing quote (a quote inside a quoted "
                      "field must be doubled: \"\")");
        }
      } else {
        const std::size_t end = text.find_first_of(",\n", pos);
        std::size_t stop = end == std::string_view::npos ? text.size() : end;
        field.assign(text.substr(pos, stop - pos));
        pos = stop;
        // A CR that ends the record belongs to the CRLF, not to the field.
        if ((pos == text.size() || text[pos] == '\n') && !field.empty() && field.back() == '\r') {
          field.pop_back();
        }
        if (field.find('"') != std::string::npos) {
          throw Error(source + " line " + std::to_string(line) +
                      ": a quote inside the unquoted "
                      "field " +
                      shown(field) + "; quote the whole field and double the quote");
        }
      }
      record.push_back(std::move(field));
      if (pos >= text.size()) {
        end_of_record = true;
      } else if (text[pos] == ',') {
        ++pos;
      } else {
        if (text[pos] == '\r') ++pos;
        if (pos < text.size() && text[pos] == '\n') ++pos;
        ++line;
        end_of_record = true;
      }
    }
    if (table.header.empty()) {
      table.header = record;
      continue;
    }
    if (record.size() != table.header.size()) {
      throw Error(source + " line " + std::to_string(record_line) + ": " +
                  std::to_string(record.size()) + " fields, but the header has " +
                  std::to_string(table.header.size()) +
                  "; the file is truncated or malformed (fields holding commas must be quoted)");
    }
    table.rows.push_back(std::move(record));
  }
  if (table.header.empty()) {
    throw Error(source + ": empty CSV file (no header row); re-fetch it");
  }
  return table;
}

CsvTable read_csv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) throw Error(path.string() + ": cannot open CSV file");
  std::string text(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (!in) throw Error(path.string() + ": read error");
  return parse_csv(text, path.string());
}

double parse_double(std::string_view text, const std::string& context) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(begin, end, value, std::chars_format::general);
  if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value)) {
    throw Error(context + ": " + shown(text) +
                " is not a finite number (expected e.g. 94.37 or -1.5e-3); the source file is "
                "malformed or the column mapping points at the wrong column");
  }
  return value;
}

std::int64_t parse_int(std::string_view text, const std::string& context) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end) {
    throw Error(context + ": " + shown(text) +
                " is not an integer; the source file is malformed or the column mapping points "
                "at the wrong column");
  }
  return value;
}

}  // namespace zcb::data
