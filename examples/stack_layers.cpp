// Stacks Gaussianization layers by hand, then uses the cascade as a model: log-densities,
// samples, a round trip through a model file. Build: part of the rbig build (RBIG_BUILD_EXAMPLES);
// run: build/examples/stack_layers data/faithful.csv faithful_by_hand.rbig
//
// Each layer: a kde marginal per column fitted to the current data, then the PCA rotation of the
// result. This is what Model::fit does greedily (with more care about depth and noise); doing it
// by hand shows the pieces a custom cascade is made of.

#include <rbig/rbig.hpp>

#include <cmath>
#include <cstdio>
#include <exception>
#include <memory>
#include <vector>

namespace {

rbig::Layer fit_layer(rbig::MatrixRef work) {
  std::vector<std::unique_ptr<rbig::MarginalTransform>> marginals;
  for (rbig::Index d = 0; d < work.cols(); ++d) {
    marginals.push_back(rbig::make_marginal(rbig::MarginalKind::Kde, rbig::FitOptions{}));
    marginals.back()->fit(work.col(d));
    marginals.back()->forward(work.col(d), work.col(d));
  }
  rbig::Rotation rotation = rbig::Rotation::pca(work);
  rotation.apply(work);
  return rbig::Layer(std::move(marginals), std::move(rotation));
}

int run(const char* data_path, const char* model_path) {
  const rbig::Table table = rbig::read_csv(data_path);
  rbig::Matrix work = table.values;
  std::vector<rbig::Layer> layers;
  for (int k = 0; k < 8; ++k) layers.push_back(fit_layer(work));
  const rbig::Model model = rbig::Model::from_layers(std::move(layers));
  model.save(model_path);

  const rbig::Model loaded = rbig::Model::load(model_path);
  const rbig::Vector log_p = loaded.log_prob(table.values);
  const rbig::Matrix draws = loaded.sample(1000, 42);
  const rbig::Matrix back = loaded.inverse(loaded.transform(table.values));
  const double round_trip = (back - table.values).cwiseAbs().maxCoeff();
  std::printf(
      "%zu layers, %ld rows: mean log p = %.4f nats, draws finite: %s, "
      "round-trip error %.2e\n",
      loaded.layers().size(), static_cast<long>(table.values.rows()), log_p.mean(),
      draws.allFinite() ? "yes" : "no", round_trip);
  const bool same = (loaded.log_prob(table.values) - model.log_prob(table.values)).norm() == 0.0;
  return same && draws.allFinite() && round_trip < 1e-6 * table.values.cwiseAbs().maxCoeff() ? 0
                                                                                             : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: stack_layers DATA.csv MODEL.rbig\n");
    return 2;
  }
  try {
    return run(argv[1], argv[2]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "stack_layers: %s\n", e.what());
    return 1;
  }
}
