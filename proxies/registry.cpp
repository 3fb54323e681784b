// The proxy registry: the list is proxies.def.
#include "zcb/registry.hpp"

#include "zcb/proxy.hpp"

namespace zcb {

#define ZCB_PROXY(id) std::unique_ptr<Proxy> make_##id##_proxy();
#include "proxies.def"
#undef ZCB_PROXY

namespace {
// A function-local static: safe to use from other translation units' static initialisers.
const RegistryList<Proxy>& registry() {
  static const RegistryList<Proxy> list = {
#define ZCB_PROXY(id) {#id, &make_##id##_proxy},
#include "proxies.def"
#undef ZCB_PROXY
  };
  return list;
}
}  // namespace

std::vector<std::string> proxy_names() { return registry_names(registry()); }

std::unique_ptr<Proxy> make_proxy(const std::string& name) {
  return registry_make(registry(), name, "proxy");
}

}  // namespace zcb
