#pragma once
// Symmetric FastICA (Hyvärinen 1999, "Fast and robust fixed-point algorithms for independent
// component analysis", eq. 20 with G(u) = log cosh u) on whitened data.

#include <rbig/types.hpp>

#include <cstdint>

namespace rbig::detail {

struct FastIcaResult {
  Matrix unmixing;  // orthogonal W (D × D): sources ≈ rows of W applied to each whitened row
  int iterations = 0;
  bool converged = false;
};

/// Finds the orthogonal W maximising the non-Gaussianity of the columns of whitened·Wᵀ.
/// whitened: N × D with zero mean and identity covariance. Deterministic for a seed (the initial
/// W is a Haar rotation from it). Stops when every row of W moves by less than tol
/// (1 − |⟨w_new, w_old⟩|) or after max_iterations.
FastIcaResult fastica(ConstMatrixRef whitened, std::uint64_t seed, int max_iterations = 200,
                      double tol = 1e-6);

}  // namespace rbig::detail
