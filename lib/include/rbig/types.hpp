#pragma once
/// Basic numeric types shared by every rbig header: rows are samples, columns are dimensions.

#include <Eigen/Core>

namespace rbig {

using Index = Eigen::Index;
using Matrix = Eigen::MatrixXd;  // column-major: each dimension is contiguous
using Vector = Eigen::VectorXd;
using ConstMatrixRef = Eigen::Ref<const Matrix>;
using MatrixRef = Eigen::Ref<Matrix>;
using ConstVectorRef = Eigen::Ref<const Vector>;
using VectorRef = Eigen::Ref<Vector>;

}  // namespace rbig
