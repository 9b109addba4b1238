#pragma once
/// Degenerate inputs of the information measures, found before any fit and named as the user
/// wrote them (file, column number from 1 and header name): constant columns (refused, as `fit`
/// refuses them) and exact linear dependence between columns (collinear or duplicated, found by
/// rbig::linear_dependence), which makes entropy −∞ and total correlation and mutual information
/// +∞.

#include <rbig/types.hpp>

#include <string>
#include <vector>

namespace rbig::cli {

/// The columns of one operand of a measure, as the user named them.
struct LabelledColumns {
  std::string file;                        // the file, "<stdin>" for -
  std::vector<Index> numbers;              // 1-based column numbers in that file
  std::vector<std::string> names;          // header names ("x3" without a header), same length
  std::string label(std::size_t i) const;  // column 3 ("petal_length")
};

/// Throws InputError naming file and column for a column whose values are all equal.
void refuse_constant_columns(const Matrix& values, const LabelledColumns& columns);

/// "column 2 ("b") and column 5 ("e")": the columns `which` of `columns`.
std::string describe(const LabelledColumns& columns, const std::vector<Index>& which);

}  // namespace rbig::cli
