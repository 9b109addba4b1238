// rbig info: the model description in JSON and in text.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("info --json has one info_reduction entry per layer and the fit options") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const Result fit =
      dir.run({"fit", kFaithful, "-o", model, "--json", "--rotation", "random", "--seed", "3"});
  REQUIRE(fit.status == 0);
  const nlohmann::json fitted = parse_json_object(fit.out);

  const Result r = dir.run({"info", model, "--json"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  for (const char* key : {"schema", "dims", "layers", "n", "options", "stop", "unit",
                          "total_correlation", "info_reduction"}) {
    CHECK_MESSAGE(json.contains(key), key);
  }
  REQUIRE(json["info_reduction"].is_array());
  CHECK(json["info_reduction"].size() == json["layers"].get<std::size_t>());
  CHECK(json["layers"] == fitted["layers"]);
  CHECK(json["dims"] == 2);
  CHECK(json["n"] == kFaithfulRows);  // the held-out rows join the final refit
  CHECK(json["stop"] == fitted["stop"]);
  CHECK(json["total_correlation"].get<double>() ==
        doctest::Approx(fitted["total_correlation"].get<double>()));
  const nlohmann::json& options = json["options"];
  for (const char* key : {"marginal", "rotation", "max_layers", "tol", "patience", "seed"}) {
    CHECK_MESSAGE(options.contains(key), key);
  }
  // Only the parameter of the model's own marginal: bins for histogram, bandwidth for kde.
  CHECK(options.contains("bandwidth") == (options["marginal"] == "kde"));
  CHECK(options.contains("bins") == (options["marginal"] == "histogram"));
  CHECK(options["rotation"] == "random");
  CHECK(options["seed"] == 3);
}

TEST_CASE("info without --json describes the model in text") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result r = dir.run({"info", model});
  REQUIRE(r.status == 0);
  CHECK(contains(r.out, "dimensions"));
  CHECK(contains(r.out, "information reduction"));
}
