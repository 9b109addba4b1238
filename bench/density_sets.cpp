// Samplers and exact log densities of bench_density's synthetic sets, and the loading and
// splitting of its real ones; see density_sets.hpp for what each set is.

#include "density_sets.hpp"

#include <rbig/io.hpp>

#include "support/samplers.hpp"

#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>

namespace rbig::bench {
namespace {

constexpr double kPi = 3.14159265358979323846;

double log_sum_exp(const Vector& v) {
  const double top = v.maxCoeff();
  return top + std::log((v.array() - top).exp().sum());
}

// --- known densities ------------------------------------------------------------------------

struct Mixture {
  std::vector<Vector> means;
  std::vector<Matrix> covariances;
};

Matrix mixture_sample(const Mixture& m, Index n, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  const Index d = m.means.front().size();
  const Index k = static_cast<Index>(m.means.size());
  std::vector<Matrix> lower;
  for (const Matrix& c : m.covariances) lower.push_back(Eigen::LLT<Matrix>(c).matrixL());
  Matrix x(n, d);
  for (Index i = 0; i < n; ++i) {
    const Index c = std::min(k - 1, static_cast<Index>(rng.uniform() * static_cast<double>(k)));
    Vector e(d);
    for (Index j = 0; j < d; ++j) e[j] = rng.normal();
    const Vector row = m.means[static_cast<size_t>(c)] + lower[static_cast<size_t>(c)] * e;
    x.row(i) = row.transpose();
  }
  return x;
}

Vector mixture_log_density(const Mixture& m, const Matrix& x) {
  const Index k = static_cast<Index>(m.means.size());
  Matrix per_component(x.rows(), k);
  for (Index c = 0; c < k; ++c) {
    const Matrix centred = x.rowwise() - m.means[static_cast<size_t>(c)].transpose();
    per_component.col(c) =
        rbig::bench::gaussian_log_density(centred, m.covariances[static_cast<size_t>(c)]);
  }
  Vector out(x.rows());
  for (Index i = 0; i < x.rows(); ++i) {
    out[i] = log_sum_exp(per_component.row(i).transpose()) - std::log(static_cast<double>(k));
  }
  return out;
}

Mixture ring_mixture() {
  Mixture m;
  for (int k = 0; k < 64; ++k) {
    const double angle = 2.0 * kPi * k / 64.0;
    Vector mean(2);
    mean << std::cos(angle), std::sin(angle);
    m.means.push_back(mean);
    m.covariances.push_back(Matrix::Identity(2, 2) * 0.01);
  }
  return m;
}

Mixture gaussian_mixture(Index dims, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Mixture m;
  for (int k = 0; k < 5; ++k) {
    Vector mean(dims);
    for (Index j = 0; j < dims; ++j) mean[j] = 2.0 * rng.normal();
    m.means.push_back(mean);
    const std::uint64_t covariance_seed = seed * 100 + static_cast<std::uint64_t>(k);
    m.covariances.push_back(rbig::bench::random_covariance(dims, covariance_seed));
  }
  return m;
}

Matrix moons_sample(Index n, double noise, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    const bool upper = rng.uniform() < 0.5;
    const double t = kPi * rng.uniform();
    x(i, 0) = upper ? std::cos(t) : 1.0 - std::cos(t);
    x(i, 1) = upper ? std::sin(t) : 0.5 - std::sin(t);
    x(i, 0) += noise * rng.normal();
    x(i, 1) += noise * rng.normal();
  }
  return x;
}

Vector moons_log_density(const Matrix& x, double noise) {
  constexpr Index kNodes = 4000;  // per moon
  const double var = noise * noise;
  const double log_norm = -std::log(2.0 * kPi * var);
  Vector out(x.rows());
  Vector terms(2 * kNodes);
  for (Index i = 0; i < x.rows(); ++i) {
    for (Index q = 0; q < kNodes; ++q) {
      const double t = kPi * (static_cast<double>(q) + 0.5) / static_cast<double>(kNodes);
      const double c = std::cos(t);
      const double s = std::sin(t);
      const double a0 = x(i, 0) - c;
      const double a1 = x(i, 1) - s;
      const double b0 = x(i, 0) - (1.0 - c);
      const double b1 = x(i, 1) - (0.5 - s);
      terms[q] = -0.5 * (a0 * a0 + a1 * a1) / var;
      terms[kNodes + q] = -0.5 * (b0 * b0 + b1 * b1) / var;
    }
    // ½ per moon × (1/π)·(π/kNodes) per node = 1/(2·kNodes).
    out[i] = log_sum_exp(terms) + log_norm - std::log(2.0 * static_cast<double>(kNodes));
  }
  return out;
}

Matrix checkerboard_sample(Index n, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    const int square = std::min(7, static_cast<int>(rng.uniform() * 8.0));
    const int row = square / 2;                    // 0..3
    const int col = 2 * (square % 2) + (row % 2);  // dark squares: (row + col) even
    x(i, 0) = -2.0 + col + rng.uniform();
    x(i, 1) = -2.0 + row + rng.uniform();
  }
  return x;
}

