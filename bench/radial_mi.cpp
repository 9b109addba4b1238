// bench_radial_mi: mutual information that rotations cannot see (issue 14 item 5, issue 20),
// estimated by rbig::mutual_information with and without radial layers (FitOptions::radial).
// A plain program, not a test. Prints one markdown row per case and seed: analytic MI, the
// estimate without and with radial layers (recovered fractions), and the seconds of each.
//
// Cases (N rows each, default 5,000; seeds 1..S, default 3):
//  - Student-t p+q: X, Y the first p and last q coordinates of a multivariate Student-t with ν
//    degrees of freedom and identity scale (w·g, g ~ N(0, I_{p+q}), w = sqrt(ν/χ²_ν) shared by the
//    whole row): uncorrelated, dependent only through w. I = h_p + h_q − h_{p+q} with
//    h_d = log(Γ(ν/2)·(νπ)^{d/2} / Γ((ν+d)/2)) + (ν+d)/2·(ψ((ν+d)/2) − ψ(ν/2)).
//  - spiral 2+2: (X, Y) Gaussian with X_1, Y_1 correlated ρ = 0.8 and all else independent,
//    I = −log(1 − ρ²) = 1.0217; then each block rotated in its own plane by the angle |block|²/2
//    (a spiral). An invertible map of each block leaves I unchanged.
//
// Estimates: rbig::mutual_information with radial off (T([G_X(X), G_Y(Y)]), each block's own
// Gaussianization) and on (T(X, Y) − T(X) − T(Y) on rank scores whitened within each block, with
// radial layers offered), both with the rotation given.
//
// --rotation KIND sets FitOptions::rotation for every estimate (the "rotation family" of the
// table in bench/README.md); --only NAME keeps the cases whose name contains NAME.
//
//   bench_radial_mi [--rows N] [--seeds S] [--rotation pca|random|ica|pursuit] [--gaussian]
//                   [--only NAME]

#include <rbig/info.hpp>
#include <rbig/options.hpp>

#include "support/samplers.hpp"
#include "support/timing.hpp"

#include <Eigen/Cholesky>
#include <boost/math/special_functions/digamma.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

using rbig::Index;
using rbig::Matrix;

namespace {

constexpr double kPi = 3.14159265358979323846;

double t_entropy(double nu, double d) {
  return std::lgamma(nu / 2) + 0.5 * d * std::log(nu * kPi) - std::lgamma((nu + d) / 2) +
         0.5 * (nu + d) * (boost::math::digamma((nu + d) / 2) - boost::math::digamma(nu / 2));
}

Matrix student_t(Index n, Index dims, int nu, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Matrix x(n, dims);
  for (Index i = 0; i < n; ++i) {
    double chi2 = 0.0;
    for (int k = 0; k < nu; ++k) {
      const double g = rng.normal();
      chi2 += g * g;
    }
    const double w = std::sqrt(nu / chi2);
    for (Index j = 0; j < dims; ++j) x(i, j) = w * rng.normal();
  }
  return x;
}

Matrix spiral(Index n, double rho, std::uint64_t seed) {
  rbig::bench::Rng rng(seed);
  Matrix x(n, 4);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < 2; ++j) {
      const double a = rng.normal();
      const double r = j == 0 ? rho : 0.0;
      x(i, j) = a;
      x(i, 2 + j) = r * a + std::sqrt(1.0 - r * r) * rng.normal();
    }
    for (Index block = 0; block < 4; block += 2) {
      const double u = x(i, block);
      const double v = x(i, block + 1);
      const double angle = 0.5 * (u * u + v * v);
      x(i, block) = std::cos(angle) * u - std::sin(angle) * v;
      x(i, block + 1) = std::sin(angle) * u + std::cos(angle) * v;
    }
  }
  return x;
}

double log_det(const Matrix& m) { return 2.0 * m.llt().matrixLLT().diagonal().array().log().sum(); }

