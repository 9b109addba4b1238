#pragma once
// Deterministic random numbers: the same seed gives the same draws with every standard library,
// because the uniform and normal transforms are ours (std::*_distribution outputs differ).

#include <cstdint>
#include <random>

namespace rbig::detail {

/// A well-mixed seed for stream `stream` of `seed` (SplitMix64 finaliser), so that per-layer or
/// per-block streams are independent of each other and of the thread count.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  /// Uniform on the open interval (0, 1), 53 random bits.
  double uniform();
  /// Standard normal by the Box–Muller transform (the second value of each pair is kept).
  double normal();

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace rbig::detail
