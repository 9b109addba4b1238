// bench_density: held-out likelihood of the fitted density (issue 4). A plain program, not a test.
//
// For each data set and each combination of marginal (histogram, kde, spline) and rotation (pca,
// random), all other FitOptions at their defaults, it fits on the training split and prints the
// mean held-out log-likelihood (nats per sample and per dimension), the number of layers, the fit
// seconds and, where the true density is known, the KL gap: mean true log p − mean model log p
// over the test rows (an unbiased estimate of KL(p‖model) up to sampling noise).
//
// Data (fixed seeds; rows shuffled, first 80% train, last 20% test):
//  - ring: equal mixture of 64 Gaussians N(μ_k, 0.1²·I), μ_k = (cos 2πk/64, sin 2πk/64): the
//    ring of radius 1 with noise 0.1, with an exact log p (adjacent centres are 0.098 apart, so
//    the mixture is a smooth ring);
//  - moons: scikit-learn's make_moons with noise 0.1: a moon is chosen with probability ½, t is
//    uniform on (0, π), the point is (cos t, sin t) or (1 − cos t, ½ − sin t), plus N(0, 0.1²·I).
//    log p(x) = log Σ_moon ½·(1/π)∫ N(x; c(t), 0.1²) dt, the integral by the midpoint rule with
//    4000 nodes per moon (node spacing π/4000 ≈ σ/127: quadrature error far below 1e-6 nats);
//  - checkerboard: uniform on the 8 dark unit squares of a 4×4 board on [−2, 2]² (a mixture of
//    uniforms): log p = −log 8 on the support; hard edges, the hardest case for smooth maps;
//  - gmm8, gmm16: equal mixtures of 5 Gaussians in 8 and 16 dimensions, means 2·N(0, I), random
//    covariances (bench/support random_covariance, eigenvalues in [0.2, 2.2]);
//  - 25,000 rows of each synthetic set (20,000 train, 5,000 test), used as drawn (not
//    standardised, so the KL gap is in the data's own coordinates);
//  - real, from data/: faithful (2-D), wine (13-D), breast_cancer (30-D), digits (64-D: U(0, 1)
//    noise added to the integer pixels, then the 3 columns that are constant over the whole file
//    dropped, leaving 61 dimensions), each standardised with the training split's mean and sd.
//
//   bench_density [--only NAME] [--rows N] [--dump DIR] [--default] [--marginal M] [--rotation R]
//                 [--bandwidth B] [--validation F] [--damping A] [--max-layers N]
//     --default    one fit per data set with FitOptions{} (what `rbig fit` does without options:
//                  validation 0.1, marginal and damping chosen on it); the marginal column shows
//                  the choice, and stderr every candidate's validation score
//     --only NAME  one data set;  --rows N  synthetic training rows (default 20000; test = N/4)
//     --marginal M, --rotation R  only that method;  --bandwidth B  FitOptions::bandwidth (kde; a
//                  number of sd) or ::bandwidth_rule (silverman, plugin)
//     --validation F, --damping A, --max-layers N  FitOptions::validation, ::damping, ::max_layers
//                  for every fit (defaults here 0, 1, 100: the greedy training-set stopping rule,
//                  which were FitOptions' defaults when the tables in bench/README.md began); when
//                  given, they are appended to the marginal column, e.g. "kde --validation 0.1",
//                  and each validated fit also prints its best validation log p to stderr
//     --dump DIR   also write DIR/NAME_train.csv, NAME_test.csv (what the models see) and, for the
//                  synthetic sets, NAME_test_logp.csv (true log p per test row), for
//                  bench/density_peers.py

#include <rbig/io.hpp>
#include <rbig/model.hpp>

#include "support/samplers.hpp"
#include "support/timing.hpp"

#include <Eigen/Cholesky>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

using rbig::Index;
using rbig::Matrix;
using rbig::Vector;

namespace {

constexpr double kPi = 3.14159265358979323846;

struct DataSet {
  std::string name;
  Matrix train;
  Matrix test;
  std::optional<Vector> test_log_p;  // true log density of the test rows, when known
};

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
    const int row = square / 2;                       // 0..3
    const int col = 2 * (square % 2) + (row % 2);     // dark squares: (row + col) even
    x(i, 0) = -2.0 + col + rng.uniform();
    x(i, 1) = -2.0 + row + rng.uniform();
  }
  return x;
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

