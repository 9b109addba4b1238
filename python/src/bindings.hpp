#pragma once
/// The parts of the rbig._rbig module, one file each.

#include <pybind11/pybind11.h>

namespace rbig::python {

namespace py = pybind11;

void bind_options(py::module_& m);   // FitOptions, kind names (bind_options.cpp)
void bind_model(py::module_& m);     // Model, dequantize (bind_model.cpp)
void bind_measures(py::module_& m);  // entropy, total_correlation, ... (bind_measures.cpp)

}  // namespace rbig::python
