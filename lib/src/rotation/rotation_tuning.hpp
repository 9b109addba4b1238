#pragma once
// Tuning constants of the fitted rotations: how many rows and candidates they look at. They bound
// the cost per layer (README, "Rotations"); the results are deterministic for each value.

#include <rbig/types.hpp>

namespace rbig::detail {

inline constexpr Index kIcaRows = 20000;      // FastICA runs on at most this many rows
inline constexpr Index kPursuitRows = 8192;   // pursuit scores candidates on these rows
inline constexpr int kPursuitAngles = 16;     // 2-D: plane rotations at a seeded offset
inline constexpr int kPursuitCandidates = 8;  // otherwise: Haar rotations
// sliced: its score on about this many hashed rows (all of bench_density's 20,000: gmm8's gap
// 0.408 → 0.383, gmm16's 1.087 → 1.036 against 4,000 rows; bench/README.md, "Sliced-Wasserstein")
inline constexpr Index kSlicedRows = 20000;
inline constexpr Index kSlicedDirections = 16;  // sliced: directions optimised (the rest: PCA)
// sliced: ascent steps, each one score (20 gave gmm8 0.377 against 0.383 with 10, twice the cost)
inline constexpr int kSlicedIterations = 10;

}  // namespace rbig::detail
