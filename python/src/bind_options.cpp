// FitOptions as a mutable Python object. Kinds are strings, parsed by the library (so the names
// and the messages are the CLI's); numbers are checked by FitOptions::validate() when a fit
// starts, as in C++.

#include "bindings.hpp"

#include <rbig/options.hpp>
#include <rbig/registry.hpp>

#include <pybind11/stl.h>

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

namespace rbig::python {
namespace {

/// The bandwidth rules' names, in enum order. The library has no list of them, so this walks the
/// enumerators until to_string does not know one (the enum's values are dense from 0).
std::vector<std::string> bandwidth_rule_names() {
  std::vector<std::string> names;
  for (int value = 0;; ++value) {
    const std::string_view name = to_string(static_cast<BandwidthRule>(value));
    if (name == "unknown") return names;
    names.emplace_back(name);
  }
}

template <typename Kind>
std::optional<std::string> optional_name(const std::optional<Kind>& kind) {
  if (!kind) return std::nullopt;
  return std::string(to_string(*kind));
}

std::string python_bool(bool value) { return value ? "True" : "False"; }

std::string repr(const FitOptions& o) {
  const auto text = [](const auto& value) {
    return value ? fmt::format("{}", *value) : std::string("None");
  };
  return fmt::format(
      "FitOptions(marginal={}, rotation={}, max_layers={}, damping={}, validation={}, "
      "validation_patience={}, layers={}, tol={}, patience={}, gaussian_fallback={}, radial={}, "
      "tree={}, coupling={}, mixture={}, bins={}, bandwidth={}, bandwidth_rule={}, seed={}, "
      "threads={}, "
      "work_file={})",
      text(optional_name(o.marginal)), to_string(o.rotation), o.max_layers, text(o.damping),
      o.validation, o.validation_patience, text(o.layers), o.tol, o.patience,
      python_bool(o.gaussian_fallback), python_bool(o.radial), python_bool(o.tree),
      o.coupling ? python_bool(*o.coupling) : "None", o.mixture ? python_bool(*o.mixture) : "None",
      text(o.bins), text(o.bandwidth), text(optional_name(o.bandwidth_rule)), o.seed, o.threads,
      o.work_file.empty() ? std::string("None") : fmt::format("'{}'", o.work_file));
}

}  // namespace

void bind_options(py::module_& m) {
  py::class_<FitOptions>(m, "FitOptions",
                         "rbig::FitOptions: every fit option, its default and its rule "
                         "(options.hpp). Kinds are names: marginal 'histogram', 'kde', ...; "
                         "None means the library's empty choice.")
      .def(py::init<>())
      .def_property(
          "marginal", [](const FitOptions& o) { return optional_name(o.marginal); },
          [](FitOptions& o, const std::optional<std::string>& name) {
            o.marginal = name ? std::optional(parse_marginal_kind(*name)) : std::nullopt;
          })
      .def_property(
          "rotation", [](const FitOptions& o) { return std::string(to_string(o.rotation)); },
          [](FitOptions& o, const std::string& name) { o.rotation = parse_rotation_kind(name); })
      .def_readwrite("max_layers", &FitOptions::max_layers)
      .def_readwrite("damping", &FitOptions::damping)
      .def_readwrite("validation", &FitOptions::validation)
      .def_readwrite("validation_patience", &FitOptions::validation_patience)
      .def_readwrite("layers", &FitOptions::layers)
      .def_readwrite("tol", &FitOptions::tol)
      .def_readwrite("patience", &FitOptions::patience)
      .def_readwrite("gaussian_fallback", &FitOptions::gaussian_fallback)
      .def_readwrite("radial", &FitOptions::radial)
      .def_readwrite("tree", &FitOptions::tree)
      .def_readwrite("coupling", &FitOptions::coupling)
      .def_readwrite("mixture", &FitOptions::mixture)
      .def_readwrite("bins", &FitOptions::bins)
      .def_readwrite("bandwidth", &FitOptions::bandwidth)
      .def_property(
          "bandwidth_rule", [](const FitOptions& o) { return optional_name(o.bandwidth_rule); },
          [](FitOptions& o, const std::optional<std::string>& name) {
            o.bandwidth_rule = name ? std::optional(parse_bandwidth_rule(*name)) : std::nullopt;
          })
      .def_readwrite("seed", &FitOptions::seed)
      .def_readwrite("threads", &FitOptions::threads)
      // None (the library's empty path): the fit's matrices on the heap.
      .def_property(
          "work_file",
          [](const FitOptions& o) {
            return o.work_file.empty() ? std::nullopt : std::optional(o.work_file);
          },
          [](FitOptions& o, const std::optional<std::string>& path) {
            o.work_file = path.value_or(std::string());
          })
      .def("validate", &FitOptions::validate,
           "Raises OptionError naming the field, its value and the rule it breaks.")
      .def("bandwidth_text", &FitOptions::bandwidth_text)
      .def("__repr__", &repr);

  m.def("marginal_kind_names", [] {
    std::vector<std::string> names;
    for (std::string_view name : marginal_kind_names()) names.emplace_back(name);
    return names;
  });
  m.def("rotation_kind_names", [] {
    std::vector<std::string> names;
    for (std::string_view name : rotation_kind_names()) names.emplace_back(name);
    return names;
  });
  m.def("bandwidth_rule_names", &bandwidth_rule_names);
}

}  // namespace rbig::python
