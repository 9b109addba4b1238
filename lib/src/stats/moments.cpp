#include "stats/moments.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

namespace rbig::detail {
namespace {

void check_sample_size(Index n, std::string_view marginal) {
  if (n < 2) throw NumericalError(fmt::format("{}: need at least 2 samples (got {})", marginal, n));
}

}  // namespace

ColumnMoments fit_moments(ConstVectorRef x, std::string_view marginal) {
  check_sample_size(x.size(), marginal);  // column_moments reads x[0]
  const ColumnMoments moments = column_moments(x);
  check_fit_moments(x.size(), moments, marginal);
  return moments;
}

void check_fit_moments(Index n, const ColumnMoments& moments, std::string_view marginal) {
  check_sample_size(n, marginal);
  if (!(moments.max > moments.min)) {
    throw NumericalError(
        fmt::format("{}: all {} values equal {} (constant dimension)", marginal, n, moments.min));
  }
}

}  // namespace rbig::detail
