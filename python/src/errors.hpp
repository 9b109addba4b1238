#pragma once
/// rbig's exceptions as Python exceptions, with the library's message unchanged:
///   rbig.Error(Exception)             a plain rbig::Error
///   rbig.InputError(Error, ValueError)      bad data; attributes path, line, column, reason
///   rbig.OptionError(Error, ValueError)     bad option; attributes field, reason
///   rbig.DimensionError(Error, ValueError)  sizes that do not match
///   rbig.NumericalError(Error, ValueError)  a numerical failure on these data
///   rbig.ModelFileError(Error, ValueError)  model bytes that are not a valid model
/// A model file that cannot be opened or written raises OSError instead (see bind_model.cpp).

#include <pybind11/pybind11.h>

namespace rbig::python {

namespace py = pybind11;

/// Creates the classes in `m` and registers their translator.
void register_errors(py::module_& m);

/// Raises OSError with this message (the GIL must be held): throws py::error_already_set.
[[noreturn]] void raise_os_error(const char* message);

}  // namespace rbig::python
