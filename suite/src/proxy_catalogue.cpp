#include "proxy_catalogue.hpp"

#include "zcb/results/composite.hpp"

namespace zcb {

std::string proxy_inputs(const Proxy& proxy) {
  const ProxyRequirements needs = proxy.requirements();
  std::string inputs = needs.needs_data ? (needs.needs_labels ? "batch+labels" : "batch") : "none";
  if (needs.batch_size > 0) {
    inputs += std::string(" (") + (needs.batch_up_to_image_count ? "<=" : "") +
              std::to_string(needs.batch_size) + ")";
  }
  if (needs.network != NetworkVariant::kBenchmark)
    inputs += std::string(", ") + to_string(needs.network);
  if (!needs.batch_norm) inputs += ", no BN";
  if (needs.float64) inputs += ", f64";
  if (proxy.shared_pass() != SharedPass::kNone) inputs += ", shared pass";
  return inputs;
}

std::string composite_inputs(const CompositeDefinition& definition) {
  return combines_ranks(definition) ? "the ranks of its components" : "its components' scores";
}

nlohmann::json proxy_catalogue(const std::vector<std::string>& names,
                               const std::map<std::string, std::string>& constants) {
  nlohmann::json catalogue = nlohmann::json::object();
  for (const std::string& name : names) {
    if (is_composite(name)) {
      const CompositeDefinition& definition = composite_definition(name);
      nlohmann::json components = nlohmann::json::array();
      for (const auto& component : definition.components) components.push_back(component.proxy);
      std::string summary = definition.summary;
      const auto text = constants.find(name);
      if (text != constants.end() && !text->second.empty()) summary += "; " + text->second;
      catalogue[name] = {{"version", definition.version},
                         {"higher_is_better", true},
                         {"paper", definition.paper},
                         {"reference", definition.reference},
                         {"variant_of", ""},
                         {"summary", summary},
                         {"inputs", composite_inputs(definition)},
                         {"components", components}};
      continue;
    }
    const auto proxy = make_proxy(name);
    const ProxyInfo info = proxy->info();
    std::string summary = info.summary;
    const auto text = constants.find(name);
    if (text != constants.end() && !text->second.empty()) summary += "; " + text->second;
    catalogue[name] = {{"version", proxy->version()},
                       {"higher_is_better", proxy->higher_is_better()},
                       {"paper", info.paper},
                       {"reference", info.reference},
                       {"variant_of", info.variant_of},
                       {"summary", summary},
                       {"inputs", proxy_inputs(*proxy)},
                       {"components", nlohmann::json::array()}};
  }
  return catalogue;
}

}  // namespace zcb
