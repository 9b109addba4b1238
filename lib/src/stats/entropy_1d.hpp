#pragma once
// Private 1-D differential-entropy estimators used by info.cpp and rotation_pursuit.cpp (nats).

#include <rbig/types.hpp>

#include <cstdint>

namespace rbig::detail {

/// m-spacing estimate of the differential entropy of the sample x (N ≥ 2 finite values), nats:
/// Ĥ = 1/(N−m)·Σ_{i=1}^{N−m} log(x_(i+m) − x_(i)) + ψ(N+1) − ψ(m), m = round(N^¼).
/// Vasicek (1976) with the digamma correction of the spacing's Beta(m, N+1−m) law (Learned-Miller
/// & Fisher 2003, RADICAL, eq. 8; Laparra et al. 2020 use m-spacing for the marginals).
double entropy_m_spacing(ConstVectorRef x);

/// Mean reading of ½·log(2πe·s²) − entropy_m_spacing on `replicates` seeded N(0,1) samples of
/// size n: the estimator's own level on Gaussian data, subtracted from negentropy estimates.
double m_spacing_gaussian_bias(Index n, std::uint64_t seed, int replicates);

/// Sample variance with divisor N − 1.
double sample_variance(ConstVectorRef x);

}  // namespace rbig::detail
