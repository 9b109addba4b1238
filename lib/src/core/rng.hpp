#pragma once
// Deterministic random numbers: the same seed gives the same draws with every standard library,
// because the uniform and normal transforms are ours (std::*_distribution outputs differ).

#include <cstdint>
#include <random>

namespace rbig::detail {

/// A well-mixed seed for stream `stream` of `seed` (SplitMix64 finaliser), so that per-layer or
/// per-block streams are independent of each other and of the thread count.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

/// True for a row kept by a seeded subsample of share `fraction`: the top 53 bits of a hash of
/// (stream, index) read as a uniform number in [0, 1) fall below it. A hash of the index rather
/// than a stride or a draw in row order: rows sorted or periodic in their index do not bias the
/// subsample, and each row's fate depends on its index alone (not on how rows are split).
inline bool hash_keeps(std::uint64_t stream, std::uint64_t index, double fraction) {
  return static_cast<double>(derive_seed(stream, index) >> 11) * 0x1.0p-53 < fraction;
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  /// Uniform on the open interval (0, 1), 53 random bits.
  double uniform();
  /// The engine's next 64 random bits (the ziggurat reads a layer and an abscissa from one draw).
  std::uint64_t bits() { return engine_(); }
  /// Standard normal by the Box–Muller transform (the second value of each pair is kept).
  double normal();

 private:
  std::mt19937_64 engine_;
  double spare_ = 0.0;
  bool has_spare_ = false;
};

}  // namespace rbig::detail
