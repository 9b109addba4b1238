#pragma once
// Reusable checks of the mathematical contracts of marginal maps, rotations and models. Each
// function runs doctest assertions, so a failure points at the broken property.

#include <rbig/layer.hpp>
#include <rbig/marginal.hpp>
#include <rbig/model.hpp>
#include <rbig/rotation.hpp>

namespace rbig::test {

/// For a marginal fitted on `sample`: forward is finite and strictly increasing on a grid that
/// reaches far beyond the sample (up to ±1e300), inverse∘forward = id (1e-9 relative inside the
/// sample's range, 1e-6 at 10 standard deviations), log_derivative matches a central finite
/// difference of forward, and the one-pass forward_with_log_derivative agrees with the two calls.
void check_marginal_invariants(const MarginalTransform& marginal, ConstVectorRef sample);

/// The image of the fitted sample is a standard normal sample: |mean| < 0.03 and variance within
/// 4 % of 1 (standard errors at N = 20,000: 0.007 for the mean, 0.01 for the variance).
void check_standard_normal_image(const MarginalTransform& marginal, ConstVectorRef sample);
/// A marginal rebuilt from its stored parameters maps `sample` to the very same bits.
void check_same_map(const MarginalTransform& original, const MarginalTransform& rebuilt,
                    ConstVectorRef sample);

/// ∫ φ(z(x))·z'(x) dx over the real line, by the midpoint rule on a fine grid plus the tail
/// masses beyond it computed from z itself (Φ(z(lo)) and 1 − Φ(z(hi))).
double marginal_density_integral(const MarginalTransform& marginal, double lo, double hi,
                                 Index points);

/// For each of the first `rows` rows of x: the layer's forward log|det J| equals the log of the
/// determinant of a central finite-difference Jacobian (step 1e-6) to 1e-5 relative.
void check_layer_log_det(const Layer& layer, const Matrix& x, Index rows);

/// RᵀR = I and RRᵀ = I to 1e-12.
void check_orthogonal(const Rotation& rotation);

/// ∫∫ exp(log p) over a box, one jittered point in each of points² cells (2-D models).
double model_density_integral_2d(const Model& model, double lo0, double hi0, double lo1, double hi1,
                                 Index points);

}  // namespace rbig::test