// Haario et al.'s twisted Gaussian (b = 0.03) with its first coordinate divided by 10: x1 ~
// N(0, 1), x2 = z + 3·(x1² − 1), z ~ N(0, 1). The shear (x1, z) → (x1, x2) has unit Jacobian,
// so log p(x) = log φ(x1) + log φ(x2 − 3·(x1² − 1)).
constexpr double kBananaTwist = 3.0;  // b·σ1² = 0.03 · 10²

Matrix banana_sample(Index n, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    x(i, 0) = rng.normal();
    x(i, 1) = rng.normal() + kBananaTwist * (x(i, 0) * x(i, 0) - 1.0);
  }
  return x;
}

double log_normal_density(double x, double variance) {
  return -0.5 * (std::log(2.0 * kPi * variance) + x * x / variance);
}

Vector banana_log_density(const Matrix& x) {
  Vector out(x.rows());
  for (Index i = 0; i < x.rows(); ++i) {
    const double bend = kBananaTwist * (x(i, 0) * x(i, 0) - 1.0);
    out[i] = log_normal_density(x(i, 0), 1.0) + log_normal_density(x(i, 1) - bend, 1.0);
  }
  return out;
}

// Neal's funnel in 2-D with a milder neck: v ~ N(0, 1.5²), x | v ~ N(0, e^v), columns (v, x).
// Neal's v sd of 3 puts the neck's sd at e^{-4.5} ≈ 0.01 three sd out (and x's kurtosis at
// 3·e^9); 1.5 keeps the funnel's shape at sds e^{±2.25} ≈ 0.1 … 9.5 (see bench/README.md).
constexpr double kFunnelScale = 1.5;

Matrix funnel_sample(Index n, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    x(i, 0) = kFunnelScale * rng.normal();
    x(i, 1) = std::exp(0.5 * x(i, 0)) * rng.normal();
  }
  return x;
}

Vector funnel_log_density(const Matrix& x) {
  Vector out(x.rows());
  for (Index i = 0; i < x.rows(); ++i) {
    out[i] = log_normal_density(x(i, 0), kFunnelScale * kFunnelScale) +
             log_normal_density(x(i, 1), std::exp(x(i, 0)));
  }
  return out;
}

DataSet synthetic(const std::string& name, const Matrix& all,
                  const std::function<Vector(const Matrix&)>& log_p, Index train_rows) {
  DataSet set{name, all.topRows(train_rows), all.bottomRows(all.rows() - train_rows), {}};
  set.test_log_p = log_p(set.test);
  return set;
}

// --- real data --------------------------------------------------------------------------------

void shuffle_rows(Matrix& x, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  for (Index i = x.rows() - 1; i > 0; --i) {
    const Index j = std::min(i, static_cast<Index>(rng.uniform() * static_cast<double>(i + 1)));
    x.row(i).swap(x.row(j));
  }
}

