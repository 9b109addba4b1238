// rbig::Model for Python. Every computation runs with the GIL released (other Python threads go
// on; the library's own threads do the work); a fit polls for Ctrl-C after each layer.

#include "arrays.hpp"
#include "bindings.hpp"
#include "errors.hpp"
#include "interrupt.hpp"

#include <rbig/dequantize.hpp>
#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <fmt/format.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>

namespace rbig::python {
namespace {

Model fit(const InputArray& x, const FitOptions& options,
          const std::optional<InputArray>& validation) {
  const MatrixView rows = matrix_view(x, "training data");
  std::optional<MatrixView> held_out;
  if (validation) held_out.emplace(matrix_view(*validation, "validation data"));
  SignalPoll signals;
  std::optional<Model> model;
  {
    py::gil_scoped_release release;
    if (held_out) {
      model.emplace(Model::fit(rows, *held_out, options, signals.observer()));
    } else {
      model.emplace(Model::fit(rows, options, signals.observer()));
    }
  }
  // A fit stopped by Ctrl-C is dropped here: the caller gets KeyboardInterrupt, not a model.
  signals.raise_if_interrupted();
  return std::move(*model);
}

/// Rows of x must have the model's columns: the library's DimensionError, worded for arrays.
MatrixView model_input(const Model& model, const InputArray& x, const char* what) {
  const MatrixView view = matrix_view(x, what);
  if (view.cols() != model.dims()) {
    throw DimensionError(fmt::format("{} has {} columns, the model has {} dimensions", what,
                                     view.cols(), model.dims()));
  }
  return view;
}

// What each layer is, as the README's layer kinds name it.
const char* layer_kind(const Layer& layer) {
  if (layer.is_mixture()) return "mixture";
  if (layer.is_radial()) return "radial";
  if (layer.is_tree()) return "tree";
  if (layer.is_coupling()) return "coupling";
  return "marginal";
}

py::dict report_dict(const Model& model) {
  const FitReport& report = model.report();
  py::list info_reduction, seconds, validation_log_prob;
  for (const LayerReport& layer : report.layers) {
    info_reduction.append(layer.info_reduction);
    seconds.append(layer.seconds);
    validation_log_prob.append(py::cast(layer.validation_log_prob));  // None where not measured
  }
  py::dict out;
  out["stop"] = std::string(to_string(report.stop));
  out["message"] = report.message;
  out["info_reduction"] = info_reduction;
  out["seconds"] = seconds;
  out["validation_log_prob"] = validation_log_prob;
  out["total_correlation"] = report.total_correlation;
  out["n_samples"] = report.n_samples;
  py::list kinds;
  for (const Layer& layer : model.layers()) kinds.append(layer_kind(layer));
  out["layer_kinds"] = kinds;
  return out;
}

void save(const Model& model, const std::filesystem::path& path) {
  try {
    py::gil_scoped_release release;
    model.save(path);
  } catch (const Error& e) {
    // A plain rbig::Error from save is a file that could not be written (atomic_file.cpp).
    if (typeid(e) == typeid(Error)) raise_os_error(e.what());
    throw;
  }
}

}  // namespace

void bind_model(py::module_& m) {
  py::class_<Model>(m, "Model", "rbig::Model: a fitted Gaussianization cascade (model.hpp).")
      .def_static("fit", &fit, py::arg("x"), py::arg("options"),
                  py::arg("validation") = std::nullopt,
                  "Fits to the rows of x (N x D); with validation rows, they choose the depth.")
      .def_static(
          "from_bytes",
          [](const py::bytes& bytes, const std::string& name) {
            const std::string_view view(bytes);
            py::gil_scoped_release release;
            return Model::from_bytes(view, name);
          },
          py::arg("data"), py::arg("name") = "model bytes",
          "The model these bytes (a model file's content) describe; name stands for them in "
          "errors.")
      .def(
          "to_bytes",
          [](const Model& model) {
            std::string bytes;
            {
              py::gil_scoped_release release;
              bytes = model.to_bytes();
            }
            return py::bytes(bytes);
          },
          "The bytes of the model file (same format as save).")
      .def("save", &save, py::arg("path"), "Writes the model file atomically; OSError if not.")
      .def_property_readonly("dims", &Model::dims)
      .def_property("threads", &Model::threads, &Model::set_threads,
                    "Worker threads of evaluation and sampling, 0 = all cores.")
      .def_property_readonly("options", [](const Model& model) { return model.options(); })
      .def_property_readonly("report", &report_dict)
      .def(
          "log_prob",
          [](const Model& model, const InputArray& x) {
            const MatrixView rows = model_input(model, x, "X");
            Vector out;
            {
              py::gil_scoped_release release;
              out = model.log_prob(rows);
            }
            return to_numpy(std::move(out));
          },
          py::arg("x"), "Log-density of each row, nats.")
      .def(
          "mean_log_prob",
          [](const Model& model, const InputArray& x) {
            const MatrixView rows = model_input(model, x, "X");
            py::gil_scoped_release release;
            // Eigen's sum, as `rbig score --json` reports it (numpy sums in another order).
            return model.log_prob(rows).mean();
          },
          py::arg("x"), "Mean log-density of the rows, nats.")
      .def(
          "transform",
          [](const Model& model, const InputArray& x) {
            const MatrixView rows = model_input(model, x, "X");
            Matrix out;
            {
              py::gil_scoped_release release;
              out = model.transform(rows);
            }
            return to_numpy(std::move(out));
          },
          py::arg("x"), "Latent coordinates G(x).")
      .def(
          "inverse",
          [](const Model& model, const InputArray& z) {
            const MatrixView rows = model_input(model, z, "Z");
            Matrix out;
            {
              py::gil_scoped_release release;
              out = model.inverse(rows);
            }
            return to_numpy(std::move(out));
          },
          py::arg("z"), "G^-1(z).")
      .def(
          "sample",
          [](const Model& model, Index n, std::uint64_t seed) {
            if (n < 0) {
              throw OptionError("n_samples", fmt::format("must be at least 0 (got {})", n));
            }
            Matrix out;
            {
              py::gil_scoped_release release;
              out = model.sample(n, seed);
            }
            return to_numpy(std::move(out));
          },
          py::arg("n"), py::arg("seed"), "n draws from the model, seeded.");

  m.def(
      "dequantize",
      [](const InputArray& x, std::uint64_t seed) {
        const MatrixView rows = matrix_view(x, "X");
        Matrix out;
        {
          py::gil_scoped_release release;
          out = dequantize(rows, seed);
        }
        return to_numpy(std::move(out));
      },
      py::arg("x"), py::arg("seed"),
      "x plus uniform noise of each column's grid step (dequantize.hpp), seeded.");

  // For the tests: the address of the data a matrix argument is read from, to show that a
  // float64 Fortran-ordered array reaches the library without a copy.
  m.def("_data_address", [](const InputArray& x) {
    return reinterpret_cast<std::uintptr_t>(matrix_view(x, "X").data());
  });
}

}  // namespace rbig::python
