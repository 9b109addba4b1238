// The information measures of info.hpp, each with the fits behind it (the library's *_estimate
// functions) and an optional half-sampling interval computed exactly as
// `rbig entropy|tc|mi|kld --bootstrap B` does (apps/rbig/cmd_measures.cpp): seeded by
// options.seed, mutual information halving the rows of [X Y] (or [X Y Z]) jointly, KL divergence
// halving P and Q independently. Each returns a dict in nats: value, other_terms, fits (one dict
// per fit, the keys of the CLI's --json) and ci_low, ci_high (None without a bootstrap).

#include "arrays.hpp"
#include "bindings.hpp"
#include "interrupt.hpp"

#include <rbig/error.hpp>
#include <rbig/info.hpp>

#include <pybind11/stl.h>

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <string>

namespace rbig::python {
namespace {

using Estimate = std::function<InfoEstimate(ConstMatrixRef)>;
using Estimate2 = std::function<InfoEstimate(ConstMatrixRef, ConstMatrixRef)>;

py::dict fit_dict(const EstimateFit& fit) {
  const FitReport& report = fit.report;
  py::list info_reduction;
  for (const LayerReport& layer : report.layers) info_reduction.append(layer.info_reduction);
  py::dict out;
  out["role"] = fit.role;
  out["weight"] = fit.weight;
  out["n"] = report.n_samples;
  out["dims"] = fit.dims;
  out["layers"] = report.layers.size();
  out["radial_layers"] = fit.radial_layers;
  out["stop"] = std::string(to_string(report.stop));
  out["stop_message"] = report.message;
  out["total_correlation"] = report.total_correlation;
  out["info_reduction"] = info_reduction;
  return out;
}

py::dict result(const InfoEstimate& estimate, const std::optional<Interval>& interval) {
  py::list fits;
  for (const EstimateFit& fit : estimate.fits) fits.append(fit_dict(fit));
  py::dict out;
  out["value"] = estimate.value;
  out["other_terms"] = estimate.other;
  out["fits"] = fits;
  out["ci_low"] = interval ? py::cast(interval->low) : py::none();
  out["ci_high"] = interval ? py::cast(interval->high) : py::none();
  return out;
}

/// The estimate on x and, for resamples > 0, its interval; Ctrl-C is polled between resamples.
py::dict measure(const Estimate& estimate, ConstMatrixRef x, int resamples, std::uint64_t seed,
                 double level) {
  SignalPoll signals;
  InfoEstimate full;
  std::optional<Interval> interval;
  try {
    py::gil_scoped_release release;
    full = estimate(x);
    if (resamples > 0) {
      const std::function<double(ConstMatrixRef)> polled = [&](ConstMatrixRef rows) {
        if (!signals.poll()) throw Interrupted{};
        return estimate(rows).value;
      };
      interval = subsample_interval(polled, x, resamples, seed, level);
    }
  } catch (const Interrupted&) {
  }
  signals.raise_if_interrupted();
  return result(full, interval);
}

void check_same_rows(const MatrixView& a, const char* a_name, const MatrixView& b,
                     const char* b_name) {
  if (a.rows() == b.rows()) return;
  throw DimensionError(
      fmt::format("{} has {} rows but {} has {} rows (need one row per sample "
                  "in both)",
                  a_name, a.rows(), b_name, b.rows()));
}

py::dict mutual_information_of(const InputArray& x_array, const InputArray& y_array,
                               const std::optional<InputArray>& z_array, const FitOptions& options,
                               int resamples, double level) {
  const MatrixView x = matrix_view(x_array, "X");
  const MatrixView y = matrix_view(y_array, "Y");
  check_same_rows(x, "X", y, "Y");
  const Index xc = x.cols(), yc = y.cols();
  if (!z_array) {
    Matrix joint(x.rows(), xc + yc);
    joint << x, y;
    const Estimate estimate = [&options, xc, yc](ConstMatrixRef rows) {
      return mutual_information_estimate(rows.leftCols(xc), rows.rightCols(yc), options);
    };
    return measure(estimate, joint, resamples, options.seed, level);
  }
  const MatrixView z = matrix_view(*z_array, "Z");
  check_same_rows(x, "X", z, "Z");
  const Index zc = z.cols();
  // Rows are resampled jointly: the three blocks side by side, split again inside.
  Matrix joint(x.rows(), xc + yc + zc);
  joint << x, y, z;
  const Estimate estimate = [&options, xc, yc, zc](ConstMatrixRef rows) {
    return conditional_mutual_information_estimate(rows.leftCols(xc), rows.middleCols(xc, yc),
                                                   rows.rightCols(zc), options);
  };
  return measure(estimate, joint, resamples, options.seed, level);
}

py::dict kl_divergence_of(const InputArray& p_array, const InputArray& q_array,
                          const FitOptions& options, int resamples, double level) {
  const MatrixView p = matrix_view(p_array, "P");
  const MatrixView q = matrix_view(q_array, "Q");
  if (p.cols() != q.cols()) {
    throw DimensionError(
        fmt::format("P has {} columns but Q has {} columns (both samples must "
                    "have the same dimensions)",
                    p.cols(), q.cols()));
  }
  const Estimate2 estimate = [&options](ConstMatrixRef a, ConstMatrixRef b) {
    return kl_divergence_estimate(a, b, options);
  };
  SignalPoll signals;
  InfoEstimate full;
  std::optional<Interval> interval;
  try {
    py::gil_scoped_release release;
    full = estimate(p, q);
    if (resamples > 0) {
      const std::function<double(ConstMatrixRef, ConstMatrixRef)> polled = [&](ConstMatrixRef a,
                                                                               ConstMatrixRef b) {
        if (!signals.poll()) throw Interrupted{};
        return estimate(a, b).value;
      };
      interval = subsample_interval(polled, p, q, resamples, options.seed, level);
    }
  } catch (const Interrupted&) {
  }
  signals.raise_if_interrupted();
  return result(full, interval);
}

}  // namespace

void bind_measures(py::module_& m) {
  m.def(
      "entropy",
      [](const InputArray& x, const FitOptions& options, int resamples, double level) {
        const Estimate estimate = [&options](ConstMatrixRef rows) {
          return entropy_estimate(rows, options);
        };
        return measure(estimate, matrix_view(x, "X"), resamples, options.seed, level);
      },
      py::arg("x"), py::arg("options"), py::arg("resamples") = 0, py::arg("level") = 0.95);
  m.def(
      "total_correlation",
      [](const InputArray& x, const FitOptions& options, int resamples, double level) {
        const Estimate estimate = [&options](ConstMatrixRef rows) {
          return total_correlation_estimate(rows, options);
        };
        return measure(estimate, matrix_view(x, "X"), resamples, options.seed, level);
      },
      py::arg("x"), py::arg("options"), py::arg("resamples") = 0, py::arg("level") = 0.95);
  m.def("mutual_information", &mutual_information_of, py::arg("x"), py::arg("y"),
        py::arg("z") = std::nullopt, py::arg("options"), py::arg("resamples") = 0,
        py::arg("level") = 0.95);
  m.def("kl_divergence", &kl_divergence_of, py::arg("p"), py::arg("q"), py::arg("options"),
        py::arg("resamples") = 0, py::arg("level") = 0.95);
}

}  // namespace rbig::python
