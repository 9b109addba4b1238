// Held-out log-likelihood of greedy vs validated vs damped fits (issue 4): the figures quoted in
// the README's "Validation and damping" paragraph. 20,000 training and 5,000 test rows each of
// two moons (noise 0.1) and of an 8-D Gaussian with two coordinates bent (x³, eˣ).
//
//   build/bench/bench_depth

#include <rbig/rbig.hpp>

#include "support/samplers.hpp"
#include "support/timing.hpp"

#include <fmt/format.h>

using namespace rbig;

namespace {

struct Variant {
  const char* name;
  MarginalKind marginal;
  double damping;
  double validation;
};

}  // namespace

int main() {
  Matrix moons = bench::two_moons_sample(25000, 0.1, 7);
  Matrix bent = bench::gaussian_sample(25000, bench::random_covariance(8, 3), 4);
  bent.col(0) = bent.col(0).array().cube();
  bent.col(3) = bent.col(3).array().exp();
  const Variant variants[] = {
      {"histogram", MarginalKind::Histogram, 1.0, 0.0},
      {"kde", MarginalKind::Kde, 1.0, 0.0},
      {"kde --validation 0.1", MarginalKind::Kde, 1.0, 0.1},
      {"kde --validation 0.1 --damping 0.5", MarginalKind::Kde, 0.5, 0.1},
      {"kde --validation 0.1 --damping 0.2", MarginalKind::Kde, 0.2, 0.1},
      {"histogram --validation 0.1 --damping 0.2", MarginalKind::Histogram, 0.2, 0.1}};
  fmt::print("| data | fit | layers | held-out mean log p | seconds |\n|---|---|---:|---:|---:|\n");
  for (const auto& [name, data] : {std::pair{"two moons", &moons}, std::pair{"bent 8-D", &bent}}) {
    const Matrix train = data->topRows(20000);
    const Matrix test_rows = data->bottomRows(5000);
    for (const Variant& variant : variants) {
      FitOptions options;
      options.marginal = variant.marginal;
      options.damping = variant.damping;
      options.validation = variant.validation;
      options.max_layers = 400;
      const bench::Clock::time_point start = bench::Clock::now();
      const Model model = Model::fit(train, options);
      const double seconds = bench::seconds_since(start);
      fmt::print("| {} | {} | {} | {:.4f} | {:.1f} |\n", name, variant.name, model.layers().size(),
                 model.log_prob(test_rows).mean(), seconds);
    }
  }
}
