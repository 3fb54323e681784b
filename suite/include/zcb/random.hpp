/// @file random.hpp
/// @brief The portable pseudo-random generator behind every draw that decides *which*
/// architectures, images or bootstrap resamples are used. std::uniform_int_distribution and
/// friends give different numbers in different standard libraries; this gives the same
/// numbers everywhere.
#pragma once

#include <cstdint>

namespace zcb {

/// xoshiro256** (Blackman and Vigna), its state seeded by splitmix64 as its authors
/// recommend. tests/results/reference/statistics_reference.py re-implements it in Python,
/// checked against the published test vectors.
class PortableRng {
 public:
  explicit PortableRng(std::uint64_t seed) {
    for (auto& word : state_) word = splitmix64(seed);
  }

  /// Next 64 random bits.
  std::uint64_t next() {
    const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
    const std::uint64_t t = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], 45);
    return result;
  }

  /// Uniform integer in [0, bound), bound > 0, unbiased: draws below 2^64 mod bound are
  /// rejected so the rest split evenly over the residues.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
      const std::uint64_t draw = next();
      if (draw >= threshold) return draw % bound;
    }
  }

  /// One step of splitmix64 (Steele, Lea and Flood 2014) on @p state.
  static std::uint64_t splitmix64(std::uint64_t& state) {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t state_[4];
};

}  // namespace zcb
