// Builds small ZIP archives in memory for the reader tests (and torch.save zip fixtures).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zcb::data::testing {

/// One member to write.
struct ZipFixtureMember {
  std::string name;
  std::string data;
  bool deflate = false;  ///< DEFLATE (zlib, raw) instead of STORED
};

/// Options that produce the less common layouts.
struct ZipFixtureOptions {
  bool zip64 = false;   ///< central fields 0xFFFFFFFF + zip64 extra, zip64 end record
  std::string comment;  ///< archive comment after the end record
  std::string prefix;   ///< bytes before the first local header (e.g. a stub)
};

/// A ZIP archive holding @p members, written the way APPNOTE describes.
std::string build_zip(const std::vector<ZipFixtureMember>& members,
                      const ZipFixtureOptions& options = {});

/// Raw DEFLATE (no zlib header) of @p data.
std::string raw_deflate(const std::string& data);

}  // namespace zcb::data::testing
