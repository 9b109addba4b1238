#pragma once
/// The fits behind an information estimate, as `rbig entropy | tc | mi | kld --json` print them
/// (docs/json.md): what each layer removed, why each fit stopped, and how the fits' total
/// correlations add up to the estimate.

#include <rbig/info.hpp>

#include <nlohmann/json.hpp>

namespace rbig::cli {

/// Adds to `object`: "layers" (layers of every fit together), "other_terms" (InfoEstimate::other)
/// and "fits", one object per fit with role, weight, n, dims, layers, radial_layers, stop,
/// stop_message, total_correlation and info_reduction. Information is multiplied by `scale`
/// (1 for nats, 1/ln 2 for bits), so that Σ weight·total_correlation + other_terms is the
/// estimate in the object's unit.
void add_estimate_json(nlohmann::json& object, const InfoEstimate& estimate, double scale);

}  // namespace rbig::cli
