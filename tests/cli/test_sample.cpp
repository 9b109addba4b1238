// rbig sample: row count, seed, usage errors.

#include "support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("sample -n 100 prints 100 rows and the seed alone decides them") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result a = dir.run({"sample", model, "-n", "100", "--seed", "5"});
  const Result b = dir.run({"sample", model, "-n", "100", "--seed", "5"});
  const Result c = dir.run({"sample", model, "-n", "100", "--seed", "6"});
  INFO("stderr: ", a.err);
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  REQUIRE(c.status == 0);
  // No header line: a model holds no column names.
  const Csv csv = parse_csv(a.out);
  CHECK(csv.header.empty());
  CHECK(csv.rows.size() == 100);
  for (const std::vector<double>& row : csv.rows) {
    REQUIRE(row.size() == 2);
    CHECK(std::isfinite(row[0]));
    CHECK(std::isfinite(row[1]));
  }
  CHECK(a.out == b.out);
  CHECK(a.out != c.out);
}

TEST_CASE("sample -n 0 is a usage error") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  for (const char* count : {"0", "-5", "99999999999999999999", "abc"}) {
    const Result r = dir.run({"sample", model, "-n", count});
    INFO("-n ", count, ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "rbig: -n"));
    CHECK(r.out.empty());
  }
}
