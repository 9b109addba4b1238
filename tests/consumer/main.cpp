// Embeds rbig through its installed CMake package: fit, score, sample, save and load.
#include <rbig/rbig.hpp>

#include <cmath>
#include <cstdio>
#include <random>

int main() {
  std::mt19937_64 engine(1);
  std::normal_distribution<double> normal;
  rbig::Matrix x(2000, 2);
  for (rbig::Index i = 0; i < x.rows(); ++i) {
    x(i, 0) = normal(engine);
    x(i, 1) = x(i, 0) * x(i, 0) + 0.5 * normal(engine);  // a curved, non-Gaussian dependence
  }
  const rbig::Model model = rbig::Model::fit(x, rbig::FitOptions{});
  const rbig::Vector log_p = model.log_prob(x);
  model.save("consumer_model.rbig");
  const rbig::Model loaded = rbig::Model::load("consumer_model.rbig");
  const bool same = loaded.log_prob(x) == log_p;
  const rbig::Matrix draws = model.sample(100, 7);
  std::printf("rbig %s: %zu layers, mean log p %.4f nats, total correlation %.4f nats\n",
              rbig::kVersion, model.layers().size(), log_p.mean(),
              model.report().total_correlation);
  return log_p.allFinite() && same && draws.allFinite() && model.report().total_correlation > 0.1
             ? 0
             : 1;
}
