// rbig entropy, tc, mi and kld.

#include "support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("measures --bootstrap reports an interval around the estimate, in the chosen unit") {
  TempDir dir;
  const Result r = dir.run({"tc", kFaithful, "--bootstrap", "20", "--json", "--bits"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  CHECK(json["unit"] == "bits");
  CHECK(json["bootstrap"].get<int>() == 20);
  CHECK(json["ci_low"].get<double>() <= json["ci_high"].get<double>());
  // The same seed gives the same interval.
  const Result again = dir.run({"tc", kFaithful, "--bootstrap", "20", "--json", "--bits"});
  CHECK(parse_json_object(again.out) == json);
  const Result bad = dir.run({"entropy", kFaithful, "--bootstrap", "1"});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "--bootstrap"));
}

namespace {

/// 200 rows: a, b = a + noise, c independent, d = 2a + 1 exactly, k constant (with a header).
std::string degenerate_csv() {
  std::string text = "a,b,c,d,k\n";
  for (int i = 0; i < 200; ++i) {
    const double a = std::sin(0.37 * i) + 0.01 * i;
    const double b = a + 0.5 * std::cos(1.3 * i);
    const double c = std::sin(2.1 * i + 0.4);
    text += std::to_string(a) + "," + std::to_string(b) + "," + std::to_string(c) + "," +
            std::to_string(2.0 * a + 1.0) + ",3\n";
  }
  return text;
}

}  // namespace

TEST_CASE("measures: a column shared by X and Y, or a linear function of X, gives I = inf") {
  TempDir dir;
  write_text(dir / "d.csv", degenerate_csv());
  const Result shared = dir.run({"mi", dir / "d.csv", "--x", "1,2", "--y", "2,3"});
  INFO("stderr: ", shared.err);
  CHECK(shared.status == 0);
  CHECK(shared.out == "mutual_information inf nats\n");
  CHECK(contains(shared.err, "column 2 (\"b\")"));
  const Result linear = dir.run({"mi", dir / "d.csv", "--x", "a", "--y", "d", "--json"});
  CHECK(linear.status == 0);
  CHECK(parse_json_object(linear.out)["mutual_information"] == "inf");
  CHECK(contains(linear.err, "column 4 (\"d\")"));
}

TEST_CASE("measures: duplicated, collinear and constant columns are named as the user wrote them") {
  TempDir dir;
  write_text(dir / "d.csv", degenerate_csv());
  write_text(dir / "c.csv", degenerate_csv());
  const Result constant = dir.run({"tc", dir / "c.csv"});
  CHECK(constant.status == 1);
  CHECK(contains(constant.err, "c.csv: column 5 (\"k\") is constant"));
  CHECK(!contains(constant.err, "kde"));
  const Result entropy = dir.run({"entropy", dir / "c.csv"});
  CHECK(entropy.status == 1);
  CHECK(contains(entropy.err, "column 5 (\"k\") is constant"));
  const Result block = dir.run({"mi", dir / "c.csv", "--x", "1,4", "--y", "3"});
  CHECK(block.status == 1);
  CHECK(contains(block.err, "column 1 (\"a\") and column 4 (\"d\") are linearly dependent"));
  CHECK(!contains(block.err, "of x"));
  // Z sharing Y's column: I(X;Y|Z) = 0 by definition, a usage error naming the column.
  const Result z = dir.run({"mi", dir / "c.csv", "--x", "1", "--y", "2", "--z", "b"});
  CHECK(z.status == 2);
  CHECK(contains(z.err, "column 2 (\"b\")"));
}

TEST_CASE("measures: total correlation of a duplicated column is inf, in text and JSON") {
  TempDir dir;
  std::string text = "u,v,w\n";
  for (int i = 0; i < 100; ++i) {
    const double u = std::sin(0.7 * i), v = std::cos(1.9 * i + 0.2);
    text += std::to_string(u) + "," + std::to_string(v) + "," + std::to_string(u) + "\n";
  }
  write_text(dir / "dup.csv", text);
  const Result r = dir.run({"tc", dir / "dup.csv", "--json"});
  INFO("stderr: ", r.err);
  CHECK(r.status == 0);
  CHECK(parse_json_object(r.out)["total_correlation"] == "inf");
  CHECK(contains(r.err, "column 1 (\"u\") and column 3 (\"w\")"));
}
