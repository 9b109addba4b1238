// rbig fit: its report on stdout, the model it writes, --layers and --validation.

#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("fit --json prints exactly one object with the documented keys") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const Result r = dir.run({"fit", kFaithful, "-o", model, "--json"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  CHECK(fs::exists(model));
  const nlohmann::json json = parse_json_object(r.out);
  for (const char* key : {"schema", "command", "layers", "seconds", "unit", "total_correlation",
                          "dims", "n", "stop", "options", "model"}) {
    CHECK_MESSAGE(json.contains(key), key);
  }
  CHECK(json["layers"].get<int>() >= 1);
  CHECK(json["seconds"].get<double>() >= 0.0);
  CHECK(std::isfinite(json["total_correlation"].get<double>()));
  CHECK(json["dims"] == 2);
  CHECK(json["n"] == kFaithfulRows);
  CHECK(json["stop"].is_string());
  CHECK(json["model"] == model);
  CHECK(json["unit"] == "nats");
}

TEST_CASE("fit without --json prints a short summary naming the model file") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const Result r = dir.run({"fit", kFaithful, "-o", model});
  REQUIRE(r.status == 0);
  CHECK(contains(r.out, model));
  CHECK(contains(r.out, "layers"));
  CHECK(contains(r.out, "total correlation"));
}

TEST_CASE("fit: the same data, options and seed give the same model bytes") {
  TempDir dir;
  const std::vector<std::string> options = {"--rotation", "random", "--seed", "11", "--quiet"};
  std::vector<std::string> first = {"fit", kFaithful, "-o", dir / "a.rbig"};
  std::vector<std::string> second = {"fit", kFaithful, "-o", dir / "b.rbig"};
  first.insert(first.end(), options.begin(), options.end());
  second.insert(second.end(), options.begin(), options.end());
  REQUIRE(dir.run(first).status == 0);
  REQUIRE(dir.run(second).status == 0);
  CHECK(read_text(dir / "a.rbig") == read_text(dir / "b.rbig"));
}

TEST_CASE("--layers fits exactly that many layers on every row") {
  TempDir dir;
  const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--layers", "7", "--json"});
  REQUIRE(r.status == 0);
  const nlohmann::json fitted = parse_json_object(r.out);
  CHECK(fitted["layers"] == 7);
  CHECK(fitted["stop"] == "max_layers");
  const nlohmann::json info = parse_json_object(dir.run({"info", dir / "m.rbig", "--json"}).out);
  CHECK(info["n"] == kFaithfulRows);  // no validation split
  CHECK(info["layers"] == 7);
  const Result zero = dir.run({"fit", kFaithful, "-o", dir / "z.rbig", "--layers", "0"});
  CHECK(zero.status == 2);
  CHECK(contains(zero.err, "--layers: must be between 1 and 100000 (got 0)"));
  CHECK(!fs::exists(dir / "z.rbig"));
}

TEST_CASE("fit --validation records the held-out curve and info shows it") {
  TempDir dir;
  const std::string model = dir / "v.rbig";
  const Result fit = dir.run({"fit", kFaithful, "-o", model, "--validation", "0.2", "--damping",
                              "0.5", "--validation-patience", "5", "--quiet"});
  INFO("stderr: ", fit.err);
  REQUIRE(fit.status == 0);
  const Result info = dir.run({"info", model, "--json"});
  REQUIRE(info.status == 0);
  const nlohmann::json parsed = parse_json_object(info.out);
  const auto& curve = parsed["validation_log_prob"];
  REQUIRE(curve.size() == parsed["layers"].get<std::size_t>());
  double best = -1e300;
  for (const auto& value : curve) best = std::max(best, value.get<double>());
  CHECK(curve.back().get<double>() == best);  // the kept depth is the best one
  CHECK(parsed["options"]["damping"].get<double>() == 0.5);
  const Result bad_damping = dir.run({"fit", kFaithful, "-o", model, "--damping", "0"});
  CHECK(bad_damping.status == 2);
  CHECK(contains(bad_damping.err, "--damping"));
  CHECK(dir.run({"fit", kFaithful, "-o", model, "--validation", "1.5"}).status == 2);
}

TEST_CASE("fit warns when --max-layers, not the fit, set the depth; --radial is stored") {
  TempDir dir;
  const Result capped = dir.run({"fit", kFaithful, "-o", dir / "c.rbig", "--marginal", "kde",
                                 "--damping", "0.3", "--max-layers", "2"});
  REQUIRE(capped.status == 0);
  CHECK(contains(capped.err, "the fit stopped at --max-layers 2 (stop reason max_layers)"));
  CHECK(contains(capped.out, "stop: max_layers"));
  const Result free = dir.run({"fit", kFaithful, "-o", dir / "f.rbig", "--marginal", "kde",
                               "--damping", "1", "--radial", "--json"});
  REQUIRE(free.status == 0);
  CHECK(!contains(free.err, "--max-layers"));
  CHECK(parse_json_object(free.out)["options"]["radial"] == true);
}

TEST_CASE("fit --mixture: stored in the model, refused without held-out rows naming --mixture") {
  TempDir dir;
  const Result fitted = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--marginal", "kde",
                                 "--damping", "1", "--mixture", "--json"});
  REQUIRE(fitted.status == 0);
  // The model's options say what happened: mixture true exactly when the layer was kept.
  const nlohmann::json json = parse_json_object(fitted.out);
  const bool kept = contains(json["stop_message"].get<std::string>(), "without, used");
  CHECK(json["options"].contains("mixture") == kept);
  if (kept) CHECK(json["options"]["mixture"] == true);
  check_fails(dir, {"fit", kFaithful, "-o", dir / "n.rbig", "--mixture", "--validation", "0"}, 1,
              {"--mixture", "--validation above 0"});
  check_fails(dir, {"fit", kFaithful, "-o", dir / "n.rbig", "--mixture", "--layers", "3"}, 1,
              {"--mixture", "leave --layers out"});
  check_fails(dir, {"fit", kFaithful, "-o", dir / "n.rbig", "--mixture", "--no-mixture"}, 2,
              {"--no-mixture"});
}

TEST_CASE(
    "fit: a mixture layer is offered by default with held-out rows, never with --no-mixture") {
  TempDir dir;
  const std::vector<std::string> kde = {"--marginal", "kde", "--damping", "1", "--json"};
  const auto fit = [&](const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args = {"fit", kFaithful, "-o", dir / name};
    args.insert(args.end(), kde.begin(), kde.end());
    args.insert(args.end(), extra.begin(), extra.end());
    const Result r = dir.run(args);
    INFO("stderr: ", r.err);
    REQUIRE(r.status == 0);
    return parse_json_object(r.out);
  };
  const std::string offered = fit("d.rbig", {})["stop_message"];
  CHECK(contains(offered, "mixture first layer"));
  const nlohmann::json never = fit("n.rbig", {"--no-mixture"});
  CHECK(!contains(never["stop_message"].get<std::string>(), "mixture first layer"));
  CHECK(!never["options"].contains("mixture"));
  for (const std::vector<std::string>& none :
       {std::vector<std::string>{"--validation", "0"}, std::vector<std::string>{"--layers", "3"}}) {
    const nlohmann::json fitted = fit("g.rbig", none);
    CHECK(!contains(fitted["stop_message"].get<std::string>(), "mixture"));
    CHECK(!fitted["options"].contains("mixture"));
  }
}
