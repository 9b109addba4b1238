// Evaluation of a fitted cascade, block by block: memory beyond input and output is O(block·D),
// and each block's result does not depend on how the others are scheduled.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "check.hpp"
#include "normal.hpp"
#include "rng.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rbig {
namespace {

constexpr Index kBlockRows = 1024;

// Throws NumericalError naming the first row of `values` (offset by first_row) that is not finite.
void check_rows_finite(std::string_view what, ConstMatrixRef values, Index first_row) {
  for (Index r = 0; r < values.rows(); ++r) {
    if (!values.row(r).allFinite()) {
      throw NumericalError(fmt::format("{}: row {} has no finite result (values beyond the range "
                                       "the model can represent)",
                                       what, first_row + r + 1));
    }
  }
}

}  // namespace

Vector Model::log_prob(ConstMatrixRef x) const {
  detail::check_columns("log_prob", dims_, x);
  detail::check_finite("log_prob input", "every value", x);
  Vector result(x.rows());
  Matrix block;
  Vector log_det;
  for (Index start = 0; start < x.rows(); start += kBlockRows) {
    const Index rows = std::min(kBlockRows, x.rows() - start);
    block = x.middleRows(start, rows);
    log_det.setZero(rows);
    for (const Layer& layer : layers_) layer.forward(block, log_det);
    const Vector base = -0.5 * block.rowwise().squaredNorm().array() -
                        static_cast<double>(dims_) * detail::kLogSqrt2Pi;
    result.segment(start, rows) = base + log_det;
    check_rows_finite("log_prob", result.segment(start, rows), start);
  }
  return result;
}

Matrix Model::transform(ConstMatrixRef x) const {
  detail::check_columns("transform", dims_, x);
  detail::check_finite("transform input", "every value", x);
  Matrix result = x;
  for (Index start = 0; start < x.rows(); start += kBlockRows) {
    const Index rows = std::min(kBlockRows, x.rows() - start);
    for (const Layer& layer : layers_) layer.forward(result.middleRows(start, rows));
  }
  return result;
}

Matrix Model::inverse(ConstMatrixRef z) const {
  detail::check_columns("inverse", dims_, z);
  detail::check_finite("inverse input", "every value", z);
  Matrix result = z;
  for (Index start = 0; start < z.rows(); start += kBlockRows) {
    const Index rows = std::min(kBlockRows, z.rows() - start);
    for (auto layer = layers_.rbegin(); layer != layers_.rend(); ++layer) {
      layer->inverse(result.middleRows(start, rows));
    }
    check_rows_finite("inverse", result.middleRows(start, rows), start);
  }
  return result;
}

Matrix Model::sample(Index n, std::uint64_t seed) const {
  if (n < 0) throw OptionError(fmt::format("sample: n must be at least 0 (got {})", n));
  Matrix latent(n, dims_);
  // One random stream per block of rows, so draws do not depend on how blocks are scheduled.
  for (Index start = 0, block = 0; start < n; start += kBlockRows, ++block) {
    const Index rows = std::min(kBlockRows, n - start);
    detail::Rng rng(detail::derive_seed(seed, static_cast<std::uint64_t>(block)));
    for (Index r = start; r < start + rows; ++r) {
      for (Index c = 0; c < dims_; ++c) latent(r, c) = rng.normal();
    }
  }
  return inverse(latent);
}

}  // namespace rbig