DataSet real(const std::string& name, bool dequantise) {
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
  shuffle_rows(x, 1234);
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

// --- output -----------------------------------------------------------------------------------

void write_matrix(const std::filesystem::path& path, const Matrix& x) {
  std::vector<std::string> names;
  for (Index c = 0; c < x.cols(); ++c) names.push_back(fmt::format("x{}", c + 1));
  rbig::write_file_atomically(path, [&](std::ostream& out) { rbig::write_csv(out, x, names); });
}

void dump(const std::filesystem::path& dir, const DataSet& set) {
  std::filesystem::create_directories(dir);
  write_matrix(dir / (set.name + "_train.csv"), set.train);
  write_matrix(dir / (set.name + "_test.csv"), set.test);
  if (set.test_log_p) write_matrix(dir / (set.name + "_test_logp.csv"), *set.test_log_p);
}

struct Selection {
  bool library_default = false;  // --default
  std::optional<rbig::MarginalKind> marginal;
  std::optional<rbig::RotationKind> rotation;
  std::optional<double> bandwidth;
  std::optional<rbig::BandwidthRule> bandwidth_rule;
  std::optional<double> validation;
  std::optional<double> damping;
  std::optional<int> max_layers;
};

// The marginal column: the method, then the non-default fitting-loop options that were given.
std::string configuration(rbig::MarginalKind marginal, const Selection& selection) {
  std::string name(rbig::to_string(marginal));
  if (marginal == rbig::MarginalKind::Kde && (selection.bandwidth || selection.bandwidth_rule)) {
    rbig::FitOptions given;
    given.bandwidth = selection.bandwidth;
    given.bandwidth_rule = selection.bandwidth_rule;
    name += " --bandwidth " + given.bandwidth_text();
  }
  if (selection.validation) name += fmt::format(" --validation {}", *selection.validation);
  if (selection.damping) name += fmt::format(" --damping {}", *selection.damping);
  if (selection.max_layers) name += fmt::format(" --max-layers {}", *selection.max_layers);
  return name;
}

// Fits one configuration, prints its table row, and for validated fits the score on stderr.
void report(const DataSet& set, const rbig::FitOptions& options, const std::string& name) {
  const Index dims = set.train.cols();
  const rbig::bench::Clock::time_point start = rbig::bench::Clock::now();
  const rbig::Model model = rbig::Model::fit(set.train, options);
  const double seconds = rbig::bench::seconds_since(start);
  const Vector log_p = model.log_prob(set.test);
  const double mean = log_p.mean();
  const std::string gap =
      set.test_log_p ? fmt::format("{:.3f}", set.test_log_p->mean() - mean) : "";
  const rbig::FitOptions& used = model.options();
  // Where the options left the choice to the fit, the column shows what it chose.
  std::string label = name;
  if (!options.marginal || !options.damping) {
    label = fmt::format("{}: {}, damping {}", name, rbig::to_string(*used.marginal), *used.damping);
    if (used.marginal == rbig::MarginalKind::Kde) label += ", bandwidth " + used.bandwidth_text();
  }
  const std::string rotation(rbig::to_string(used.rotation));
  std::printf("| %s | %ld | %s | %s | %.3f | %.3f | %zu | %.2f | %s |\n", set.name.c_str(),
              static_cast<long>(dims), label.c_str(), rotation.c_str(), mean,
              mean / static_cast<double>(dims), model.layers().size(), seconds, gap.c_str());
  std::fflush(stdout);
  if (options.validation > 0.0) {
    // The score the depth (and the default's configuration) was chosen on.
    std::fprintf(stderr, "  %s %s: best validation log p %.3f; stop: %s; %s\n", set.name.c_str(),
                 label.c_str(), *model.report().layers.back().validation_log_prob,
                 std::string(rbig::to_string(model.report().stop)).c_str(),
                 model.report().message.c_str());
  }
}

void run(const DataSet& set, const Selection& selection) {
  const Index dims = set.train.cols();
  std::string truth;
  if (set.test_log_p) truth = fmt::format(" (true test log p {:.3f})", set.test_log_p->mean());
  std::fprintf(stderr, "%s: %ld train, %ld test rows, %ld dims%s\n", set.name.c_str(),
               static_cast<long>(set.train.rows()), static_cast<long>(set.test.rows()),
               static_cast<long>(dims), truth.c_str());
  if (selection.library_default) {
    rbig::FitOptions options;
    if (selection.max_layers) options.max_layers = *selection.max_layers;
    if (selection.rotation) options.rotation = *selection.rotation;
    options.bandwidth = selection.bandwidth;
    options.bandwidth_rule = selection.bandwidth_rule;
    report(set, options, "default");
    return;
  }
  for (rbig::MarginalKind marginal :
       {rbig::MarginalKind::Histogram, rbig::MarginalKind::Kde, rbig::MarginalKind::Spline}) {
    if (selection.marginal && marginal != *selection.marginal) continue;
    // pca and random unless --rotation names one (ica and pursuit only then).
    using Kinds = std::vector<rbig::RotationKind>;
    const Kinds rotations = selection.rotation
                                ? Kinds{*selection.rotation}
                                : Kinds{rbig::RotationKind::Pca, rbig::RotationKind::Random};
    for (rbig::RotationKind rotation : rotations) {
      rbig::FitOptions options;
      options.bandwidth = selection.bandwidth;
      options.bandwidth_rule = selection.bandwidth_rule;
      options.marginal = marginal;
      options.rotation = rotation;
      options.validation = selection.validation.value_or(0.0);
      options.damping = selection.damping.value_or(1.0);
      options.max_layers = selection.max_layers.value_or(100);
      report(set, options, configuration(marginal, selection));
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string only;
  std::string dump_dir;
  Index rows = 20000;
  Selection selection;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else if (arg == "--default") {
      selection.library_default = true;
    } else if (arg == "--dump" && i + 1 < argc) {
      dump_dir = argv[++i];
    } else if (arg == "--marginal" && i + 1 < argc) {
      selection.marginal = rbig::parse_marginal_kind(argv[++i]);
    } else if (arg == "--rotation" && i + 1 < argc) {
      selection.rotation = rbig::parse_rotation_kind(argv[++i]);
    } else if (arg == "--bandwidth" && i + 1 < argc) {
      const std::string value = argv[++i];
      if (value == "silverman" || value == "plugin") {
        selection.bandwidth_rule = rbig::parse_bandwidth_rule(value);
      } else {
        selection.bandwidth = std::stod(value);
      }
    } else if (arg == "--validation" && i + 1 < argc) {
      selection.validation = std::stod(argv[++i]);
    } else if (arg == "--damping" && i + 1 < argc) {
      selection.damping = std::stod(argv[++i]);
    } else if (arg == "--max-layers" && i + 1 < argc) {
      selection.max_layers = std::stoi(argv[++i]);
    } else if (arg == "--rows" && i + 1 < argc) {
      rows = std::stol(argv[++i]);
    } else {
      std::fprintf(stderr,
                   "usage: bench_density [--only NAME] [--rows N] [--dump DIR] [--default] "
                   "[--marginal M] [--rotation R] [--bandwidth B] [--validation F] [--damping A] "
                   "[--max-layers N]\n");
      return 2;
    }
  }
  {
    // Reject a bad --validation / --damping / --max-layers before any data set is built.
    rbig::FitOptions check;
    if (selection.validation) check.validation = *selection.validation;
    if (selection.damping) check.damping = *selection.damping;
    if (selection.max_layers) check.max_layers = *selection.max_layers;
    check.bandwidth = selection.bandwidth;
    try {
      check.validate();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_density: %s\n", e.what());
      return 2;
    }
  }
  const Index total = rows + rows / 4;
  const std::vector<std::pair<std::string, std::function<DataSet()>>> sets = {
      {"ring",
       [&] {
         const Mixture m = ring_mixture();
         return synthetic("ring", mixture_sample(m, total, 11),
                          [&](const Matrix& x) { return mixture_log_density(m, x); }, rows);
       }},
      {"moons",
       [&] {
         return synthetic("moons", moons_sample(total, 0.1, 12),
                          [](const Matrix& x) { return moons_log_density(x, 0.1); }, rows);
       }},
      {"checkerboard",
       [&] {
         // Uniform on 8 unit squares: log p = −log 8 on the support.
         const auto log_p = [](const Matrix& x) {
           return Vector::Constant(x.rows(), -std::log(8.0)).eval();
         };
         return synthetic("checkerboard", checkerboard_sample(total, 13), log_p, rows);
       }},
      {"gmm8",
       [&] {
         const Mixture m = gaussian_mixture(8, 14);
         return synthetic("gmm8", mixture_sample(m, total, 15),
                          [&](const Matrix& x) { return mixture_log_density(m, x); }, rows);
       }},
      {"gmm16",
       [&] {
         const Mixture m = gaussian_mixture(16, 16);
         return synthetic("gmm16", mixture_sample(m, total, 17),
                          [&](const Matrix& x) { return mixture_log_density(m, x); }, rows);
       }},
      {"faithful", [] { return real("faithful", false); }},
      {"wine", [] { return real("wine", false); }},
      {"breast_cancer", [] { return real("breast_cancer", false); }},
      {"digits", [] { return real("digits", true); }},
  };
  std::printf("| data | D | marginal | rotation | test log p (nats) | per dim | layers | fit s | "
              "KL gap |\n");
  std::printf("|---|---:|---|---|---:|---:|---:|---:|---:|\n");
  for (const auto& [name, make] : sets) {
    if (!only.empty() && name != only) continue;
    const DataSet set = make();
    if (!dump_dir.empty()) dump(dump_dir, set);
    run(set, selection);
  }
  return 0;
}
