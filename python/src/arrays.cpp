#include "arrays.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

#include <memory>
#include <utility>
#include <vector>

namespace rbig::python {

MatrixView matrix_view(const InputArray& array, const std::string& what) {
  if (array.ndim() != 2) {
    throw InputError(what, 0, 0,
                     fmt::format("expected a 2-D array (rows = samples, columns = dimensions), "
                                 "got {} dimension{}; reshape 1-D data with "
                                 "x.reshape(-1, 1) (one column) or x.reshape(1, -1) (one row)",
                                 array.ndim(), array.ndim() == 1 ? "" : "s"));
  }
  // f_style guarantees column-major, contiguous storage: the outer stride is the row count.
  return MatrixView(array.data(), static_cast<Index>(array.shape(0)),
                    static_cast<Index>(array.shape(1)));
}

// The capsule owns the moved result and frees it with the array; until the capsule exists, the
// unique_ptr does (so a failing capsule leaks nothing).
py::array_t<double> to_numpy(Matrix&& matrix) {
  auto held = std::make_unique<Matrix>(std::move(matrix));
  Matrix* owner = held.get();
  py::capsule free_owner(owner, [](void* p) { delete static_cast<Matrix*>(p); });
  held.release();
  const auto rows = static_cast<py::ssize_t>(owner->rows());
  const auto cols = static_cast<py::ssize_t>(owner->cols());
  const auto item = static_cast<py::ssize_t>(sizeof(double));
  return py::array_t<double>({rows, cols}, {item, item * rows}, owner->data(), free_owner);
}

py::array_t<double> to_numpy(Vector&& vector) {
  auto held = std::make_unique<Vector>(std::move(vector));
  Vector* owner = held.get();
  py::capsule free_owner(owner, [](void* p) { delete static_cast<Vector*>(p); });
  held.release();
  const std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(owner->size())};
  return py::array_t<double>(shape, owner->data(), free_owner);
}

}  // namespace rbig::python
