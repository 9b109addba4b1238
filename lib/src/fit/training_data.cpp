#include "fit/training_data.hpp"

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>

#include "core/check.hpp"
#include "core/random_streams.hpp"
#include "core/rng.hpp"
#include "fit/work_columns.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace rbig::detail {

void check_training_data(ConstMatrixRef x) {
  const std::string where = "training data";
  if (x.cols() < 1) throw InputError(where, 0, 0, "no columns");
  if (x.rows() < 2) {
    throw InputError(where, 0, 0, fmt::format("need at least 2 rows to fit (got {})", x.rows()));
  }
  // One pass, column by column (a mapped matrix's columns read from its file): the first value
  // that is not finite, else the first constant column.
  const WorkColumns columns(x);
  std::optional<Index> constant;
  Vector scratch;
  for (Index c = 0; c < x.cols(); ++c) {
    const ConstVectorRef column = columns.column(c, scratch);
    for (Index r = 0; r < column.size(); ++r) {
      if (!std::isfinite(column[r])) {
        throw InputError(where, static_cast<std::size_t>(r + 1), static_cast<std::size_t>(c + 1),
                         fmt::format("every value must be finite, got {}", column[r]));
      }
    }
    if (!constant && column.minCoeff() == column.maxCoeff()) constant = c;
  }
  if (constant) {
    // The column is data, not text: "training data: column 3 is constant (...)".
    throw InputError(where, 0, static_cast<std::size_t>(*constant + 1),
                     fmt::format("is constant (every value is {}): it has no density to model; "
                                 "remove it",
                                 x(0, *constant)));
  }
  if (x.rows() <= x.cols()) {
    // The covariance of each layer would be singular: the fit would be meaningless, not wrong.
    throw InputError(where, 0, 0,
                     fmt::format("need more rows than columns to fit (got {} rows, {} columns)",
                                 x.rows(), x.cols()));
  }
}

void check_training_data(ConstMatrixRef x, const Reducer& reducer) {
  if (reducer.is_local()) {
    check_training_data(x);
    return;
  }
  // Every participant must reach the same verdict, so each check is on reduced values. A part
  // may be empty (it then adds nothing to any sum: row_alignment.hpp).
  const std::string where = "training data";
  const Index rows = total_rows(x.rows(), reducer);
  if (rows < 2) {
    throw InputError(where, 0, 0, fmt::format("need at least 2 rows to fit (got {})", rows));
  }
  std::vector<double> low(static_cast<size_t>(x.cols()), INFINITY);
  std::vector<double> high(static_cast<size_t>(x.cols()), -INFINITY);
  std::vector<double> bad{x.allFinite() ? 0.0 : 1.0};
  for (Index c = 0; c < x.cols() && x.rows() > 0; ++c) {
    low[static_cast<size_t>(c)] = x.col(c).minCoeff();
    high[static_cast<size_t>(c)] = x.col(c).maxCoeff();
  }
  reducer.max(bad);
  if (bad[0] != 0.0) throw InputError(where, 0, 0, "every value must be finite");
  reducer.min(low);
  reducer.max(high);
  for (size_t c = 0; c < low.size(); ++c) {
    if (low[c] == high[c]) {
      throw InputError(where, 0, c + 1,
                       fmt::format("is constant (every value is {}): it has no density to model; "
                                   "remove it",
                                   low[c]));
    }
  }
  if (rows <= x.cols()) {
    throw InputError(where, 0, 0,
                     fmt::format("need more rows than columns to fit (got {} rows, {} columns)",
                                 rows, x.cols()));
  }
}

std::vector<bool> held_out_rows(Index n, double fraction, std::uint64_t seed) {
  const auto held_out = static_cast<Index>(std::llround(fraction * static_cast<double>(n)));
  if (held_out < 1 || n - held_out < 2) {
    throw InputError("training data", 0, 0,
                     fmt::format("validation {} of {} rows leaves {} for validation and {} for "
                                 "fitting (need at least 1 and 2; validation 0 chooses the "
                                 "depth without held-out rows)",
                                 fraction, n, held_out, n - held_out));
  }
  // A seeded Fisher–Yates shuffle; its first held_out positions are held out.
  std::vector<Index> order(static_cast<size_t>(n));
  for (Index i = 0; i < n; ++i) order[static_cast<size_t>(i)] = i;
  Rng rng(derive_seed(seed, stream_id(RandomStream::ValidationSplit)));
  for (size_t i = order.size() - 1; i > 0; --i) {
    const auto j = std::min(i, static_cast<size_t>(rng.uniform() * static_cast<double>(i + 1)));
    std::swap(order[i], order[j]);
  }
  std::vector<bool> is_held_out(static_cast<size_t>(n), false);
  for (Index i = 0; i < held_out; ++i) {
    is_held_out[static_cast<size_t>(order[static_cast<size_t>(i)])] = true;
  }
  return is_held_out;
}

TrainValidationSplit split_validation(ConstMatrixRef x, double fraction, std::uint64_t seed,
                                      Index first_row, Index total_rows,
                                      const std::string& work_file) {
  const Index n = total_rows < 0 ? x.rows() : total_rows;
  const std::vector<bool> is_held_out = held_out_rows(n, fraction, seed);
  Index held_out = 0;
  for (Index i = 0; i < x.rows(); ++i) held_out += is_held_out[static_cast<size_t>(first_row + i)];
  TrainValidationSplit split{WorkBuffer(work_file, "train", x.rows() - held_out, x.cols()),
                             WorkBuffer(work_file, "held-out", held_out, x.cols()),
                             {}};
  split.train_index.reserve(static_cast<size_t>(x.rows() - held_out));
  for (Index i = 0; i < x.rows(); ++i) {
    if (!is_held_out[static_cast<size_t>(first_row + i)])
      split.train_index.push_back(first_row + i);
  }
  // Column by column (each part's column is written in order): sequential in both layouts, so
  // that mapped parts stream through memory instead of touching every column for every row.
  MatrixRef train = split.train.ref();
  MatrixRef validation = split.validation.ref();
  for (Index c = 0; c < x.cols(); ++c) {
    throw_if_cancelled();
    for (Index i = 0, t = 0, v = 0; i < x.rows(); ++i) {
      if (is_held_out[static_cast<size_t>(first_row + i)]) {
        validation(v++, c) = x(i, c);
      } else {
        train(t++, c) = x(i, c);
      }
    }
  }
  return split;
}

}  // namespace rbig::detail
