// The search-space registry: the list is spaces.def.
#include "zcb/registry.hpp"

#include "zcb/search_space.hpp"

namespace zcb {

#define ZCB_SPACE(id) std::unique_ptr<SearchSpace> make_##id##_space();
#include "spaces.def"
#undef ZCB_SPACE

namespace {
// A function-local static: safe to use from other translation units' static initialisers.
const RegistryList<SearchSpace>& registry() {
  static const RegistryList<SearchSpace> list = {
#define ZCB_SPACE(id) {#id, &make_##id##_space},
#include "spaces.def"
#undef ZCB_SPACE
  };
  return list;
}
}  // namespace

std::vector<std::string> search_space_names() { return registry_names(registry()); }

std::unique_ptr<SearchSpace> make_search_space(const std::string& name) {
  return registry_make(registry(), name, "search space");
}

}  // namespace zcb
