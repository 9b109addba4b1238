// Radial Gaussianization (radial.hpp): the radius map g and its derivative, per row, in log
// space where the tails need it.

#include <rbig/radial.hpp>

#include <rbig/error.hpp>

#include "core/check.hpp"
#include "stats/normal.hpp"

#include <boost/math/special_functions/gamma.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace rbig {
namespace {

using GammaPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>,
    boost::math::policies::pole_error<boost::math::policies::ignore_error>>;

// |m(log r)| beyond this has Φ below 1e-300: the χ quantile is taken there instead.
constexpr double kMaxLatent = 37.0;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

/// The χ_D law of a standard Gaussian's radius: quantile from the Gaussian quantile z of the
/// same probability, and the log-density.
struct Chi {
  double half_dims;
  double log_norm;  // −(D/2 − 1)·log 2 − log Γ(D/2)

  explicit Chi(Index dims)
      : half_dims(0.5 * static_cast<double>(dims)),
        log_norm(-(0.5 * static_cast<double>(dims) - 1.0) * std::log(2.0) -
                 boost::math::lgamma(0.5 * static_cast<double>(dims))) {}

  /// F_χ⁻¹(Φ(z)), the lower or upper tail computed from its own small probability.
  double radius_at(double z) const {
    const double t =
        z <= 0.0 ? boost::math::gamma_p_inv(half_dims, detail::normal_cdf(z), GammaPolicy())
                 : boost::math::gamma_q_inv(half_dims, detail::normal_cdf(-z), GammaPolicy());
    return std::sqrt(2.0 * t);
  }
  /// Φ⁻¹(F_χ(g)), the inverse of radius_at.
  double latent_at(double g) const {
    const double t = 0.5 * g * g;
    constexpr double kTiny = 1e-300;
    if (t < half_dims) {
      const double p = boost::math::gamma_p(half_dims, t, GammaPolicy());
      return detail::normal_quantile(std::max(p, kTiny));
    }
    const double q = boost::math::gamma_q(half_dims, t, GammaPolicy());
    return detail::normal_quantile_upper(std::max(q, kTiny));
  }
  double log_density(double g) const {
    return (2.0 * half_dims - 1.0) * std::log(g) - 0.5 * g * g + log_norm;
  }
};

/// log|det| of the map at one row: −Σ log s + (D − 1)·log(g/r) + log g′(r), with
/// g′(r) = m′(log r)/r · φ(z)/f_χ(g).
double row_log_det(const Chi& chi, double sum_log_scale, double r, double g, double z,
                   double log_m_prime) {
  const double dims = 2.0 * chi.half_dims;
  const double log_r = std::log(r);
  const double log_g = std::log(g);
  return -sum_log_scale + (dims - 1.0) * (log_g - log_r) + log_m_prime - log_r +
         detail::log_normal_pdf(z) - chi.log_density(g);
}

}  // namespace

RadialMap RadialMap::fit(ConstMatrixRef x, std::unique_ptr<MarginalTransform> log_radius) {
  if (!log_radius) throw OptionError("radial map: the log-radius marginal is empty");
  if (x.rows() < 2) throw NumericalError("radial map: needs at least 2 rows");
  const Vector center = x.colwise().mean().transpose();
  Vector scale(x.cols());
  for (Index d = 0; d < x.cols(); ++d) {
    scale[d] = std::sqrt((x.col(d).array() - center[d]).square().sum() /
                         static_cast<double>(x.rows() - 1));
    if (!(scale[d] > 0.0) || !std::isfinite(scale[d])) {
      throw NumericalError(fmt::format("radial map: column {} is constant or not finite", d + 1));
    }
  }
  // A row at the centre has no direction; it has probability zero and is left out of m's fit.
  Vector log_r(x.rows());
  Index kept = 0;
  for (Index i = 0; i < x.rows(); ++i) {
    const double r = ((x.row(i).transpose() - center).array() / scale.array()).matrix().norm();
    if (r > 0.0) log_r[kept++] = std::log(r);
  }
  log_radius->fit(log_r.head(kept));
  return RadialMap(center, scale, std::move(log_radius));
}

