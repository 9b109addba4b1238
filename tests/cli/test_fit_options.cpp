// rbig fit options: accepted values, usage errors naming the option, warnings.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("a negative or too large --seed is a usage error naming --seed") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  for (const char* seed : {"-1", "18446744073709551616"}) {
    const Result fit = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--seed", seed});
    INFO("--seed ", seed, ": ", fit.err);
    CHECK(fit.status == 2);
    CHECK(contains(fit.err, "--seed"));
    const Result sample = dir.run({"sample", model, "-n", "1", "--seed", seed});
    CHECK(sample.status == 2);
    CHECK(contains(sample.err, "--seed"));
  }
  CHECK(!fs::exists(dir / "m.rbig"));
  CHECK(dir.run({"sample", model, "-n", "1", "--seed", "18446744073709551615"}).status == 0);
}

TEST_CASE("an unknown rotation is a usage error naming --rotation") {
  TempDir dir;
  const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--rotation", "foo"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "--rotation"));
  CHECK(contains(r.err, "foo"));
  CHECK(!fs::exists(dir / "m.rbig"));
}

TEST_CASE("--bins below 2 or not a number is a usage error naming --bins") {
  TempDir dir;
  for (const char* bins : {"1", "abc"}) {
    const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--bins", bins});
    INFO("--bins ", bins, ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--bins"));
  }
  CHECK(!fs::exists(dir / "m.rbig"));
}

TEST_CASE("numeric fit options outside their range are usage errors naming the option") {
  TempDir dir;
  const std::vector<std::vector<std::string>> cases = {
      {"--max-layers", "0"}, {"--patience", "0"}, {"--tol", "-1"}, {"--max-layers", "x"}};
  for (const std::vector<std::string>& option : cases) {
    const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", option[0], option[1]});
    INFO(option[0], " ", option[1], ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, option[0]));
  }
}

TEST_CASE("--bins auto and --bins N are accepted and stored in the model") {
  TempDir dir;
  // bins is a histogram option: the options of other marginals do not show it.
  REQUIRE(dir.run({"fit", kFaithful, "-o", dir / "a.rbig", "--bins", "auto", "--marginal",
                   "histogram", "-q"})
              .status == 0);
  REQUIRE(dir.run({"fit", kFaithful, "-o", dir / "n.rbig", "--bins", "20", "--marginal",
                   "histogram", "-q"})
              .status == 0);
  CHECK(parse_json_object(dir.run({"info", dir / "a.rbig", "--json"}).out)["options"]["bins"] ==
        "auto");
  CHECK(parse_json_object(dir.run({"info", dir / "n.rbig", "--json"}).out)["options"]["bins"] ==
        20);
}

TEST_CASE("--bandwidth takes a number, a rule or auto, stored in the model and shown by info") {
  TempDir dir;
  const auto info_bandwidth = [&](const std::string& model) {
    return parse_json_object(dir.run({"info", model, "--json"}).out)["options"]["bandwidth"];
  };
  for (const char* value : {"0.3", "silverman", "plugin"}) {
    const std::string model = dir / (std::string(value) + ".rbig");
    REQUIRE(
        dir.run({"fit", kFaithful, "-o", model, "--marginal", "kde", "--bandwidth", value, "-q"})
            .status == 0);
    CHECK(contains(dir.run({"info", model}).out, std::string("bandwidth=") + value));
  }
  CHECK(info_bandwidth(dir / "0.3.rbig") == 0.3);
  CHECK(info_bandwidth(dir / "plugin.rbig") == "plugin");
  // auto: the choice made on the validation rows, one of the candidates, and reported.
  const Result automatic =
      dir.run({"fit", kFaithful, "-o", dir / "auto.rbig", "--marginal", "kde", "--json"});
  REQUIRE(automatic.status == 0);
  const nlohmann::json chosen = parse_json_object(automatic.out)["options"]["bandwidth"];
  CHECK(chosen == info_bandwidth(dir / "auto.rbig"));
  CHECK(contains(parse_json_object(automatic.out)["stop_message"].get<std::string>(),
                 "bandwidth plugin"));  // every candidate's score is listed
  for (const char* bad : {"scott", "0", "-1"}) {
    const Result r = dir.run({"fit", kFaithful, "-o", dir / "bad.rbig", "--bandwidth", bad});
    INFO("--bandwidth ", bad, ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--bandwidth"));
  }
  CHECK(!fs::exists(dir / "bad.rbig"));
  CHECK(contains(dir.run({"fit", kFaithful, "-o", dir / "bad.rbig", "--bandwidth", "scott"}).err,
                 "rbig: --bandwidth: expected a number of standard deviations, silverman, plugin, "
                 "annealed or auto (got \"scott\")"));
  const Result ignored = dir.run(
      {"fit", kFaithful, "-o", dir / "s.rbig", "--marginal", "spline", "--bandwidth", "plugin"});
  CHECK(ignored.status == 0);
  CHECK(contains(ignored.err, "warning: --bandwidth is ignored with --marginal spline"));
}

TEST_CASE("an option that has no effect draws a warning on stderr") {
  TempDir dir;
  const Result r =
      dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--marginal", "gaussian", "--bins", "20"});
  CHECK(r.status == 0);
  CHECK(contains(r.err, "warning: --bins is ignored"));
  CHECK(!contains(r.out, "warning"));
}

TEST_CASE("--coupling and --no-coupling together are a usage error; each is stored in the model") {
  TempDir dir;
  const Result both =
      dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--coupling", "--no-coupling"});
  CHECK(both.status == 2);
  CHECK(contains(both.err, "--coupling"));
  CHECK(!fs::exists(dir / "m.rbig"));
  // faithful has 272 rows: below the challenger's 1,000, so the default neither tries nor keeps it.
  for (const char* flag : {"--coupling", "--no-coupling"}) {
    const Result fit = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", flag, "-q"});
    INFO(flag, ": ", fit.err);
    REQUIRE(fit.status == 0);
    const Result info = dir.run({"info", dir / "m.rbig", "--json"});
    CHECK(contains(info.out, "\"coupling\":true") == (std::string(flag) == "--coupling"));
  }
}
