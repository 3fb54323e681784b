/// @file registry.hpp
/// @brief Name -> factory lookup shared by the proxy and space registries. The lists
/// themselves are X-macro files (proxies.def, spaces.def): no static self-registration,
/// which a static library's linker would drop.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "zcb/error.hpp"

namespace zcb {

template <typename T>
using Factory = std::unique_ptr<T> (*)();

template <typename T>
using RegistryList = std::vector<std::pair<std::string, Factory<T>>>;

/// Names in list order.
template <typename T>
std::vector<std::string> registry_names(const RegistryList<T>& list) {
  std::vector<std::string> names;
  for (const auto& entry : list) names.push_back(entry.first);
  return names;
}

/// The object registered as @p name; an unknown name is an error listing the known ones.
template <typename T>
std::unique_ptr<T> registry_make(const RegistryList<T>& list, const std::string& name,
                                 const std::string& what) {
  std::string known;
  for (const auto& [id, factory] : list) {
    if (id == name) return factory();
    known += (known.empty() ? "" : ", ") + id;
  }
  throw Error("unknown " + what + " '" + name + "' (known: " + known + ")");
}

}  // namespace zcb
