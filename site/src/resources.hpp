// Internal: the templates and assets compiled into the library (see site/CMakeLists.txt).
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace zcb::site::detail {

/// One embedded file: its path relative to site/ ("templates/index.mustache") and its bytes.
struct Resource {
  std::string_view name;
  std::string_view content;
};

/// The table written by cmake/embed_resources.cmake into the generated site_resources.cpp.
extern const Resource kResources[];
extern const std::size_t kResourceCount;

/// Every embedded file, in the order of ZCB_SITE_RESOURCES.
std::vector<Resource> resources();

/// The content of the embedded file @p name; throws zcb::Error listing the known names.
std::string_view resource(std::string_view name);

}  // namespace zcb::site::detail
