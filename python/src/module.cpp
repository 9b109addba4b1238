// rbig._rbig: the compiled half of the `rbig` Python package. The Python half (rbig/*.py) gives
// it the scikit-learn interface; this module only converts arrays, releases the GIL and maps
// errors, over the public C++ API (<rbig/...>).

#include "bindings.hpp"
#include "errors.hpp"

#include <rbig/version.hpp>

PYBIND11_MODULE(_rbig, m) {
  m.doc() = "Rotation-Based Iterative Gaussianization: the C++ engine behind the rbig package.";
  m.attr("__version__") = rbig::kVersion;
  rbig::python::register_errors(m);
  rbig::python::bind_options(m);
  rbig::python::bind_model(m);
  rbig::python::bind_measures(m);
}
