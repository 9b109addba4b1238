// The fit spread over participants (fit/distributed_fit.hpp, stats/order_statistics.hpp): rows
// split between two participants in one process (support/two_shards.hpp) give the statistics
// and the model of all rows. Order statistics and integer counts are exact; a fit's
// floating-point sums run over fixed global row blocks and are added exactly
// (fit/row_alignment.hpp), so a distributed fit writes the bytes of the fit of all rows.

#include "fit/distributed_fit.hpp"
#include "marginal/marginal_from_moments.hpp"
#include "stats/order_statistics.hpp"

#include "support/known_distributions.hpp"
#include "support/two_shards.hpp"

#include <rbig/error.hpp>
#include <rbig/model.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace rbig;
using namespace rbig::detail;
using rbig::test::on_two_shards;

namespace {

Matrix skewed_sample(Index n, std::uint64_t seed) {
  Matrix covariance(3, 3);
  covariance << 2.0, 0.5, 0.1, 0.5, 1.0, -0.3, 0.1, -0.3, 0.5;
  Matrix x = test::gaussian_sample(n, covariance, seed);
  x.col(2) = x.col(2).array().exp();
  return x;
}

double largest_relative_difference(const Vector& a, const Vector& b) {
  return ((a - b).array().abs() / b.array().abs().max(1.0)).maxCoeff();
}

}  // namespace

TEST_CASE("order statistics: two shards give exactly the sorted values of all rows, ties too") {
  Vector x = skewed_sample(5000, 3).col(2);
  for (Index i = 0; i < x.size(); i += 7) x[i] = 1.0;  // a heavy tie
  std::vector<double> sorted(x.data(), x.data() + x.size());
  std::sort(sorted.begin(), sorted.end());
  const std::vector<Index> ranks{0, 1, 713, 2499, 2500, 4000, 4998, 4999};
  const std::vector<double> got =
      on_two_shards(x.head(1234), x.tail(5000 - 1234), [&](ConstMatrixRef shard, const Reducer& r) {
        return order_statistics(shard.col(0), ranks, sorted.front(), sorted.back(), r);
      });
  for (size_t k = 0; k < ranks.size(); ++k) {
    CHECK(got[k] == sorted[static_cast<size_t>(ranks[k])]);
  }
}

TEST_CASE("order statistics: many ranks at once, and values spanning the whole double range") {
  // The spline asks for ~1,000 ranks in one call: every one must be the sorted value.
  Vector x = skewed_sample(20000, 4).col(0);
  std::vector<Index> ranks;
  for (Index k = 0; k < 20000; k += 19) ranks.push_back(k);
  ranks.push_back(19999);
  for (const bool huge : {false, true}) {
    CAPTURE(huge);
    if (huge) {  // a span max − min that overflows: the bins are computed on halved values
      x[10] = -1.7e308;
      x[15000] = 1.7e308;
    }
    std::vector<double> sorted(x.data(), x.data() + x.size());
    std::sort(sorted.begin(), sorted.end());
    const std::vector<double> got =
        on_two_shards(x.head(7000), x.tail(13000), [&](ConstMatrixRef shard, const Reducer& r) {
          return order_statistics(shard.col(0), ranks, sorted.front(), sorted.back(), r);
        });
    Index wrong = 0;
    for (size_t k = 0; k < ranks.size(); ++k) {
      wrong += got[k] != sorted[static_cast<size_t>(ranks[k])] ? 1 : 0;
    }
    CHECK(wrong == 0);
  }
}

TEST_CASE("distributed marginals: every kind fitted on two shards maps like the fit of all rows") {
  const Matrix x = skewed_sample(4000, 5);
  const Matrix first = x.topRows(1500);
  const Matrix second = x.bottomRows(2500);
  const Vector grid = Vector::LinSpaced(101, x.col(2).minCoeff() - 1.0, x.col(2).maxCoeff() + 1.0);
  struct Case {
    MarginalKind kind;
    std::optional<BandwidthRule> rule;
  };
  for (const Case c :
       {Case{MarginalKind::Histogram, {}}, Case{MarginalKind::Kde, {}},
        Case{MarginalKind::Kde, BandwidthRule::PlugIn}, Case{MarginalKind::Spline, {}}}) {
    CAPTURE(to_string(c.kind));
    FitOptions options;
    options.bandwidth_rule = c.rule;
    const auto whole = make_marginal_from_moments(c.kind, options);
    whole->fit(x.col(2));
    const std::vector<double> shard_result =
        on_two_shards(first, second, [&](ConstMatrixRef shard, const Reducer& r) {
          std::vector<std::optional<ColumnMoments>> local{column_moments(shard.col(2))};
          const ColumnMoments merged = *merge_moments(local, shard.rows(), r)[0];
          const auto fitted = make_marginal_from_moments(c.kind, options);
          fitted->fit(shard.col(2), merged, r);
          Vector z(grid.size());
          fitted->forward(grid, z);
          std::vector<double> out(z.data(), z.data() + z.size());
          out.push_back(fitted->training_entropy());
          return out;
        });
    Vector expected(grid.size());
    whole->forward(grid, expected);
    const Vector got = Eigen::Map<const Vector>(shard_result.data(), grid.size());
    CHECK(largest_relative_difference(got, expected) < 1e-12);
    CHECK(shard_result.back() == doctest::Approx(whole->training_entropy()).epsilon(1e-12));
  }
}

