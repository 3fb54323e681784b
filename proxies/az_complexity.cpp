// az_complexity: AZ-NAS's complexity component, the FLOPs of the architecture.
//
// Paper: Lee and Ham, "AZ-NAS: Assembling Zero-Cost Proxies for Network Architecture Search",
// CVPR 2024.
// Reference code: cvlab-yonsei/AZ-NAS `NB201/tss_general.ipynb` (FLOPs from the NATS-Bench API,
// `get_compute_costs(dataset)['flops']`); `compute_az_nas_score.py` leaves it to the API.
// Formula: the space's analytic FLOPs (SearchSpace::complexity), which follow the benchmark's
// own counts, exactly as the `flops` proxy. Sign: higher is better.
// Deviation: none; it is registered under its own name so the AZ-NAS aggregate (a rank-based
// sum over four components, computed at the statistics stage) names all four.
#include "zcb/error.hpp"
#include "zcb/proxy.hpp"

namespace zcb {
namespace {

class AzComplexityProxy : public Proxy {
 public:
  std::string name() const override { return "az_complexity"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs;
    needs.needs_data = false;
    needs.needs_labels = false;
    return needs;
  }
  ProxyInfo info() const override {
    return {
        "Lee and Ham, AZ-NAS: Assembling Zero-Cost Proxies for Network Architecture Search, "
        "CVPR 2024",
        "cvlab-yonsei/AZ-NAS: NB201/tss_general.ipynb (NATS-Bench API FLOPs)", "flops",
        "identical to flops; the AZ-NAS complexity component under its own name"};
  }
  bool higher_is_better() const override { return true; }
  double score(Network&, const ProxyContext& context) const override {
    if (context.complexity == nullptr) throw Error("az_complexity: the harness gave no complexity");
    return static_cast<double>(context.complexity->flops);
  }
};

}  // namespace

std::unique_ptr<Proxy> make_az_complexity_proxy() { return std::make_unique<AzComplexityProxy>(); }

}  // namespace zcb
