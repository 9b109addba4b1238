#pragma once
// Tuning constants of the fitted rotations: how many rows and candidates they look at. They bound
// the cost per layer (README, "Rotations"); the results are deterministic for each value.

#include <rbig/types.hpp>

namespace rbig::detail {

inline constexpr Index kIcaRows = 20000;        // FastICA runs on at most this many rows
inline constexpr Index kPursuitRows = 8192;     // pursuit scores candidates on these rows
inline constexpr int kPursuitAngles = 16;       // 2-D: plane rotations at a seeded offset
inline constexpr int kPursuitCandidates = 8;    // otherwise: Haar rotations
inline constexpr Index kSlicedRows = 4000;      // sliced: its score on about this many hashed rows
inline constexpr Index kSlicedDirections = 16;  // sliced: directions optimised (the rest: PCA)
inline constexpr int kSlicedIterations = 40;    // sliced: ascent steps (each one score)

}  // namespace rbig::detail
