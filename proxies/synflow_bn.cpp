// synflow_bn: synflow computed with batch norm kept in the network (train mode).
//
// Paper: Tanaka et al., SynFlow, NeurIPS 2020; Abdelfattah et al., ICLR 2021, which reports
// both; NAS-Bench-Suite-Zero uses the bn=False one (our `synflow`).
// Reference code: automl/NASLib (zerocost branch) `naslib/predictors/pruners/measures/
// synflow.py`, registered there twice: `synflow` (bn=False) and `synflow_bn` (bn=True), which
// this is (also SamsungLabs/zero-cost-nas `foresight/pruners/measures/synflow.py`).
// Formula: as `synflow` (every parameter and buffer replaced by its absolute value, float64,
// R = sum(net(ones(1, C, H, W))), S = sum |W (.) dR/dW| over conv/linear weights), but every
// batch norm stays in the forward, in train mode, so it normalises with the statistics of the
// single all-ones image (per channel over H x W). Sign: higher is better.
// Deviations: those of `synflow` (the score is computed by the same code).
#include "common.hpp"

namespace zcb {

std::unique_ptr<Proxy> make_synflow_proxy();

namespace {

class SynflowBnProxy : public Proxy {
 public:
  std::string name() const override { return "synflow_bn"; }
  int version() const override { return 1; }
  ProxyRequirements requirements() const override {
    ProxyRequirements needs = synflow_->requirements();
    needs.batch_norm = true;
    return needs;
  }
  ProxyInfo info() const override {
    return {"Tanaka et al., SynFlow, NeurIPS 2020; Abdelfattah et al., ICLR 2021",
            "automl/NASLib (zerocost): naslib/predictors/pruners/measures/synflow.py (bn=True)",
            "synflow", "batch norm kept (train mode) instead of bypassed"};
  }
  bool higher_is_better() const override { return true; }
  // synflow's score() does not look at the batch-norm switch: the harness sets it from
  // requirements(), so the same steps run with batch norm on.
  double score(Network& network, const ProxyContext& context) const override {
    return synflow_->score(network, context);
  }

 private:
  std::unique_ptr<Proxy> synflow_ = make_synflow_proxy();
};

}  // namespace

std::unique_ptr<Proxy> make_synflow_bn_proxy() { return std::make_unique<SynflowBnProxy>(); }

}  // namespace zcb
