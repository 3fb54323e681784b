#include "plan.hpp"

#include <algorithm>
#include <numeric>

#include "zcb/random.hpp"

namespace zcb {

std::vector<std::int64_t> sample_arch_ids(std::int64_t total, const SampleSpec& spec) {
  std::vector<std::int64_t> ids(static_cast<std::size_t>(total));
  std::iota(ids.begin(), ids.end(), 0);
  if (spec.size == 0 || spec.size >= total) return ids;
  // Partial Fisher-Yates: the first `size` slots become a uniform sample without replacement.
  PortableRng rng(spec.seed);
  for (std::int64_t i = 0; i < spec.size; ++i) {
    const auto j = i + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(total - i)));
    std::swap(ids[i], ids[j]);
  }
  ids.resize(static_cast<std::size_t>(spec.size));
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace zcb
