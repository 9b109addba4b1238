// The mixture-first candidate spread over participants and over a work file (fit/mixture_rows.hpp,
// issue 18): the gathered subsample is the same rows however they are split, and a fit with
// FitOptions::mixture gives the same model bytes on two shards and with a work file as in memory.

#include <rbig/mixture.hpp>
#include <rbig/model.hpp>

#include "fit/distributed_fit.hpp"
#include "fit/mixture_rows.hpp"
#include "support/files.hpp"
#include "support/mixture_samples.hpp"
#include "support/two_shards.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace rbig;
using detail::fit_distributed;
using detail::gather_rows_by_stride;
using detail::Reducer;
using rbig::test::on_two_shards;

namespace {

/// Three well-separated correlated 2-D clusters (a mixture layer is kept on them).
Matrix clusters(Index n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  const double centres[3][2] = {{-4.0, 0.0}, {3.0, 2.0}, {0.0, -3.5}};
  Matrix x(n, 2);
  for (Index i = 0; i < n; ++i) {
    const auto c = static_cast<size_t>(i % 3);
    const double a = normal(rng), b = normal(rng);
    x(i, 0) = centres[c][0] + a;
    x(i, 1) = centres[c][1] + 0.6 * a + 0.5 * b;
  }
  return x;
}

FitOptions mixture_options() {
  FitOptions options = test::kde_fit_options(5);
  options.max_layers = 8;
  options.mixture = true;
  return options;
}

}  // namespace

TEST_CASE("mixture rows: the strided subsample is the same rows however the rows are split") {
  Matrix x(1000, 2);
  for (Index i = 0; i < x.rows(); ++i)
    x.row(i) << static_cast<double>(i), -0.5 * static_cast<double>(i);
  const detail::LocalReducer local;
  CHECK(gather_rows_by_stride(x, 4000, local) == x);  // no more rows than the bound: all of them
  const Matrix whole = gather_rows_by_stride(x, 300, local);
  REQUIRE(whole.rows() == 300);
  for (Index j = 0; j < whole.rows(); ++j)
    CHECK(whole(j, 0) == static_cast<double>(j * 1000 / 300));
  for (const Index first_part : {Index{1}, Index{333}, Index{500}, Index{998}}) {
    CAPTURE(first_part);
    const std::vector<double> split =
        on_two_shards(x.topRows(first_part), x.bottomRows(x.rows() - first_part),
                      [&](ConstMatrixRef shard, const Reducer& r) {
                        const Matrix rows = gather_rows_by_stride(shard, 300, r);
                        return std::vector<double>(rows.data(), rows.data() + rows.size());
                      });
    CHECK(Eigen::Map<const Matrix>(split.data(), 300, 2) == whole);
  }
}

TEST_CASE("mixture rows: the map's exact sums do not depend on the blocks' split") {
  const Matrix x = clusters(600, 3);
  const MixtureMap map = MixtureMap::fit(x, 3, 1);
  Matrix z = x;
  const detail::MixtureRowSums all = detail::map_rows(map, z, "rows");
  Matrix head = x.topRows(250), tail = x.bottomRows(350);
  detail::MixtureRowSums parts = detail::map_rows(map, head, "rows");
  const detail::MixtureRowSums rest = detail::map_rows(map, tail, "rows");
  parts.log_det.add(rest.log_det);
  parts.log_density.add(rest.log_density);
  CHECK(parts.log_det.value() == all.log_det.value());
  CHECK(parts.log_density.value() == all.log_density.value());
  // log p(x) through the Rosenblatt image is the mixture's density.
  CHECK(all.log_density.value() / 600 == doctest::Approx(map.log_density(x).mean()).epsilon(1e-12));
  CHECK(z.topRows(250) == head);
}

TEST_CASE("mixture fit: two shards and a work file give the bytes of the in-memory fit") {
  const Matrix x = clusters(1500, 7);
  const FitOptions options = mixture_options();
  const Model whole = Model::fit(x, options);
  INFO(whole.report().message);
  REQUIRE(whole.layers().front().is_mixture());
  const auto shard_fit = [&](ConstMatrixRef shard, const Reducer& r) {
    return fit_distributed(shard, shard.rows() == 700 ? 0 : 700, options, {}, r).to_bytes();
  };
  CHECK(on_two_shards(x.topRows(700), x.bottomRows(800), shard_fit) == whole.to_bytes());
  const rbig::test::ScratchDir dir("mixture-rows");
  FitOptions mapped = options;
  mapped.work_file = (dir.path() / "work").string();
  CHECK(Model::fit(x, mapped).to_bytes() == whole.to_bytes());
}