DataSet real(const std::string& name, bool dequantise, std::uint64_t split) {
  Matrix x = rbig::read_csv(std::filesystem::path(RBIG_DATA_DIR) / (name + ".csv")).values;
  if (dequantise) {
    std::vector<Index> keep;
    for (Index c = 0; c < x.cols(); ++c) {
      if (x.col(c).maxCoeff() > x.col(c).minCoeff()) keep.push_back(c);
    }
    Matrix kept(x.rows(), static_cast<Index>(keep.size()));
    for (size_t k = 0; k < keep.size(); ++k) kept.col(static_cast<Index>(k)) = x.col(keep[k]);
    rbig::bench::Rng rng(4242);
    for (Index i = 0; i < kept.size(); ++i) kept.data()[i] += rng.uniform();
    x = kept;
  }
  shuffle_rows(x, 1234 + split);
  const Index train_rows = (x.rows() * 4) / 5;
  Matrix train = x.topRows(train_rows);
  Matrix test = x.bottomRows(x.rows() - train_rows);
  const Vector mean = train.colwise().mean().transpose();
  Vector sd(x.cols());
  for (Index c = 0; c < x.cols(); ++c) {
    sd[c] = std::sqrt((train.col(c).array() - mean[c]).square().sum() /
                      static_cast<double>(train_rows - 1));
  }
  for (Matrix* m : {&train, &test}) {
    *m = (m->rowwise() - mean.transpose()).array().rowwise() / sd.transpose().array();
  }
  return {name, train, test, {}};
}

}  // namespace

std::vector<std::pair<std::string, std::function<DataSet()>>> density_sets(Index rows,
                                                                           std::uint64_t split) {
  const Index total = rows + rows / 4;
  // Split 0 draws with the seeds the tables in bench/README.md were made with; split s > 0 draws
  // the same densities again (the mixtures' parameters are kept, only the sample changes).
  const std::uint64_t draw = 1000 * split;
  return {
      {"ring",
       [total, rows, draw] {
         const Mixture m = ring_mixture();
         return synthetic(
             "ring", mixture_sample(m, total, 11 + draw),
             [&](const Matrix& x) { return mixture_log_density(m, x); }, rows);
       }},
      {"moons",
       [total, rows, draw] {
         return synthetic(
             "moons", moons_sample(total, 0.1, 12 + draw),
             [](const Matrix& x) { return moons_log_density(x, 0.1); }, rows);
       }},
      {"banana",
       [total, rows, draw] {
         return synthetic("banana", banana_sample(total, 18 + draw), banana_log_density, rows);
       }},
      {"funnel",
       [total, rows, draw] {
         return synthetic("funnel", funnel_sample(total, 19 + draw), funnel_log_density, rows);
       }},
      {"checkerboard",
       [total, rows, draw] {
         // Uniform on 8 unit squares: log p = −log 8 on the support.
         const auto log_p = [](const Matrix& x) {
           return Vector::Constant(x.rows(), -std::log(8.0)).eval();
         };
         return synthetic("checkerboard", checkerboard_sample(total, 13 + draw), log_p, rows);
       }},
      {"gmm8",
       [total, rows, draw] {
         const Mixture m = gaussian_mixture(8, 14);
         return synthetic(
             "gmm8", mixture_sample(m, total, 15 + draw),
             [&](const Matrix& x) { return mixture_log_density(m, x); }, rows);
       }},
      {"gmm16",
       [total, rows, draw] {
         const Mixture m = gaussian_mixture(16, 16);
         return synthetic(
             "gmm16", mixture_sample(m, total, 17 + draw),
             [&](const Matrix& x) { return mixture_log_density(m, x); }, rows);
       }},
      {"faithful", [split] { return real("faithful", false, split); }},
      {"wine", [split] { return real("wine", false, split); }},
      {"breast_cancer", [split] { return real("breast_cancer", false, split); }},
      {"digits", [split] { return real("digits", true, split); }},
  };
}

}  // namespace rbig::bench
