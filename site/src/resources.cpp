#include "resources.hpp"

#include <string>

#include "zcb/error.hpp"

namespace zcb::site::detail {

std::vector<Resource> resources() { return {kResources, kResources + kResourceCount}; }

std::string_view resource(std::string_view name) {
  std::string known;
  for (std::size_t i = 0; i < kResourceCount; ++i) {
    if (kResources[i].name == name) {
      return kResources[i].content;
    }
    known += (i > 0 ? ", " : "") + std::string(kResources[i].name);
  }
  throw Error("no embedded site file \"" + std::string(name) + "\" (known: " + known +
              "); add it to ZCB_SITE_RESOURCES in site/CMakeLists.txt");
}

}  // namespace zcb::site::detail
