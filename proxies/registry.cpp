// The proxy registry: the list is proxies.def.
#include "zcb/registry.hpp"

#include "zcb/proxy.hpp"

namespace zcb {

#define ZCB_PROXY(id) std::unique_ptr<Proxy> make_##id##_proxy();
#include "proxies.def"
#undef ZCB_PROXY

namespace {
const RegistryList<Proxy> kProxies = {
#define ZCB_PROXY(id) {#id, &make_##id##_proxy},
#include "proxies.def"
#undef ZCB_PROXY
};
}  // namespace

std::vector<std::string> proxy_names() { return registry_names(kProxies); }

std::unique_ptr<Proxy> make_proxy(const std::string& name) {
  return registry_make(kProxies, name, "proxy");
}

}  // namespace zcb
