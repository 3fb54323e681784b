/// @file random.hpp
/// @brief A portable pseudo-random generator. std::uniform_int_distribution and friends give
/// different numbers in different standard libraries, so every draw that decides *which*
/// architectures, images or resamples are used goes through this instead.
#pragma once

#include <cstdint>

namespace zcb {

/// splitmix64 (Steele, Lea and Flood 2014): small, fast, and statistically fine for sampling.
class PortableRng {
 public:
  explicit PortableRng(std::uint64_t seed) : state_(seed) {}
  /// Next 64 random bits.
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform integer in [0, bound), bound > 0, without modulo bias (rejection sampling).
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t limit = -bound % bound;  // = 2^64 mod bound
    std::uint64_t draw = next();
    while (draw < limit) draw = next();
    return draw % bound;
  }

 private:
  std::uint64_t state_;
};

}  // namespace zcb
