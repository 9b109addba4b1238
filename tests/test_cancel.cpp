// Cooperative cancellation (rbig/cancel.hpp): each long library loop stops at its next check,
// throws rbig::Cancelled and leaves no output behind.

#include <rbig/cancel.hpp>
#include <rbig/info.hpp>
#include <rbig/io.hpp>
#include <rbig/model.hpp>

#include "support/files.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <ostream>
#include <string>

namespace {

namespace fs = std::filesystem;

/// Clears the process-wide flag however the test ends, so later tests run normally.
struct ClearCancelOnExit {
  ~ClearCancelOnExit() { rbig::clear_cancel(); }
};

rbig::Matrix wavy_rows(rbig::Index rows) {
  rbig::Matrix x(rows, 2);
  for (rbig::Index r = 0; r < rows; ++r) {
    const double t = static_cast<double>(r) / static_cast<double>(rows);
    x(r, 0) = std::sin(37.0 * t) + t;
    x(r, 1) = std::cos(53.0 * t) * (1.0 + t);
  }
  return x;
}

rbig::Model small_model() {
  rbig::FitOptions options;
  options.marginal = rbig::MarginalKind::Histogram;
  options.layers = 3;
  return rbig::Model::fit(wavy_rows(500), options);
}

}  // namespace

TEST_CASE("cancel: log_prob, transform, inverse and sample throw Cancelled, then work again") {
  const ClearCancelOnExit clear;
  const rbig::Model model = small_model();
  const rbig::Matrix x = wavy_rows(3000);
  rbig::request_cancel();
  CHECK(rbig::cancel_requested());
  CHECK_THROWS_AS(model.log_prob(x), rbig::Cancelled);
  CHECK_THROWS_AS(model.transform(x), rbig::Cancelled);
  CHECK_THROWS_AS(model.inverse(x), rbig::Cancelled);
  CHECK_THROWS_AS(model.sample(3000, 1), rbig::Cancelled);
  rbig::clear_cancel();
  CHECK(model.log_prob(x).allFinite());
}

TEST_CASE("cancel: a fit and the information measures stop with Cancelled") {
  const ClearCancelOnExit clear;
  rbig::request_cancel();
  CHECK_THROWS_AS(small_model(), rbig::Cancelled);
  CHECK_THROWS_AS(rbig::total_correlation(wavy_rows(500)), rbig::Cancelled);
}

TEST_CASE("cancel: a bootstrap stops at the resample after the request") {
  const ClearCancelOnExit clear;
  int calls = 0;
  const auto estimate = [&calls](rbig::ConstMatrixRef rows) {
    if (++calls == 3) rbig::request_cancel();
    return rows.mean();
  };
  CHECK_THROWS_AS(rbig::bootstrap_interval(estimate, wavy_rows(100), 1000, 7), rbig::Cancelled);
  CHECK(calls == 3);
}

TEST_CASE("cancel: an atomic write abandoned mid-way leaves the old file and no temporary") {
  const ClearCancelOnExit clear;
  const rbig::test::ScratchDir dir("cancel");
  const fs::path target = dir.write("out.csv", "old content\n");
  const rbig::Matrix rows = wavy_rows(200000);  // several output chunks
  const auto write = [&rows](std::ostream& out) {
    rbig::request_cancel();  // as a signal arriving while the rows are written
    rbig::write_csv(out, rows, {"a", "b"});
  };
  CHECK_THROWS_AS(rbig::write_file_atomically(target, write), rbig::Cancelled);
  CHECK(rbig::test::read_bytes(target) == "old content\n");
  int entries = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir.path())) {
    (void)entry;
    ++entries;
  }
  CHECK(entries == 1);
}

TEST_CASE("cancel: reading a long CSV stops with Cancelled") {
  const ClearCancelOnExit clear;
  std::string text;
  for (int r = 0; r < 40000; ++r) text += std::to_string(r) + ",1\n";
  rbig::request_cancel();
  CHECK_THROWS_AS(rbig::parse_csv(text, "long.csv"), rbig::Cancelled);
  rbig::clear_cancel();
  CHECK(rbig::parse_csv(text, "long.csv").values.rows() == 40000);
}
