// rbig entropy, tc, mi and kld.

#include "support.hpp"

#include <doctest/doctest.h>

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
