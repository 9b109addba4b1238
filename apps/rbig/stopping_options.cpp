// The information rule's stopping options (stopping_options.hpp).

#include "stopping_options.hpp"

#include "common.hpp"

namespace rbig::cli {

void add_stopping_options(CLI::App& sub, FitOptions& options) {
  sub.add_option("--max-layers", options.max_layers, "Upper bound on the number of layers")
      ->check(
          fit_option_validator<int>("max_layers", [](FitOptions& o, int v) { o.max_layers = v; }))
      ->capture_default_str();
  sub.add_option("--tol", options.tol,
                 "Nats: a layer removing less information than this (plus the estimator's noise "
                 "level) counts as small")
      ->check(fit_option_validator<double>("tol", [](FitOptions& o, double v) { o.tol = v; }))
      ->capture_default_str();
  sub.add_option("--patience", options.patience, "Stop after this many small layers in a row")
      ->check(fit_option_validator<int>("patience", [](FitOptions& o, int v) { o.patience = v; }))
      ->capture_default_str();
}

}  // namespace rbig::cli
