// What zcbench knows about each proxy it can score, for `zcbench list proxies` and the site's
// proxy pages (run.json's `proxy_catalogue`).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "zcb/proxy.hpp"
#include "zcb/results/composite.hpp"

namespace zcb {

/// The inputs a proxy needs, in a few words: "batch+labels (72), no BN, shared pass".
std::string proxy_inputs(const Proxy& proxy);

/// What a composite is computed from, in a few words: "the ranks of its components" or "its
/// components' scores".
std::string composite_inputs(const CompositeDefinition& definition);

/// {name: {version, higher_is_better, paper, reference, variant_of, summary, inputs,
/// components}} for @p names, registered proxies and composites alike (`components` lists a
/// composite's proxies; empty for the others). @p constants (proxy -> text, such as "this run:
/// mu = 1000, sigma = 1000000" or "this run: batch 32 ...") is appended to the proxy's summary,
/// since its numbers depend on the run config's proxy_options or proxy_batch_size. Throws
/// zcb::Error on an unknown name.
nlohmann::json proxy_catalogue(const std::vector<std::string>& names,
                               const std::map<std::string, std::string>& constants = {});

}  // namespace zcb
