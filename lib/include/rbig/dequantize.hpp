#pragma once
/// Dequantization of tied (e.g. integer-valued or rounded) data before a density fit.
///
/// A column whose values sit on a grid has no density: a fit sees point masses, and its
/// log-densities grow without bound as the estimator sharpens. Adding independent uniform noise of
/// one grid step spreads each value over its cell, which gives the density of the "continuous
/// version" of the data (Theis et al., "A note on the evaluation of generative models", 2016,
/// §3.1):
///
///   rbig::Matrix x = rbig::dequantize(counts, /*seed=*/7);   // then Model::fit(x, options)

#include <rbig/types.hpp>

#include <cstdint>

namespace rbig {

/// The quantisation step of each column: the smallest positive gap between distinct sorted
/// values, or 0 for a column with fewer than two distinct values. Throws InputError for a
/// non-finite value.
Vector quantization_steps(ConstMatrixRef x);

/// x plus independent noise uniform on (−step/2, step/2) with step = quantization_steps(x) of
/// each column (a column with step 0, and a value the noise would push past ±max, is copied
/// unchanged). The same x and seed give the same bytes
/// with every standard library; each column has its own random stream, so adding or removing a
/// column leaves the noise of the others unchanged.
Matrix dequantize(ConstMatrixRef x, std::uint64_t seed);

}  // namespace rbig
