// Evaluation of a fitted cascade, block by block: memory beyond input and output is O(block·D),
// and each block's result does not depend on how the others are scheduled.

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "core/check.hpp"
#include "stats/normal.hpp"
#include "core/parallel.hpp"
#include "core/rng.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace rbig {
namespace {

// Rows per block: fixed, so each row's arithmetic is the same at every thread count.
constexpr Index kEvalBlockRows = 1024;

/// body(block, start, count) for each fixed block of `rows` rows, on up to `threads` threads.
template <typename Body>
void for_each_block(Index rows, int threads, const Body& body) {
  const Index blocks = (rows + kEvalBlockRows - 1) / kEvalBlockRows;
  detail::parallel_for(blocks, threads, [&](Index b) {
    const Index start = b * kEvalBlockRows;
    body(b, start, std::min(kEvalBlockRows, rows - start));
  });
}

// Throws NumericalError naming the first row of `values` (offset by first_row) that is not finite.
void check_rows_finite(std::string_view what, ConstMatrixRef values, Index first_row) {
  for (Index r = 0; r < values.rows(); ++r) {
    if (!values.row(r).allFinite()) {
      throw NumericalError(
          fmt::format("{}: row {} has no finite result (values beyond the range "
                      "the model can represent)",
                      what, first_row + r + 1));
    }
  }
}

/// The cascade's map (or its inverse) of every row of x, block by block; throws NumericalError
/// naming the first row whose result is not finite.
Matrix map_rows(const std::vector<Layer>& layers, int threads, Index dims, ConstMatrixRef x,
                bool inverse) {
  const char* what = inverse ? "inverse" : "transform";
  detail::check_columns(what, dims, x);
  detail::check_finite(inverse ? "inverse input" : "transform input", "every value", x);
  Matrix result = x;
  for_each_block(x.rows(), threads, [&](Index, Index start, Index rows) {
    MatrixRef block = result.middleRows(start, rows);
    // A check per layer too: a block through hundreds of wide layers takes a while.
    if (inverse) {
      for (auto layer = layers.rbegin(); layer != layers.rend(); ++layer) {
        throw_if_cancelled();
        layer->inverse(block);
      }
    } else {
      for (const Layer& layer : layers) {
        throw_if_cancelled();
        layer.forward(block);
      }
    }
    check_rows_finite(what, block, start);
  });
  return result;
}

}  // namespace

Vector Model::log_prob(ConstMatrixRef x) const {
  detail::check_columns("log_prob", dims_, x);
  detail::check_finite("log_prob input", "every value", x);
  Vector result(x.rows());
  for_each_block(x.rows(), threads_, [&](Index, Index start, Index rows) {
    Matrix block = x.middleRows(start, rows);
    Vector log_det = Vector::Zero(rows);
    for (const Layer& layer : layers_) {
      throw_if_cancelled();
      layer.forward(block, log_det);
    }
    const Vector base = -0.5 * block.rowwise().squaredNorm().array() -
                        static_cast<double>(dims_) * detail::kLogSqrt2Pi;
    result.segment(start, rows) = base + log_det;
    check_rows_finite("log_prob", result.segment(start, rows), start);
  });
  return result;
}

Matrix Model::transform(ConstMatrixRef x) const {
  return map_rows(layers_, threads_, dims_, x, /*inverse=*/false);
}

Matrix Model::inverse(ConstMatrixRef z) const {
  return map_rows(layers_, threads_, dims_, z, /*inverse=*/true);
}

Matrix Model::sample(Index n, std::uint64_t seed) const {
  if (n < 0) throw OptionError(fmt::format("sample: n must be at least 0 (got {})", n));
  return sample_rows(0, n, seed);
}

Matrix Model::sample_rows(Index first, Index count, std::uint64_t seed) const {
  if (first < 0 || count < 0) {
    throw OptionError(
        fmt::format("sample: rows must be at least 0 (got first {}, count {})", first, count));
  }
  Matrix latent(count, dims_);
  // One random stream per block of kEvalBlockRows rows of the whole sample, so draws do not
  // depend on how blocks are scheduled nor on which rows are asked for; a block's rows before
  // `first` are drawn and dropped.
  const Index skipped = first % kEvalBlockRows;
  const Index first_block = first / kEvalBlockRows;
  for_each_block(skipped + count, threads_, [&](Index b, Index start, Index rows) {
    detail::Rng rng(detail::derive_seed(seed, static_cast<std::uint64_t>(first_block + b)));
    for (Index r = start; r < start + rows; ++r) {
      for (Index c = 0; c < dims_; ++c) {
        const double draw = rng.normal();
        if (r >= skipped) latent(r - skipped, c) = draw;
      }
    }
  });
  return inverse(latent);
}

}  // namespace rbig
