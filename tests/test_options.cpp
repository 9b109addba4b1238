#include <rbig/error.hpp>
#include <rbig/options.hpp>

#include <doctest/doctest.h>

using namespace rbig;

TEST_CASE("options: enum names round-trip and unknown names list the valid ones") {
  CHECK(parse_rotation_kind(to_string(RotationKind::Pca)) == RotationKind::Pca);
  CHECK(parse_rotation_kind("random") == RotationKind::Random);
  CHECK(parse_marginal_kind("histogram") == MarginalKind::Histogram);
  CHECK_THROWS_WITH_AS(
      parse_rotation_kind("ica2"),
      doctest::Contains("rotation: unknown name \"ica2\" (valid: pca, random, ica, pursuit, sliced)"),
      OptionError);
  CHECK_THROWS_WITH_AS(parse_marginal_kind(""), doctest::Contains("valid: histogram"), OptionError);
}

TEST_CASE("options: the defaults are valid and each rule names field and value") {
  CHECK_NOTHROW(FitOptions{}.validate());
  FitOptions options;
  options.bins = 1;
  CHECK_THROWS_WITH_AS(options.validate(), "bins: must be between 2 and 100000 (got 1)",
                       OptionError);
  options = FitOptions{};
  options.max_layers = 0;
  CHECK_THROWS_WITH_AS(options.validate(), "max_layers: must be at least 1 (got 0)", OptionError);
  options = FitOptions{};
  options.tol = -1;
  CHECK_THROWS_WITH_AS(options.validate(), doctest::Contains("tol: must be a finite number >= 0"),
                       OptionError);
  options = FitOptions{};
  options.patience = 0;
  CHECK_THROWS_WITH_AS(options.validate(), "patience: must be at least 1 (got 0)", OptionError);
}
