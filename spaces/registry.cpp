// The search-space registry: the list is spaces.def.
#include "zcb/registry.hpp"

#include "zcb/search_space.hpp"

namespace zcb {

#define ZCB_SPACE(id) std::unique_ptr<SearchSpace> make_##id##_space();
#include "spaces.def"
#undef ZCB_SPACE

namespace {
const RegistryList<SearchSpace> kSpaces = {
#define ZCB_SPACE(id) {#id, &make_##id##_space},
#include "spaces.def"
#undef ZCB_SPACE
};
}  // namespace

std::vector<std::string> search_space_names() { return registry_names(kSpaces); }

std::unique_ptr<SearchSpace> make_search_space(const std::string& name) {
  return registry_make(kSpaces, name, "search space");
}

}  // namespace zcb
