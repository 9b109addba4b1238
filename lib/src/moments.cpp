#include "moments.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

namespace rbig::detail {

ColumnMoments fit_moments(ConstVectorRef x, const char* marginal) {
  const Index n = x.size();
  if (n < 2) throw NumericalError(fmt::format("{}: need at least 2 samples (got {})", marginal, n));
  const ColumnMoments moments = column_moments(x);
  if (!(moments.max > moments.min)) {
    throw NumericalError(fmt::format("{}: all {} values equal {} (constant dimension)", marginal,
                                     n, moments.min));
  }
  return moments;
}

}  // namespace rbig::detail
