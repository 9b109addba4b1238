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

TEST_CASE("sample --names writes a header naming each dimension, and needs one per dimension") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result r = dir.run({"sample", model, "-n", "5", "--names", "eruptions,waiting"});
  REQUIRE(r.status == 0);
  const Csv csv = parse_csv(r.out);
  CHECK(csv.header == std::vector<std::string>{"eruptions", "waiting"});
  CHECK(csv.rows.size() == 5);
  // The same rows as without --names.
  const Result plain = dir.run({"sample", model, "-n", "5"});
  CHECK(r.out.substr(r.out.find('\n') + 1) == plain.out);
  check_fails(dir, {"sample", model, "-n", "5", "--names", "a,b,c"}, 2,
              {"--names", "3 names for a model of 2 dimensions"});
}
