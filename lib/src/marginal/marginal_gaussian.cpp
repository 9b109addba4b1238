
#include "marginal/marginal_gaussian.hpp"

#include <rbig/byte_codec.hpp>

#include "marginal/marginal_registry.hpp"

#include "core/isa_dispatch.hpp"
#include "stats/moments.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rbig::detail {

GaussianMarginal::GaussianMarginal(double mean, double sd) : mean_(mean), sd_(sd) {
  if (!std::isfinite(mean_) || !std::isfinite(sd_) || !(sd_ > 0.0)) {
    throw NumericalError("gaussian marginal: invalid parameters");
  }
  rebuild();
}

std::unique_ptr<MarginalTransform> GaussianMarginal::clone() const {
  return std::make_unique<GaussianMarginal>(*this);
}

void GaussianMarginal::fit_with_moments(ConstVectorRef /*x*/, const ColumnMoments& moments,
                                        const Reducer& /*reducer*/) {
  mean_ = moments.mean;
  sd_ = moments.sd;
  rebuild();
}

void GaussianMarginal::rebuild() {
  log_sd_ = std::log(sd_);
  lower_tail_ = {mean_ - kCore * sd_, -kCore, 1.0 / sd_, -1.0};
  upper_tail_ = {mean_ + kCore * sd_, kCore, 1.0 / sd_, 1.0};
}

double GaussianMarginal::training_entropy() const {
  return 0.5 * std::log(2.0 * M_PI * M_E) + std::log(sd_);  // sd² under- or overflows at 1e∓300
}

double GaussianMarginal::map(double x) const {
  if (x < lower_tail_.edge) return lower_tail_.z(x);
  if (x > upper_tail_.edge) return upper_tail_.z(x);
  return (x - mean_) / sd_;
}

double GaussianMarginal::map_log_derivative(double x) const {
  if (x < lower_tail_.edge) return lower_tail_.log_derivative(x);
  if (x > upper_tail_.edge) return upper_tail_.log_derivative(x);
  return std::isnan(x) ? x : -log_sd_;  // NaN in, NaN out (MarginalTransform contract)
}

namespace {

// One pass that checks the range (an OR of comparisons, which vectorises under AVX2; a chain of
// && does not), then the affine map: the same operations as map() in its core.
RBIG_ALWAYS_INLINE bool affine_kernel(const double* x, double* z, Index n, double lower,
                                      double upper, double mean, double sd) {
  long outside = 0;
  for (Index i = 0; i < n; ++i) {
    const double v = x[i];
    outside |= static_cast<long>((v < lower) | (v > upper) | (v != v));  // v != v: NaN
  }
  if (outside != 0) return false;
  for (Index i = 0; i < n; ++i) z[i] = (x[i] - mean) / sd;
  return true;
}

}  // namespace

bool GaussianMarginal::affine_if_all_in_core(const double* x, double* z, Index n) const {
  return run_with_best_isa<affine_kernel>(x, z, n, lower_tail_.edge, upper_tail_.edge, mean_, sd_);
}

void GaussianMarginal::forward(ConstVectorRef x, VectorRef z) const {
  // Later layers map most columns this way, so this is a hot loop of the fit. In chunks that stay
  // in L1 between the range check and the map: where every value of a chunk lies in the affine
  // core (the usual case), one branch-free pass; otherwise value by value. The same operations
  // as map() either way: the same bits.
  constexpr Index kChunk = 512;
  for (Index start = 0; start < x.size(); start += kChunk) {
    const Index count = std::min(kChunk, x.size() - start);
    if (affine_if_all_in_core(x.data() + start, z.data() + start, count)) continue;
    for (Index i = start; i < start + count; ++i) z[i] = map(x[i]);
  }
}

void GaussianMarginal::inverse(ConstVectorRef z, VectorRef x) const {
  for (Index i = 0; i < z.size(); ++i) {
    const double v = z[i];
    x[i] = v < -kCore ? lower_tail_.x(v) : v > kCore ? upper_tail_.x(v) : mean_ + sd_ * v;
  }
}

void GaussianMarginal::log_derivative(ConstVectorRef x, VectorRef out) const {
  for (Index i = 0; i < x.size(); ++i) out[i] = map_log_derivative(x[i]);
}

void GaussianMarginal::forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                                   VectorRef log_derivative) const {
  // As in forward() (the damped blend's inverse calls this in its loop), for the whole vector:
  // then every log-derivative is the same.
  if (affine_if_all_in_core(x.data(), z.data(), x.size())) {
    log_derivative.setConstant(-log_sd_);
    return;
  }
  for (Index i = 0; i < x.size(); ++i) {
    const double value = x[i];  // read before z[i] is written: z may alias x
    log_derivative[i] = map_log_derivative(value);
    z[i] = map(value);
  }
}

// Payload: f64 mean | f64 sd.
void GaussianMarginal::write(ByteWriter& out) const {
  out.put(mean_);
  out.put(sd_);
}

MarginalType gaussian_marginal_type() {
  return {1, "gaussian",
          [](ByteReader& in) -> std::unique_ptr<MarginalTransform> {
            const auto mean = in.get<double>();
            const auto sd = in.get<double>();
            return std::make_unique<GaussianMarginal>(mean, sd);
          },
          MarginalKind::Gaussian};
}

}  // namespace rbig::detail
