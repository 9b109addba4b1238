#pragma once
// Private 1-D differential-entropy estimators used by info.cpp and rotation_pursuit.cpp (nats).

#include <rbig/types.hpp>

#include <cstdint>

namespace rbig::detail {

/// Centred-window spacing estimate of the differential entropy of the sample x (N ≥ 2 finite
/// values), nats: the measures' marginal terms (`rbig entropy`, `kld`).
/// Ĥ = 1/N·Σ_{i=1}^{N} [log(x_(b_i) − x_(a_i)) − ψ(b_i − a_i)] + ψ(N+1),
/// a_i = max(i − k, 1), b_i = min(i + k, N), k = max(1, round(N^¼ / 2)): Vasicek's (1976)
/// windows with Ebrahimi, Pflughoeft & Soofi's (1994) boundary clamp, each window corrected by
/// the exact mean of its uniform spacing (a Beta(b − a, N + 1 − b + a) law). Unbiased for
/// uniform data by construction; bias within ±0.01 nats at N = 1,000 on Gaussian, exponential,
/// Laplace, Beta(2, 2), log-normal and Student t₃/t₅ data (bench_entropy_1d, bench/README.md).
double entropy_centred_spacing(ConstVectorRef x);

/// Forward-window m-spacing estimate, nats (projection pursuit's objective, whose fitted
/// models the fixtures pin; biased low by the tails it drops, −0.025 nats on N(0,1) at
/// N = 1,000, so the measures use entropy_centred_spacing):
/// Ĥ = 1/(N−m)·Σ_{i=1}^{N−m} log(x_(i+m) − x_(i)) + ψ(N+1) − ψ(m), m = round(N^¼).
/// Vasicek (1976) with the digamma correction of the spacing's Beta(m, N+1−m) law (Learned-Miller
/// & Fisher 2003, RADICAL, eq. 8).
double entropy_m_spacing(ConstVectorRef x);

/// Mean reading of ½·log(2πe·s²) − entropy_centred_spacing on `replicates` seeded N(0,1) samples
/// of size n: the estimator's own level on Gaussian data, subtracted from negentropy estimates.
double spacing_gaussian_bias(Index n, std::uint64_t seed, int replicates);

/// Sample variance with divisor N − 1.
double sample_variance(ConstVectorRef x);

}  // namespace rbig::detail
