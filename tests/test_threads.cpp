// The thread count never changes a result (STYLE.md): fits and evaluations at 1 and 2 threads
// must agree byte for byte, with enough rows that every parallel loop runs several blocks.

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include "support/files.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <cstring>
#include <filesystem>
#include <string>

using namespace rbig;

namespace {

// The saved model file: every parameter of the fit, as bytes.
std::string model_bytes(const Model& model, const std::string& name) {
  const test::ScratchDir dir("threads");  // private: other checkouts may run these tests at once
  const std::filesystem::path path = dir.path() / name;
  model.save(path);
  return test::read_bytes(path);
}

bool same_bytes(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<size_t>(a.size())) == 0;
}

Model fit_with_threads(const Matrix& x, FitOptions options, int threads) {
  options.threads = threads;
  return Model::fit(x, options);
}

}  // namespace

TEST_CASE(
    "threads: fit, log_prob, transform, inverse and sample are identical at 1 and 2 threads") {
  // 20,000 rows: several rotation items (8,192 rows) and many evaluation blocks (1,024 rows),
  // with a partial last block.
  const Matrix x = test::gaussian_sample(20'000, test::random_covariance(5, 3), 7).array().cube();
  for (bool fallback : {false, true}) {
    CAPTURE(fallback);
    FitOptions options;
    options.layers = 4;
    options.gaussian_fallback = fallback;
    options.seed = 11;
    const Model one = fit_with_threads(x, options, 1);
    const Model two = fit_with_threads(x, options, 2);
    CHECK(model_bytes(one, "rbig_threads_1.rbig") == model_bytes(two, "rbig_threads_2.rbig"));
    CHECK(one.report().total_correlation == two.report().total_correlation);

    Model evaluator = fit_with_threads(x, options, 1);
    const Vector logp_one = evaluator.log_prob(x);
    const Matrix z_one = evaluator.transform(x);
    const Matrix back_one = evaluator.inverse(z_one);
    const Matrix draws_one = evaluator.sample(5'000, 42);
    evaluator.set_threads(2);
    CHECK(same_bytes(logp_one, evaluator.log_prob(x)));
    CHECK(same_bytes(z_one, evaluator.transform(x)));
    CHECK(same_bytes(back_one, evaluator.inverse(z_one)));
    CHECK(same_bytes(draws_one, evaluator.sample(5'000, 42)));
  }
}

TEST_CASE("threads: random rotations give the same model at 1 and 2 threads") {
  const Matrix x = test::ring_sample(12'000, 5);
  FitOptions options;
  options.rotation = RotationKind::Random;
  options.layers = 6;
  options.seed = 3;
  CHECK(model_bytes(fit_with_threads(x, options, 1), "rbig_threads_r1.rbig") ==
        model_bytes(fit_with_threads(x, options, 2), "rbig_threads_r2.rbig"));
}

TEST_CASE("threads: a negative evaluation thread count is rejected") {
  Model model = Model::fit(test::ring_sample(500, 2), FitOptions{});
  CHECK_THROWS_AS(model.set_threads(-1), OptionError);
  model.set_threads(0);
  CHECK(model.threads() == 0);
}

TEST_CASE("threads: sliced rotations give the same model at 1 and 2 threads") {
  // 24,000 rows: the sliced score runs on a hashed subsample (above kSlicedRows, 20,000); its
  // directions on two threads.
  const Matrix x = test::gaussian_sample(24'000, test::random_covariance(4, 8), 9).array().cube();
  FitOptions options;
  options.rotation = RotationKind::Sliced;
  options.layers = 4;
  options.seed = 5;
  CHECK(model_bytes(fit_with_threads(x, options, 1), "rbig_threads_s1.rbig") ==
        model_bytes(fit_with_threads(x, options, 2), "rbig_threads_s2.rbig"));
}
