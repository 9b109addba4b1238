// rbig score: one log-density per row, --json summaries, data from stdin.

#include "support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("score prints one finite log-density per input row under a log_prob header") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result r = dir.run({"score", model, kFaithful});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const Csv csv = parse_csv(r.out);
  CHECK(csv.header == std::vector<std::string>{"log_prob"});
  CHECK(csv.rows.size() == static_cast<std::size_t>(kFaithfulRows));
  for (const std::vector<double>& row : csv.rows) {
    REQUIRE(row.size() == 1);
    CHECK(std::isfinite(row[0]));
  }
}

TEST_CASE("score --json -o: the object on stdout summarises the values written to the file") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string out = dir / "scores.csv";
  const Result r = dir.run({"score", model, kFaithful, "-o", out, "--json"});
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  REQUIRE(json.contains("mean_log_prob"));
  CHECK(json["n"] == kFaithfulRows);
  const Csv csv = parse_csv(read_text(out));
  REQUIRE(csv.rows.size() == static_cast<std::size_t>(kFaithfulRows));
  double sum = 0.0;
  for (const std::vector<double>& row : csv.rows) sum += row[0];
  CHECK(json["mean_log_prob"].get<double>() ==
        doctest::Approx(sum / static_cast<double>(kFaithfulRows)).epsilon(1e-12));
}

TEST_CASE("score --json without -o prints only the object") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result r = dir.run({"score", model, kFaithful, "--json"});
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  CHECK(json["n"] == kFaithfulRows);
  CHECK(std::isfinite(json["mean_log_prob"].get<double>()));
}

TEST_CASE("score reads the data from stdin when the path is -") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result from_file = dir.run({"score", model, kFaithful});
  const Result from_stdin = dir.run({"score", model, "-"}, kFaithful);
  REQUIRE(from_stdin.status == 0);
  CHECK(from_stdin.out == from_file.out);
}