Matrix equicorrelated(Index dims) {
  return 0.5 * Matrix::Identity(dims, dims) + 0.5 * Matrix::Ones(dims, dims);
}

struct Case {
  std::string name;
  Index p;
  double analytic;
  std::function<Matrix(Index n, std::uint64_t seed)> sample;
};

}  // namespace

int main(int argc, char** argv) {
  Index rows = 5000;
  int seeds = 3;
  rbig::RotationKind rotation = rbig::RotationKind::Pca;
  bool gaussian = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) {
      rows = std::stol(argv[++i]);
    } else if (arg == "--seeds" && i + 1 < argc) {
      seeds = std::stoi(argv[++i]);
    } else if (arg == "--rotation" && i + 1 < argc) {
      rotation = rbig::parse_rotation_kind(argv[++i]);
    } else if (arg == "--gaussian") {
      gaussian = true;
    } else if (arg == "--only" && i + 1 < argc) {
      only = argv[++i];
    } else {
      std::fprintf(stderr,
                   "usage: bench_radial_mi [--rows N] [--seeds S] [--rotation KIND] [--gaussian] "
                   "[--only NAME]\n");
      return 2;
    }
  }
  std::vector<Case> cases;
  for (int nu : {1, 2, 3}) {
    for (Index p : {1, 2, 5}) {
      const double truth =
          2 * t_entropy(nu, static_cast<double>(p)) - t_entropy(nu, static_cast<double>(2 * p));
      cases.push_back(
          {fmt::format("Student-t nu={} {}+{}", nu, p, p), p, truth,
           [nu, p](Index n, std::uint64_t seed) { return student_t(n, 2 * p, nu, seed); }});
    }
  }
  cases.push_back({"spiral 2+2", 2, -std::log(1.0 - 0.64),
                   [](Index n, std::uint64_t seed) { return spiral(n, 0.8, seed); }});
  if (gaussian) {
    for (Index p : {25, 50}) {
      const double truth =
          0.5 * (2.0 * log_det(equicorrelated(p)) - log_det(equicorrelated(2 * p)));
      cases.push_back(
          {fmt::format("Gaussian {}+{}", p, p), p, truth, [p](Index n, std::uint64_t seed) {
             return rbig::bench::gaussian_sample(n, equicorrelated(2 * p), seed);
           }});
    }
  }
  if (!only.empty()) {
    cases.erase(
        std::remove_if(cases.begin(), cases.end(),
                       [&only](const Case& c) { return c.name.find(only) == std::string::npos; }),
        cases.end());
  }
  std::printf("rotation %s\n\n", std::string(rbig::to_string(rotation)).c_str());
  std::printf(
      "| case | N | seed | analytic | mi | mi, radial | seconds | seconds, radial |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|\n");
  const auto percent = [](double estimate, double truth) {
    return fmt::format("{:.4f} ({:.0f}%)", estimate, 100.0 * estimate / truth);
  };
  for (const Case& c : cases) {
    for (int seed = 1; seed <= seeds; ++seed) {
      const Matrix x = c.sample(rows, static_cast<std::uint64_t>(seed));
      std::string cells;
      std::string seconds;
      for (int radial = 0; radial < 2; ++radial) {
        rbig::FitOptions options;
        options.radial = radial == 1;
        options.rotation = rotation;
        const auto start = rbig::bench::Clock::now();
        const double estimate =
            rbig::mutual_information(x.leftCols(c.p), x.rightCols(x.cols() - c.p), options);
        seconds += fmt::format(" {:.2f} |", rbig::bench::seconds_since(start));
        cells += " " + percent(estimate, c.analytic) + " |";
      }
      std::printf("| %s | %ld | %d | %.4f |%s%s\n", c.name.c_str(), static_cast<long>(rows), seed,
                  c.analytic, cells.c_str(), seconds.c_str());
      std::fflush(stdout);
    }
  }
  return 0;
}
