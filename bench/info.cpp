// bench_info: accuracy of rbig's information-theory measures against analytic values.
// Prints one row per case and sample size: case, N, analytic, estimate, |error|, relative error,
// seconds, and whether the issue-3 target at N = 10,000 is met (3% or 0.03 nats for D ≤ 10,
// 10% for D = 50).
//
//   bench_info [--max-n 10000] [--only entropy|maps|tc|mi|kl] [--radial]

#include <rbig/info.hpp>
#include <rbig/options.hpp>

#include "support/samplers.hpp"
#include "support/timing.hpp"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

using rbig::Index;
using rbig::Matrix;
using rbig::Vector;

namespace {

struct Row {
  std::string name;
  Index dims;
  double analytic;
  std::function<double(Index n, std::uint64_t seed)> estimate;
};

/// n × d matrix of i.i.d. standard normal draws (std::normal_distribution is fine for a bench).
Matrix normal_matrix(Index n, Index d, std::uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<double> normal;
  Matrix m(n, d);
  for (Index c = 0; c < d; ++c)
    for (Index r = 0; r < n; ++r) m(r, c) = normal(engine);
  return m;
}

/// A well-conditioned random mixing matrix: I + 0.5·G/√D, G standard normal.
Matrix mixing_matrix(Index d, std::uint64_t seed) {
  const Matrix g = normal_matrix(d, d, seed);
  return Matrix::Identity(d, d) + 0.5 * g / std::sqrt(static_cast<double>(d));
}

double log_abs_det(const Matrix& a) { return std::log(std::abs(a.determinant())); }

/// Σ = blockdiag(Lx, Ly)·[[I, ρI], [ρI, I]]·blockdiag(Lx, Ly)ᵀ: blocks with their own random
/// correlations and I(X;Y) = −(d/2)·log(1 − ρ²).
Matrix block_covariance(Index d, double rho, std::uint64_t seed) {
  const Matrix sx = rbig::bench::random_covariance(d, seed);
  const Matrix sy = rbig::bench::random_covariance(d, seed + 1);
  const Matrix lx = sx.llt().matrixL();
  const Matrix ly = sy.llt().matrixL();
  Matrix cov(2 * d, 2 * d);
  cov.topLeftCorner(d, d) = sx;
  cov.bottomRightCorner(d, d) = sy;
  cov.topRightCorner(d, d) = rho * lx * ly.transpose();
  cov.bottomLeftCorner(d, d) = cov.topRightCorner(d, d).transpose();
  return cov;
}

double gaussian_mi(const Matrix& cov, Index dx) {
  const Index dy = cov.rows() - dx;
  return 0.5 * (log_abs_det(cov.topLeftCorner(dx, dx)) +
                log_abs_det(cov.bottomRightCorner(dy, dy)) - log_abs_det(cov));
}

double gaussian_tc(const Matrix& cov) {
  const Vector sd = cov.diagonal().cwiseSqrt();
  const Matrix corr = sd.cwiseInverse().asDiagonal() * cov * sd.cwiseInverse().asDiagonal();
  return -0.5 * log_abs_det(corr);
}

// Differential entropy: Gaussians, then uniform and exponential sources mixed by a matrix A
// (H(A·s) = H(s) + log|det A|).
void add_entropy_cases(std::vector<Row>& rows, const rbig::FitOptions& options) {
  for (Index d : {2, 10, 50}) {
    const Matrix cov = rbig::bench::random_covariance(d, 100 + static_cast<unsigned>(d));
    rows.push_back({fmt::format("H gaussian D={}", d), d, rbig::bench::gaussian_entropy(cov),
                    [cov, options](Index n, std::uint64_t seed) {
                      return rbig::entropy(rbig::bench::gaussian_sample(n, cov, seed), options);
                    }});
  }
  for (Index d : {2, 10}) {
    const Matrix a = mixing_matrix(d, 200 + static_cast<unsigned>(d));
    // Uniform on [−√3, √3]: unit variance, H = log(2√3).
    rows.push_back({fmt::format("H uniform·A D={}", d), d,
                    static_cast<double>(d) * std::log(2.0 * std::sqrt(3.0)) + log_abs_det(a),
                    [a, d, options](Index n, std::uint64_t seed) {
                      std::mt19937_64 engine(seed);
                      std::uniform_real_distribution<double> u(-std::sqrt(3.0), std::sqrt(3.0));
                      Matrix s(n, d);
                      for (Index c = 0; c < d; ++c)
                        for (Index r = 0; r < n; ++r) s(r, c) = u(engine);
                      return rbig::entropy(s * a.transpose(), options);
                    }});
    // Exponential(1): H = 1.
    rows.push_back({fmt::format("H exponential·A D={}", d), d,
                    static_cast<double>(d) + log_abs_det(a),
                    [a, d, options](Index n, std::uint64_t seed) {
                      std::mt19937_64 engine(seed);
                      std::exponential_distribution<double> e(1.0);
                      Matrix s(n, d);
                      for (Index c = 0; c < d; ++c)
                        for (Index r = 0; r < n; ++r) s(r, c) = e(engine);
                      return rbig::entropy(s * a.transpose(), options);
                    }});
  }
}

/// Column d of a Gaussian sample through x³, eˣ or Φ(x) in turn (d mod 3): increasing maps g_d.
Matrix through_maps(Matrix x) {
  for (Index c = 0; c < x.cols(); ++c) {
    for (Index r = 0; r < x.rows(); ++r) {
      double& v = x(r, c);
      if (c % 3 == 0) v = v * v * v;
      if (c % 3 == 1) v = std::exp(v);
      if (c % 3 == 2) v = 0.5 * std::erfc(-v / std::sqrt(2.0));
    }
  }
  return x;
}

/// Σ_d E[log g_d′(X_d)] for X ~ N(0, Σ) and the maps of through_maps: log 3 + log σ² − γ − log 2
/// for x³ (E log|X| = log σ − (γ + log 2)/2), E[X] = 0 for eˣ, −½·log 2π − σ²/2 for Φ.
double log_derivative_mean(const Matrix& cov) {
  constexpr double kEulerGamma = 0.57721566490153286;
  constexpr double kPi = 3.14159265358979324;
  double sum = 0.0;
  for (Index c = 0; c < cov.rows(); ++c) {
    const double variance = cov(c, c);
    if (c % 3 == 0) sum += std::log(3.0) + std::log(variance) - kEulerGamma - std::log(2.0);
    if (c % 3 == 2) sum += -0.5 * std::log(2.0 * kPi) - 0.5 * variance;
  }
  return sum;
}

// Entropy under per-column increasing maps (issue 14, item 4): H(g(X)) = H(X) + Σ_d E log g_d′.
void add_entropy_map_cases(std::vector<Row>& rows, const rbig::FitOptions& options) {
  for (Index d : {2, 10}) {
    const Matrix cov = rbig::bench::random_covariance(d, 100 + static_cast<unsigned>(d));
    rows.push_back({fmt::format("H (x^3, e^x, Φ) D={}", d), d,
                    rbig::bench::gaussian_entropy(cov) + log_derivative_mean(cov),
                    [cov, options](Index n, std::uint64_t seed) {
                      return rbig::entropy(through_maps(rbig::bench::gaussian_sample(n, cov, seed)),
                                           options);
                    }});
  }
}

// Total correlation of Gaussians, and of their cubes (TC is invariant to monotone marginal maps).
void add_tc_cases(std::vector<Row>& rows, const rbig::FitOptions& options) {
  for (Index d : {2, 10, 50}) {
    const Matrix cov = rbig::bench::random_covariance(d, 300 + static_cast<unsigned>(d));
    rows.push_back({fmt::format("T gaussian D={}", d), d, gaussian_tc(cov),
                    [cov, options](Index n, std::uint64_t seed) {
                      return rbig::total_correlation(rbig::bench::gaussian_sample(n, cov, seed),
                                                     options);
                    }});
    rows.push_back({fmt::format("T gaussian^3 D={}", d), d, gaussian_tc(cov),
                    [cov, options](Index n, std::uint64_t seed) {
                      const Matrix x = rbig::bench::gaussian_sample(n, cov, seed);
                      return rbig::total_correlation(x.array().cube().matrix(), options);
                    }});
  }
}

// Mutual information of correlated Gaussian blocks, and of monotone maps of them (MI invariant).
void add_mi_cases(std::vector<Row>& rows, const rbig::FitOptions& options) {
  for (Index d : {1, 3, 10}) {
    for (double rho : {0.3, 0.9}) {
      const Matrix cov = block_covariance(d, rho, 400 + static_cast<unsigned>(d));
      const std::string strength = rho < 0.5 ? "weak" : "strong";
      rows.push_back({fmt::format("I gaussian {}+{} {}", d, d, strength), 2 * d,
                      gaussian_mi(cov, d), [cov, d, options](Index n, std::uint64_t seed) {
                        const Matrix x = rbig::bench::gaussian_sample(n, cov, seed);
                        return rbig::mutual_information(x.leftCols(d), x.rightCols(d), options);
                      }});
      rows.push_back({fmt::format("I (x^3, e^y) {}+{} {}", d, d, strength), 2 * d,
                      gaussian_mi(cov, d), [cov, d, options](Index n, std::uint64_t seed) {
                        const Matrix x = rbig::bench::gaussian_sample(n, cov, seed);
                        const Matrix a = x.leftCols(d).array().cube().matrix();
                        const Matrix b = x.rightCols(d).array().exp().matrix();
                        return rbig::mutual_information(a, b, options);
                      }});
    }
  }
}

// KL divergence between two Gaussians with different means and covariances.
void add_kl_cases(std::vector<Row>& rows, const rbig::FitOptions& options) {
  for (Index d : {2, 10}) {
    const Matrix sp = rbig::bench::random_covariance(d, 500 + static_cast<unsigned>(d));
    const Matrix sq = rbig::bench::random_covariance(d, 600 + static_cast<unsigned>(d));
    const Vector mu = Vector::Constant(d, 0.5);
    const Matrix sq_inv = sq.inverse();
    const double analytic = 0.5 * ((sq_inv * sp).trace() + mu.dot(sq_inv * mu) -
                                   static_cast<double>(d) + log_abs_det(sq) - log_abs_det(sp));
    rows.push_back({fmt::format("KL gaussians D={}", d), d, analytic,
                    [sp, sq, mu, options](Index n, std::uint64_t seed) {
                      Matrix p = rbig::bench::gaussian_sample(n, sp, seed);
                      p.rowwise() += mu.transpose();
                      const Matrix q = rbig::bench::gaussian_sample(n, sq, seed + 7);
                      return rbig::kl_divergence(p, q, options);
                    }});
  }
}

std::vector<Row> cases(const std::string& only, bool radial) {
  std::vector<Row> rows;
  rbig::FitOptions options;
  options.radial = radial;
  const bool all = only.empty();
  if (all || only == "entropy") add_entropy_cases(rows, options);
  if (all || only == "entropy" || only == "maps") add_entropy_map_cases(rows, options);
  if (all || only == "tc") add_tc_cases(rows, options);
  if (all || only == "mi") add_mi_cases(rows, options);
  if (all || only == "kl") add_kl_cases(rows, options);
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  Index max_n = 100000;
  std::string only;
  bool radial = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--max-n" && i + 1 < argc) {
      max_n = std::atol(argv[++i]);
    } else if (arg == "--quick") {
      max_n = 10000;
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--radial") {
      radial = true;  // FitOptions::radial for every estimate (mi: the T-difference route)
    } else {
      std::fprintf(stderr,
                   "usage: bench_info [--max-n N] [--quick] [--only entropy|maps|tc|mi|kl] "
                   "[--radial]\n");
      return 2;
    }
  }
  fmt::print("| case | N | analytic | estimate | abs err | rel err | seconds | target |\n");
  fmt::print("|---|---:|---:|---:|---:|---:|---:|---|\n");
  for (const Row& row : cases(only, radial)) {
    for (Index n : {Index{1000}, Index{10000}, Index{100000}}) {
      if (n > max_n) continue;
      const rbig::bench::Clock::time_point start = rbig::bench::Clock::now();
      const double estimate = row.estimate(n, 12345);
      const double seconds = rbig::bench::seconds_since(start);
      const double error = std::abs(estimate - row.analytic);
      const double relative = error / std::max(std::abs(row.analytic), 1e-12);
      std::string target = "";
      if (n == 10000) {
        const double allowed = row.dims > 10 ? 0.10 * std::abs(row.analytic)
                                             : std::max(0.03 * std::abs(row.analytic), 0.03);
        target = error <= allowed ? "met" : "**missed**";
      }
      fmt::print("| {} | {} | {:.4f} | {:.4f} | {:.4f} | {:.1f}% | {:.2f} | {} |\n", row.name, n,
                 row.analytic, estimate, error, 100.0 * relative, seconds, target);
      std::fflush(stdout);
    }
  }
  return 0;
}
