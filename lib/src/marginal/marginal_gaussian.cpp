
#include "marginal/marginal_gaussian.hpp"

#include <rbig/byte_codec.hpp>

#include "marginal/marginal_registry.hpp"

#include "stats/moments.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

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

bool GaussianMarginal::all_in_core(ConstVectorRef x) const {
  // A count of the values inside rather than a chain of && (which the compiler does not
  // vectorise); false for NaN, which fails both comparisons.
  const double lower = lower_tail_.edge;
  const double upper = upper_tail_.edge;
  Index inside = 0;
  for (Index i = 0; i < x.size(); ++i) {
    inside += static_cast<Index>((x[i] >= lower) & (x[i] <= upper));
  }
  return inside == x.size();
}

void GaussianMarginal::forward(ConstVectorRef x, VectorRef z) const {
  // Later layers map most columns this way, so this is a hot loop of the fit. When every value
  // lies in the affine core (the usual case), one branch-free pass that the compiler vectorises;
  // otherwise value by value. The same operations as map() either way: the same bits.
  if (all_in_core(x)) {
    for (Index i = 0; i < x.size(); ++i) z[i] = (x[i] - mean_) / sd_;
    return;
  }
  for (Index i = 0; i < x.size(); ++i) z[i] = map(x[i]);
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
  if (all_in_core(x)) {  // as in forward(): the damped blend's inverse calls this in its loop
    for (Index i = 0; i < x.size(); ++i) z[i] = (x[i] - mean_) / sd_;
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
