// rbig transform and inverse: the round trip, data that does not fit the model.

#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("transform then inverse gives back the input values and header") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string latent = dir / "latent.csv";
  const Result forward = dir.run({"transform", model, kFaithful, "-o", latent});
  INFO("stderr: ", forward.err);
  REQUIRE(forward.status == 0);
  CHECK(forward.out.rfind("wrote " + latent + ": " + std::to_string(kFaithfulRows) + " rows", 0) ==
        0);
  const Result back = dir.run({"inverse", model, latent});
  INFO("stderr: ", back.err);
  REQUIRE(back.status == 0);

  const Csv input = parse_csv(read_text(kFaithful));
  const Csv latent_csv = parse_csv(read_text(latent));
  const Csv output = parse_csv(back.out);
  CHECK(latent_csv.header == input.header);
  CHECK(output.header == input.header);
  REQUIRE(output.rows.size() == input.rows.size());
  for (std::size_t i = 0; i < input.rows.size(); ++i) {
    REQUIRE(output.rows[i].size() == input.rows[i].size());
    for (std::size_t j = 0; j < input.rows[i].size(); ++j) {
      const double x = input.rows[i][j];
      const double y = output.rows[i][j];
      INFO("row ", i + 1, " column ", j + 1, ": ", x, " vs ", y);
      // 1e-9 relative: far above the rounding of the cascade, far below any real error.
      CHECK(std::abs(x - y) <= 1e-9 * std::max(std::abs(x), 1.0));
    }
  }
}

TEST_CASE("data with the wrong number of columns is an error naming both counts") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string wide = dir / "wide.csv";
  write_text(wide, "a,b,c\n1,2,3\n4,5,6\n");
  for (const char* command : {"score", "transform", "inverse"}) {
    const Result r = dir.run({command, model, wide});
    INFO(command, ": ", r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, "3 columns"));
    CHECK(contains(r.err, "2 dimensions"));
    CHECK(r.out.empty());
  }
}

TEST_CASE("transform maps rows of 1e307 and DBL_MAX to finite latent values, never nan") {
  // Through a histogram model, 1e307 overflowed inside the cascade: the result was first the
  // text "nan,nan" with exit status 0, then the error "row 1 has no finite result"; the tail
  // model now evaluates such rows from its logarithm (issue 15, item 10).
  TempDir dir;
  const std::string model = dir / "h.rbig";
  REQUIRE(dir.run({"fit", kFaithful, "-o", model, "--marginal", "histogram", "--damping", "1",
                   "--validation", "0", "-q"})
              .status == 0);
  const std::string big = dir / "big.csv";
  write_text(big, "1e307,1e307\n3,70\n-1.7976931348623157e308,1.7976931348623157e308\n");
  const std::string out = dir / "z.csv";
  const Result r = dir.run({"transform", model, big, "-o", out});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const std::string latent = read_text(out);
  CHECK(all_finite(latent));
  CHECK(parse_csv(latent).rows.size() == 3);
}
