#pragma once
// The data sets of bench_density (issue 4), each split into training and test rows.
//
// Data (fixed seeds; rows shuffled, first 80% train, last 20% test):
//  - ring: equal mixture of 64 Gaussians N(μ_k, 0.1²·I), μ_k = (cos 2πk/64, sin 2πk/64): the
//    ring of radius 1 with noise 0.1, with an exact log p (adjacent centres are 0.098 apart, so
//    the mixture is a smooth ring);
//  - moons: scikit-learn's make_moons with noise 0.1: a moon is chosen with probability ½, t is
//    uniform on (0, π), the point is (cos t, sin t) or (1 − cos t, ½ − sin t), plus N(0, 0.1²·I).
//    log p(x) = log Σ_moon ½·(1/π)∫ N(x; c(t), 0.1²) dt, the integral by the midpoint rule with
//    4000 nodes per moon (node spacing π/4000 ≈ σ/127: quadrature error far below 1e-6 nats);
//  - banana: Haario et al.'s twisted Gaussian (b = 0.03) with x1 divided by 10: x1 ~ N(0, 1),
//    x2 = z + 3·(x1² − 1), z ~ N(0, 1); the shear has unit Jacobian, so log p is exact;
//  - funnel: Neal's funnel with a milder neck: v ~ N(0, 1.5²), x | v ~ N(0, e^v), columns (v, x);
//    log p = log N(v; 0, 1.5²) + log N(x; 0, e^v);
//  - checkerboard: uniform on the 8 dark unit squares of a 4×4 board on [−2, 2]² (a mixture of
//    uniforms): log p = −log 8 on the support; hard edges, the hardest case for smooth maps;
//  - gmm8, gmm16: equal mixtures of 5 Gaussians in 8 and 16 dimensions, means 2·N(0, I), random
//    covariances (bench/support random_covariance, eigenvalues in [0.2, 2.2]);
//  - 25,000 rows of each synthetic set (20,000 train, 5,000 test), used as drawn (not
//    standardised, so the KL gap is in the data's own coordinates);
//  - real, from data/: faithful (2-D), wine (13-D), breast_cancer (30-D), digits (64-D: U(0, 1)
//    noise added to the integer pixels, then the 3 columns that are constant over the whole file
//    dropped, leaving 61 dimensions), each standardised with the training split's mean and sd.

#include <rbig/types.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rbig::bench {

struct DataSet {
  std::string name;
  Matrix train;
  Matrix test;
  std::optional<Vector> test_log_p;  // true log density of the test rows, when known
};

/// Every data set by name, in table order, each built only when its function is called (a run
/// with --only builds one). `rows`: training rows of each synthetic set (test rows: rows / 4).
/// `split`: 0 for the tables' split; s > 0 a fresh draw of each synthetic set and another
/// shuffle of each real one into training and test rows.
std::vector<std::pair<std::string, std::function<DataSet()>>> density_sets(Index rows,
                                                                           std::uint64_t split);

}  // namespace rbig::bench
