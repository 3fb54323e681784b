/// @file csv.hpp
/// @brief RFC 4180 CSV reading and strict number parsing for the community benchmark tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace zcb::data {

/// A CSV file: the header row and the data rows, every row as wide as the header.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::string source;  ///< where the table came from (file path), used in error messages

  /// Position of column @p name in the header. Throws zcb::Error naming the source and listing
  /// the columns it has when there is no such column.
  std::size_t column(const std::string& name) const;
};

/// Parses CSV text (RFC 4180): fields separated by commas, records by LF or CRLF, fields in
/// double quotes may hold commas, line breaks and doubled quotes (`""` is one `"`). The first
/// record is the header; a UTF-8 byte-order mark before it is skipped; a final line break is
/// optional. Throws zcb::Error naming @p source and the line when a record has a different
/// number of fields than the header, a quote is not closed, or text follows a closing quote.
CsvTable parse_csv(std::string_view text, const std::string& source);

/// Reads and parses the CSV file at @p path (see parse_csv()); errors name the file.
CsvTable read_csv(const std::filesystem::path& path);

/// Parses a whole decimal or scientific number ("94.37", "-1e-3"). Anything else (empty text,
/// spaces, trailing characters, "nan", "inf", out of range) throws zcb::Error that quotes the
/// text and says where it was, using @p context (e.g. "file.csv line 7 column 'params'").
double parse_double(std::string_view text, const std::string& context);

/// Parses a whole decimal integer ("15624", "-3"); anything else throws zcb::Error with
/// @p context, like parse_double().
std::int64_t parse_int(std::string_view text, const std::string& context);

}  // namespace zcb::data
