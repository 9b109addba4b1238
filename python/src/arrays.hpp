#pragma once
/// numpy arrays in and out of rbig's column-major matrices.
///
/// In: an InputArray argument accepts any array-like; pybind11 converts it once to float64 in
/// Fortran (column-major) order, and passes a float64 Fortran-contiguous array through untouched,
/// so matrix_view() then sees the caller's own memory (no copy). Out: results are moved into the
/// array's owner (no copy either).

#include <rbig/types.hpp>

#include <pybind11/numpy.h>

#include <string>

namespace rbig::python {

namespace py = pybind11;

using InputArray = py::array_t<double, py::array::f_style | py::array::forcecast>;
using MatrixView = Eigen::Map<const Matrix>;

/// The N × D matrix an array holds; throws rbig::InputError naming `what` unless it is 2-D.
MatrixView matrix_view(const InputArray& array, const std::string& what);

/// A numpy array that owns the matrix (N × D, Fortran order) or vector (N). Needs the GIL.
py::array_t<double> to_numpy(Matrix&& matrix);
py::array_t<double> to_numpy(Vector&& vector);

}  // namespace rbig::python
