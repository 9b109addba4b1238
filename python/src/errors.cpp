#include "errors.hpp"

#include <rbig/error.hpp>

#include <exception>
#include <string>

namespace rbig::python {
namespace {

// The classes live as long as the interpreter (the module holds them too): never released, so
// no reference count is touched during interpreter shutdown.
PyObject* g_error = nullptr;
PyObject* g_input_error = nullptr;
PyObject* g_option_error = nullptr;
PyObject* g_dimension_error = nullptr;
PyObject* g_numerical_error = nullptr;
PyObject* g_model_file_error = nullptr;

PyObject* make_class(py::module_& m, const char* name, const char* doc, py::handle bases) {
  const std::string qualified = std::string("rbig.") + name;
  PyObject* type = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases.ptr(), nullptr);
  if (type == nullptr) throw py::error_already_set();
  m.attr(name) = py::handle(type);
  return type;
}

PyObject* make_value_error(py::module_& m, const char* name, const char* doc) {
  const py::tuple bases = py::make_tuple(py::handle(g_error), py::handle(PyExc_ValueError));
  return make_class(m, name, doc, bases);
}

/// An instance of `type` carrying what() as its message.
py::object instance(PyObject* type, const std::exception& e) { return py::handle(type)(e.what()); }

/// Makes `exception` the pending Python error (after its attributes are set: no Python call may
/// run while an error is pending).
void raise(PyObject* type, const py::object& exception) { PyErr_SetObject(type, exception.ptr()); }

void translate(std::exception_ptr thrown) {
  try {
    if (thrown) std::rethrow_exception(thrown);
  } catch (const InputError& e) {
    py::object exception = instance(g_input_error, e);
    exception.attr("path") = e.path();
    exception.attr("line") = e.line();
    exception.attr("column") = e.column();
    exception.attr("reason") = e.reason();
    raise(g_input_error, exception);
  } catch (const OptionError& e) {
    py::object exception = instance(g_option_error, e);
    exception.attr("field") = e.field();
    exception.attr("reason") = e.reason();
    raise(g_option_error, exception);
  } catch (const DimensionError& e) {
    raise(g_dimension_error, instance(g_dimension_error, e));
  } catch (const NumericalError& e) {
    raise(g_numerical_error, instance(g_numerical_error, e));
  } catch (const ModelFileError& e) {
    raise(g_model_file_error, instance(g_model_file_error, e));
  } catch (const Error& e) {
    raise(g_error, instance(g_error, e));
  }
  // Anything else propagates to pybind11's own translators (bad_alloc → MemoryError, ...).
}

}  // namespace

void register_errors(py::module_& m) {
  g_error = make_class(m, "Error", "Base of the errors rbig reports.", PyExc_Exception);
  g_input_error = make_value_error(
      m, "InputError",
      "Bad data: not finite, too few rows, a constant column... Attributes: path (what the "
      "data is called), line and column (1-based, 0 when not applicable), reason.");
  g_option_error = make_value_error(
      m, "OptionError", "An option outside its accepted range. Attributes: field, reason.");
  g_dimension_error =
      make_value_error(m, "DimensionError", "Data whose dimensions do not match the model.");
  g_numerical_error = make_value_error(m, "NumericalError", "A numerical failure on these data.");
  g_model_file_error = make_value_error(
      m, "ModelFileError",
      "Model bytes that are not a valid rbig model (wrong magic, another version, truncated, "
      "checksum mismatch). A file that cannot be opened raises OSError.");
  py::register_exception_translator(translate);
}

void raise_os_error(const char* message) {
  PyErr_SetString(PyExc_OSError, message);
  throw py::error_already_set();
}

}  // namespace rbig::python