RadialMap::RadialMap(Vector center, Vector scale, std::unique_ptr<MarginalTransform> log_radius)
    : center_(std::move(center)), scale_(std::move(scale)), log_radius_(std::move(log_radius)) {
  if (center_.size() != scale_.size() || center_.size() == 0) {
    throw DimensionError(
        fmt::format("radial map: {} centre and {} scale entries", center_.size(), scale_.size()));
  }
  if (!log_radius_) throw OptionError("radial map: the log-radius marginal is empty");
  for (Index d = 0; d < scale_.size(); ++d) {
    if (!(scale_[d] > 0.0) || !std::isfinite(scale_[d]) || !std::isfinite(center_[d])) {
      throw OptionError(
          fmt::format("radial map: column {} has centre {} and scale {} (a finite "
                      "centre and a positive finite scale are needed)",
                      d + 1, center_[d], scale_[d]));
    }
  }
}

RadialMap::RadialMap(const RadialMap& other)
    : center_(other.center_), scale_(other.scale_), log_radius_(other.log_radius_->clone()) {}

RadialMap& RadialMap::operator=(const RadialMap& other) {
  if (this != &other) *this = RadialMap(other);
  return *this;
}

void RadialMap::forward(MatrixRef x, VectorRef log_det) const {
  detail::check_map_shape("radial", "forward", x.cols(), x.rows(), log_det.size(), dims());
  const Chi chi(dims());
  const double sum_log_scale = scale_.array().log().sum();
  x.rowwise() -= center_.transpose();
  x.array().rowwise() /= scale_.transpose().array();
  Vector radius = x.rowwise().norm();
  Vector z = radius.array().log();
  Vector log_m_prime(x.rows());
  log_radius_->forward_with_log_derivative(z, z, log_m_prime);
  for (Index i = 0; i < x.rows(); ++i) {
    const double r = radius[i];
    if (!std::isfinite(r) || !std::isfinite(z[i])) {
      x.row(i).setConstant(kNaN);
      log_det[i] = kNaN;
      continue;
    }
    if (r == 0.0) continue;  // the centre maps to the centre (g(0) = 0)
    const double zc = std::clamp(z[i], -kMaxLatent, kMaxLatent);
    const double g = chi.radius_at(zc);
    x.row(i) *= g / r;
    log_det[i] += row_log_det(chi, sum_log_scale, r, g, zc, log_m_prime[i]);
  }
}

void RadialMap::inverse(MatrixRef z, VectorRef log_det) const {
  detail::check_map_shape("radial", "inverse", z.cols(), z.rows(), log_det.size(), dims());
  const Chi chi(dims());
  const double sum_log_scale = scale_.array().log().sum();
  const Vector g = z.rowwise().norm();
  Vector latent(z.rows());
  for (Index i = 0; i < z.rows(); ++i) {
    latent[i] = std::isfinite(g[i]) && g[i] > 0.0 ? chi.latent_at(g[i]) : 0.0;
  }
  Vector log_r(z.rows());
  log_radius_->inverse(latent, log_r);
  Vector log_m_prime(z.rows());
  log_radius_->log_derivative(log_r, log_m_prime);
  for (Index i = 0; i < z.rows(); ++i) {
    if (!std::isfinite(g[i]) || !std::isfinite(log_r[i])) {
      z.row(i).setConstant(kNaN);
      log_det[i] = kNaN;
      continue;
    }
    if (g[i] == 0.0) continue;
    const double r = std::exp(log_r[i]);
    z.row(i) *= r / g[i];
    log_det[i] -= row_log_det(chi, sum_log_scale, r, g[i], latent[i], log_m_prime[i]);
  }
  z.array().rowwise() *= scale_.transpose().array();
  z.rowwise() += center_.transpose();
}

}  // namespace rbig
