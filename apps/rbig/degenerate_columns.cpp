#include "degenerate_columns.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

namespace rbig::cli {

std::string LabelledColumns::label(std::size_t i) const {
  return fmt::format("column {} ({:?})", numbers[i], names[i]);
}

void refuse_constant_columns(const Matrix& values, const LabelledColumns& columns) {
  for (Index c = 0; c < values.cols(); ++c) {
    if (values.col(c).minCoeff() != values.col(c).maxCoeff()) continue;
    const auto i = static_cast<std::size_t>(c);
    throw InputError(columns.file, 0, 0,
                     fmt::format("{} is constant (every value is {}): its entropy is −∞ and it "
                                 "carries no information to measure; remove it",
                                 columns.label(i), values(0, c)));
  }
}

std::string describe(const LabelledColumns& columns, const std::vector<Index>& which) {
  std::string text;
  for (std::size_t k = 0; k < which.size(); ++k) {
    if (k > 0) text += k + 1 == which.size() ? " and " : ", ";
    text += columns.label(static_cast<std::size_t>(which[k]));
  }
  return text;
}

}  // namespace rbig::cli
