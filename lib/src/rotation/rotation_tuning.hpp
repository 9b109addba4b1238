#pragma once
// Tuning constants of the fitted rotations: how many rows and candidates they look at. They bound
// the cost per layer (README, "Rotations"); the results are deterministic for each value.

#include <rbig/types.hpp>

namespace rbig::detail {

inline constexpr Index kIcaRows = 20000;      // FastICA runs on at most this many rows
inline constexpr Index kPursuitRows = 8192;   // pursuit scores candidates on these rows
inline constexpr int kPursuitAngles = 16;     // 2-D: plane rotations at a seeded offset
inline constexpr int kPursuitCandidates = 8;  // otherwise: Haar rotations

}  // namespace rbig::detail