TEST_CASE("distributed fit: the default fit on two shards is the fit of all rows") {
  const Matrix x = skewed_sample(900, 7);
  const Matrix test_rows = skewed_sample(200, 8);
  FitOptions options;
  options.max_layers = 12;
  const Model whole = Model::fit(x, options);
  const auto shard_fit = [&](ConstMatrixRef shard, const Reducer& r) {
    const Index first_row = shard.rows() == 400 ? 0 : 400;
    return fit_distributed(shard, first_row, options, {}, r);
  };
  const Model split = on_two_shards(x.topRows(400), x.bottomRows(500), shard_fit);
  CHECK(split.layers().size() == whole.layers().size());
  CHECK(split.options().marginal == whole.options().marginal);
  CHECK(split.options().damping == whole.options().damping);
  CHECK(split.options().bandwidth_text() == whole.options().bandwidth_text());
  CHECK(split.report().n_samples == whole.report().n_samples);
  CHECK(largest_relative_difference(split.log_prob(test_rows), whole.log_prob(test_rows)) < 1e-12);
  CHECK(split.to_bytes() == whole.to_bytes());
}

TEST_CASE("distributed fit: parts of any size, empty ones too, give the bytes of all rows") {
  // More participants than blocks in some of the fit's row sets (900 rows: blocks of 32; the 90
  // held-out rows: blocks of 4), participant 0 empty, parts of one or two rows: each aligned
  // part is then empty or whole blocks (row_alignment.hpp), and an empty part adds nothing.
  const Matrix x = skewed_sample(900, 7);
  const std::vector<Index> sizes{0, 1, 430, 0, 2, 3, 464, 0};
  std::vector<ConstMatrixRef> shards;
  std::vector<Index> first_rows;
  Index start = 0;
  for (const Index size : sizes) {
    shards.emplace_back(x.middleRows(start, size));
    first_rows.push_back(start);
    start += size;
  }
  FitOptions kde;
  kde.marginal = MarginalKind::Kde;
  kde.damping = 0.5;
  kde.bandwidth_rule = BandwidthRule::PlugIn;
  kde.validation = 0.1;
  FitOptions spline;
  spline.marginal = MarginalKind::Spline;
  spline.damping = 1.0;
  spline.validation = 0.0;
  FitOptions mixture;
  mixture.mixture = true;
  const std::vector<FitOptions> cases{FitOptions(), kde, spline, mixture};
  for (size_t k = 0; k < cases.size(); ++k) {
    CAPTURE(k);  // the default fit, kde plug-in damped, spline, the mixture offer
    FitOptions options = cases[k];
    options.max_layers = 8;
    const std::string whole = Model::fit(x, options).to_bytes();
    const std::vector<std::string> split =
        test::on_shards(shards, [&](ConstMatrixRef shard, const Reducer& r) {
          return fit_distributed(shard, first_rows[static_cast<size_t>(r.participant())], options,
                                 {}, r)
              .to_bytes();
        });
    for (const std::string& bytes : split) CHECK(bytes == whole);
  }
}

TEST_CASE("distributed fit: a constant column is reported by both participants alike") {
  Matrix x = skewed_sample(300, 9);
  x.col(1).setConstant(2.5);
  FitOptions options;
  options.max_layers = 3;
  const std::string message =
      on_two_shards(x.topRows(100), x.bottomRows(200), [&](ConstMatrixRef shard, const Reducer& r) {
        try {
          fit_distributed(shard, shard.rows() == 100 ? 0 : 100, options, {}, r);
        } catch (const InputError& e) {
          return std::string(e.what());
        }
        return std::string();
      });
  CHECK(message.find("column 2") != std::string::npos);
  CHECK(message.find("constant") != std::string::npos);
}
