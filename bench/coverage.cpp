// bench_coverage: coverage of the measures' 95 % half-sampling intervals (rbig::subsample_interval)
// on Gaussian data with known answers. For each case, D and N: `reps` data sets, each with its
// estimate and the interval from `resamples` halves; prints the fraction of intervals that hold
// the truth (target 90–99 %), their mean width and the mean error of the estimate. The
// KL(P||P') rows use two samples of one distribution (truth 0: the interval must contain 0); the
// KL(P||Q) rows two different Gaussians with the closed-form divergence.
//
//   bench_coverage [--n 1000] [--reps 100] [--resamples 20] [--dims 2,10] [--only H|T|I|KL]
//                  [--radial 0|1] [--threads 0]

#include <rbig/info.hpp>
#include <rbig/options.hpp>

#include "support/index_list.hpp"
#include "support/samplers.hpp"

#include <Eigen/LU>
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using rbig::Index;
using rbig::Matrix;
using rbig::Vector;

namespace {

double log_det(const Matrix& a) { return std::log(a.determinant()); }

/// KL(N(mean, p_cov) || N(0, q_cov)) in nats:
/// ½[tr(Σq⁻¹Σp) + μᵀΣq⁻¹μ − D + log det Σq − log det Σp].
double gaussian_kl(const Vector& mean, const Matrix& p_cov, const Matrix& q_cov) {
  const Eigen::PartialPivLU<Matrix> q_lu(q_cov);
  return 0.5 * (q_lu.solve(p_cov).trace() + mean.dot(q_lu.solve(mean)) -
                static_cast<double>(mean.size()) + log_det(q_cov) - log_det(p_cov));
}

/// The same estimator and two-sample interval as `rbig kld --bootstrap` (cmd_measures.cpp).
void kl_run(const Matrix& p, const Matrix& q, const rbig::FitOptions& options, std::uint64_t seed,
            int resamples, double& full, rbig::Interval& interval) {
  const auto kl = [options](rbig::ConstMatrixRef a, rbig::ConstMatrixRef b) {
    return rbig::kl_divergence(a, b, options);
  };
  full = kl(p, q);
  interval = rbig::subsample_interval(kl, p, q, resamples, seed, 0.95);
}

struct Case {
  std::string name;
  double truth;
  // Data set `rep`: the full estimate and the halves' estimates.
  std::function<void(Index n, std::uint64_t seed, int resamples, double& full,
                     rbig::Interval& interval)>
      run;
};

std::vector<Case> cases(Index d, const rbig::FitOptions& options) {
  const Matrix cov = rbig::bench::random_covariance(d, 700 + static_cast<unsigned>(d));
  const Vector sd = cov.diagonal().cwiseSqrt();
  const Matrix corr = sd.cwiseInverse().asDiagonal() * cov * sd.cwiseInverse().asDiagonal();
  const Index half = d / 2;
  const double mi = 0.5 * (log_det(cov.topLeftCorner(half, half)) +
                           log_det(cov.bottomRightCorner(d - half, d - half)) - log_det(cov));
  const auto one = [](auto measure) {
    return [measure](const Matrix& covariance, Index n, std::uint64_t seed, int resamples,
                     double& full, rbig::Interval& interval) {
      const Matrix x = rbig::bench::gaussian_sample(n, covariance, seed);
      full = measure(x);
      interval = rbig::subsample_interval(measure, x, resamples, seed + 1);
    };
  };
  const auto entropy = one([options](rbig::ConstMatrixRef x) { return rbig::entropy(x, options); });
  const auto tc =
      one([options](rbig::ConstMatrixRef x) { return rbig::total_correlation(x, options); });
  const auto mutual = one([half, options](rbig::ConstMatrixRef x) {
    return rbig::mutual_information(x.leftCols(half), x.rightCols(x.cols() - half), options);
  });
  std::vector<Case> out;
  out.push_back({fmt::format("H D={}", d), rbig::bench::gaussian_entropy(cov),
                 [cov, entropy](Index n, std::uint64_t s, int b, double& f, rbig::Interval& i) {
                   entropy(cov, n, s, b, f, i);
                 }});
  out.push_back({fmt::format("T D={}", d), -0.5 * log_det(corr),
                 [cov, tc](Index n, std::uint64_t s, int b, double& f, rbig::Interval& i) {
                   tc(cov, n, s, b, f, i);
                 }});
  out.push_back({fmt::format("I D={}+{}", half, d - half), mi,
                 [cov, mutual](Index n, std::uint64_t s, int b, double& f, rbig::Interval& i) {
                   mutual(cov, n, s, b, f, i);
                 }});
  out.push_back({fmt::format("KL(P||P') D={}", d), 0.0,
                 [cov, options](Index n, std::uint64_t s, int b, double& f, rbig::Interval& i) {
                   const Matrix p = rbig::bench::gaussian_sample(n, cov, s);
                   const Matrix q = rbig::bench::gaussian_sample(n, cov, s + 7919);
                   kl_run(p, q, options, s + 1, b, f, i);
                 }});
  // Q = N(0, Σ) as above; P = N(μ, Σ′): a shift of ±0.25 per column and the average of Σ
  // with another random covariance, so that P differs from Q in location, scales and
  // correlations by a modest amount.
  Vector shift(d);
  for (Index k = 0; k < d; ++k) shift[k] = k % 2 == 0 ? 0.25 : -0.25;
  const Matrix p_cov =
      0.5 * (cov + rbig::bench::random_covariance(d, 800 + static_cast<unsigned>(d)));
  out.push_back(
      {fmt::format("KL(P||Q) D={}", d), gaussian_kl(shift, p_cov, cov),
       [cov, p_cov, shift, options](Index n, std::uint64_t s, int b, double& f, rbig::Interval& i) {
         Matrix p = rbig::bench::gaussian_sample(n, p_cov, s);
         p.rowwise() += shift.transpose();
         const Matrix q = rbig::bench::gaussian_sample(n, cov, s + 7919);
         kl_run(p, q, options, s + 1, b, f, i);
       }});
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Index n = 1000;
  int reps = 100;
  int resamples = 20;
  std::string dims_text = "2,10";
  std::string only;
  rbig::FitOptions options;
  for (int a = 1; a + 1 < argc; a += 2) {
    const std::string key = argv[a];
    const std::string value = argv[a + 1];
    if (key == "--n") n = std::atol(value.c_str());
    if (key == "--reps") reps = std::atoi(value.c_str());
    if (key == "--resamples") resamples = std::atoi(value.c_str());
    if (key == "--dims") dims_text = value;
    if (key == "--only") only = value;
    if (key == "--radial") options.radial = value == "1";  // FitOptions::radial (mi: T difference)
    if (key == "--threads") options.threads = std::atoi(value.c_str());  // never changes a result
  }
  // "coverage": the library's interval (spanning the raw and the bias-corrected estimate);
  // "corrected", "plain": ± the same z·sd about the corrected or the raw estimate alone.
  fmt::print("{:<16} {:>6} {:>5} {:>4} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10}\n", "case", "N",
             "reps", "B", "truth", "coverage", "corrected", "plain", "mean width", "mean error");
  for (Index d : rbig::bench::parse_index_list(dims_text)) {
    for (const Case& c : cases(d, options)) {
      if (!only.empty() && c.name.rfind(only, 0) != 0) continue;
      int covered = 0, corrected = 0, plain = 0;
      double width = 0.0, error = 0.0;
      for (int r = 0; r < reps; ++r) {
        double full = 0.0;
        rbig::Interval interval;
        c.run(n, 1000 + 17 * static_cast<std::uint64_t>(r), resamples, full, interval);
        covered += interval.low <= c.truth && c.truth <= interval.high;
        const double noise =
            ((interval.high - interval.low) - std::abs(full - interval.corrected)) / 2.0;
        corrected += std::abs(interval.corrected - c.truth) <= noise;
        plain += std::abs(full - c.truth) <= noise;
        width += (interval.high - interval.low) / reps;
        error += (full - c.truth) / reps;
      }
      fmt::print(
          "{:<16} {:>6} {:>5} {:>4} {:>9.4f} {:>8.1f}% {:>8.1f}% {:>8.1f}% {:>10.4f} {:>+10.4f}\n",
          c.name, n, reps, resamples, c.truth, 100.0 * covered / reps, 100.0 * corrected / reps,
          100.0 * plain / reps, width, error);
      std::fflush(stdout);
    }
  }
  return 0;
}
