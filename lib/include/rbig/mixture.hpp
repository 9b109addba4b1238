#pragma once
/// A Gaussian-mixture destructor (Inouye & Ravikumar 2018, "Deep density destructors", §3.1): a
/// K-component full-covariance Gaussian mixture p fitted by EM, and its Rosenblatt transform
///
///   z_d = Φ⁻¹(F(x_d | x_<d)),   d = 1..D,
///
/// which sends data drawn from p to N(0, I). The conditional F(x_d | x_<d) is the mixture of the
/// components' conditional Gaussians, weighted by π_k·N(x_<d; μ_k, Σ_k): with Σ_k = L_k·L_kᵀ
/// (Cholesky), component k's conditional is N(x_d − L_k,dd·ε_kd, L_k,dd²) where ε_k = L_k⁻¹(x −
/// μ_k). The Jacobian is triangular: log|det ∂z/∂x| = Σ_d [log p(x_d | x_<d) − log φ(z_d)] = log
/// p(x) − Σ_d log φ(z_d). Where a conditional's z_d would pass ±30 (Φ(−30) = 5e-198: no data and
/// no draw gets there) the coordinate continues on the tail model the marginals share
/// (linear for 8 latent units, then logarithmic), so every finite x has a finite z and
/// log-determinant up to ±DBL_MAX, and back; there the layer's density is that tail's, not the
/// mixture's. The inverse solves F(x_d | x_<d) = Φ(z_d) for d = 1..D by a safeguarded Newton
/// iteration bracketed by the components' own quantiles (mixture_map.cpp).

#include <rbig/bijector.hpp>
#include <rbig/types.hpp>

#include <cstdint>
#include <memory>
#include <vector>

namespace rbig {
namespace detail {
struct LinearLogTail;  // marginal/tail_model.hpp: the far tail beyond |z| = 30
}

/// How MixtureMap::fit runs EM (defaults documented in mixture_em.cpp).
struct MixtureSettings {
  int max_iterations = 200;      // EM iterations at most
  double tolerance = 1e-5;       // stop when the mean log-likelihood gains less (nats per row)
  double regularization = 1e-6;  // added to each covariance's diagonal, times the column variance
  int kmeans_iterations = 10;    // Lloyd iterations after the k-means++ seeding
  int threads = 0;               // never changes a result
};

class MixtureMap final : public Bijector {
 public:
  /// The mixture of `components` Gaussians fitted by EM to the rows of x (finite, N ≥ 2), from
  /// a k-means++ seeding drawn with `seed`; components that lose all their rows are dropped.
  /// Throws OptionError for components < 1 or more components than rows.
  static MixtureMap fit(ConstMatrixRef x, int components, std::uint64_t seed,
                        const MixtureSettings& settings = {});
  /// EM on the rows of x (finite, N ≥ 2, as many columns as `start`) started from `start`'s
  /// parameters instead of a seeding (a warm start); components that lose their rows are dropped.
  static MixtureMap refine(ConstMatrixRef x, const MixtureMap& start,
                           const MixtureSettings& settings = {});
  /// A mixture from its parameters (model files): weights (K, positive, summing to 1 within
  /// 1e-9), means (K×D) and covariances (K symmetric positive-definite D×D matrices). Throws
  /// OptionError or DimensionError naming what is wrong.
  MixtureMap(Vector weights, Matrix means, std::vector<Matrix> covariances);

  Index dims() const override { return means_.cols(); }
  Index components() const { return means_.rows(); }
  const Vector& weights() const { return weights_; }
  const Matrix& means() const { return means_; }
  const std::vector<Matrix>& covariances() const { return covariances_; }
  /// log p(x) of the mixture, one value per row.
  Vector log_density(ConstMatrixRef x) const;

  void forward(MatrixRef x, VectorRef log_det) const override;
  void inverse(MatrixRef z, VectorRef log_det) const override;

 private:
  struct Row;  // per-row scratch (mixture_map.cpp)
  double forward_coordinate(Row& row, Index d, double x) const;
  bool forward_linear(Row& row, double x, double& z, double& log_derivative) const;
  double beyond_every_component(const Row& row, double x) const;
  void forward_logarithmic(Row& row, Index d, double x, double& z, double& log_derivative) const;
  double inverse_coordinate(Row& row, Index d, double z) const;
  double solve_coordinate(Row& row, Index d, double z) const;
  detail::LinearLogTail far_tail(Row& row, Index d, double direction) const;
  double log_conditional_density(Row& row, Index d, double total, double x) const;
  double solve_linear(Row& row, double total, double z, double lo, double hi, double start) const;
  struct FirstQuantiles;  // the first coordinate's inverse, tabulated (mixture_map.cpp)
  double table_start(double z) const;
  void build_first_quantiles() const;
  void condition(Row& row, Index d) const;
  void advance(Row& row, Index d, double x) const;

  Vector weights_;
  Matrix means_;  // K×D
  std::vector<Matrix> covariances_;
  std::vector<Matrix> cholesky_;  // lower factors L_k
  Vector log_weights_;
  Matrix log_scale_;  // K×D: log L_k,dd
  std::shared_ptr<FirstQuantiles> first_quantiles_;
};

}  // namespace rbig
