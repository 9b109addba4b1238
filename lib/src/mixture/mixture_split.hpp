#pragma once
// Growing a fitted mixture by splitting components, the warm start of the K sweep
// (fit/mixture_step.cpp): EM from a split K-component fit needs far fewer iterations than from a
// fresh seeding, and needs no random draws.

#include <rbig/mixture.hpp>

namespace rbig::detail {

/// `map` with `components` components (from map.components() to twice that): the components with
/// the largest weight × sd along their principal axis (ties: the first) are each replaced by two
/// of half the weight at μ ± ½√λ·v (λ, v: the covariance's largest eigenpair) with covariance
/// Σ − ¼λ·vvᵀ, so the pair keeps the component's weight, mean and covariance.
MixtureMap split_components(const MixtureMap& map, int components);

}  // namespace rbig::detail
