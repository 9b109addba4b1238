#pragma once
// The covariance's block update YᵀY (rotation_pca.cpp), written out instead of Eigen's rank
// update for the reason product_kernel.hpp gives: every sum has one fixed order whatever the
// vector width. Row i of a block goes to lane i mod 4; a lane adds its rows in order; the lanes
// are combined as (l0 + l1) + (l2 + l3) and added to the running total once per block.

#include <rbig/types.hpp>

namespace rbig::detail {

/// product(a, b) += Σ_i y(i, a)·y(i, b) for a ≥ b (the lower triangle; the upper is not
/// touched) and sums(a) += Σ_i y(i, a), over the `rows` rows of y (column stride y_stride, d
/// columns); product is d × d column-major and contiguous.
void add_cross_products(const double* y, Index y_stride, Index rows, Index d, double* product,
                        double* sums);

}  // namespace rbig::detail
