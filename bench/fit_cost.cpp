// What the default fit costs against one fit of the configuration it chose, at the same depth
// (issue 16's target: at most 3×). One thread, CPU seconds of this process.
//
//   bench_fit_cost FILE.csv [FILE.csv …]
//
// For each file: the default fit (Model::fit with default options: the model selection, the
// mixture first layer's offer, the refit on all rows), then the chosen configuration fitted once
// on all rows at the depth the default fit kept: its mixture (EM at the chosen number of
// components, to the fit's own tolerance, from a k-means++ seeding) when it kept one, and the
// layers after it at that fixed count (FitOptions::layers: no validation). Then the chosen
// configuration validated: Model::fit with the options the default fit resolved (marginal,
// damping, bandwidth, coupling, mixture fixed; depth, and a mixture's number of components, still
// chosen on the held-out rows, then the refit on all rows), i.e. what a user who knew the
// configuration but not its depth or K would pay. Prints a Markdown row.

#include <rbig/io.hpp>
#include <rbig/mixture.hpp>
#include <rbig/model.hpp>

#include <fmt/format.h>

#include <ctime>
#include <exception>
#include <string>

namespace {

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

/// The options of the chosen configuration at a fixed depth, nothing left to choose.
rbig::FitOptions fixed(const rbig::FitOptions& chosen, int layers) {
  rbig::FitOptions options = chosen;
  options.layers = layers;
  options.mixture = false;
  options.threads = 1;
  return options;
}

void measure(const std::string& path) {
  const rbig::Matrix x = rbig::read_csv(path).values;
  rbig::FitOptions defaults;
  defaults.threads = 1;
  double start = cpu_seconds();
  const rbig::Model model = rbig::Model::fit(x, defaults);
  const double default_seconds = cpu_seconds() - start;

  const auto& layers = model.layers();
  const bool mixture = !layers.empty() && layers.front().is_mixture();
  start = cpu_seconds();
  rbig::Matrix z = x;
  int rest = static_cast<int>(layers.size());
  int components = 0;
  if (mixture) {
    // The model stores the fitted components and the broad floor (mixture_step.cpp).
    components = static_cast<int>(layers.front().mixture().components()) - 1;
    rbig::MixtureSettings settings;
    settings.tolerance = 1e-4;  // the chosen K's own tolerance in the default fit
    settings.threads = 1;
    rbig::Vector log_det = rbig::Vector::Zero(x.rows());
    rbig::MixtureMap::fit(x, components, 0, settings).forward(z, log_det);
    --rest;
  }
  if (rest > 0) rbig::Model::fit(z, fixed(model.options(), rest));
  const double fixed_seconds = cpu_seconds() - start;

  rbig::FitOptions validated = model.options();
  validated.layers.reset();
  validated.threads = 1;
  start = cpu_seconds();
  rbig::Model::fit(x, validated);
  const double validated_seconds = cpu_seconds() - start;
  fmt::print("| {} | {}×{} | {} | {} | {:.2f} | {:.2f} | {:.2f}× | {:.2f} | {:.2f}× |\n", path,
             x.rows(), x.cols(), mixture ? fmt::format("{} + floor", components) : "none", rest,
             default_seconds, fixed_seconds, default_seconds / fixed_seconds, validated_seconds,
             default_seconds / validated_seconds);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: bench_fit_cost FILE.csv [FILE.csv …]\n");
    return 2;
  }
  fmt::print(
      "| file | rows×cols | mixture K | layers after it | default fit CPU s | fixed "
      "configuration CPU s | ratio | validated configuration CPU s | ratio |\n"
      "|---|---|---|---:|---:|---:|---:|---:|---:|\n");
  try {
    for (int i = 1; i < argc; ++i) measure(argv[i]);
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_fit_cost: {}\n", e.what());
    return 1;
  }
  return 0;
}
