#include "zcb/seeds.hpp"

#include <string>

namespace zcb {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes) {
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= kFnvPrime;
  }
  return hash;
}

// Fields are joined with a separator byte that cannot occur in names, so ("ab","c") and
// ("a","bc") hash differently.
std::uint64_t hash_fields(std::initializer_list<std::string_view> fields) {
  std::uint64_t hash = kFnvOffset;
  for (std::string_view field : fields) {
    hash = fnv1a(hash, field);
    hash = fnv1a(hash, std::string_view("\x1f", 1));
  }
  return splitmix64(hash);
}

}  // namespace

std::uint64_t stable_hash(std::string_view text) { return splitmix64(fnv1a(kFnvOffset, text)); }

std::uint64_t seed_for(SeedPurpose purpose, const SeedKey& key) {
  const std::string purpose_tag(1, static_cast<char>('0' + static_cast<int>(purpose)));
  const std::string base = std::to_string(key.base);
  std::uint64_t hash = 0;
  switch (purpose) {
    case SeedPurpose::kWeights:
      hash = hash_fields({purpose_tag, base, key.space, std::to_string(key.arch_id)});
      break;
    case SeedPurpose::kData:
      hash = hash_fields({purpose_tag, base, key.task});
      break;
    case SeedPurpose::kProxy:
      hash = hash_fields({purpose_tag, base, key.proxy});
      break;
    case SeedPurpose::kBootstrap:
      hash = hash_fields({purpose_tag, base, key.space, key.task});
      break;
  }
  return hash >> 1;  // 63 bits: exact as a signed 64-bit integer in HDF5 and JSON
}

}  // namespace zcb
