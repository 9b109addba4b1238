// One JSON schema (docs/json.md): a "schema" key in every object, the same key for the same thing
// in fit and info, units, structured model-selection candidates, no irrelevant option, and errors
// as JSON too when --json is given.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

const fs::path kJsonDoc = fs::path(RBIG_SOURCE_DIR) / "docs" / "json.md";

nlohmann::json run_json(TempDir& dir, const std::vector<std::string>& args) {
  const Result r = dir.run(args);
  INFO("rbig ", args[0], ": ", r.err);
  REQUIRE(r.status == 0);
  return parse_json_object(r.out);
}

// Every key of object, and of the objects inside it, is documented as `key` in docs/json.md.
void check_documented(const nlohmann::json& object, const std::string& doc) {
  // Not a structured binding: doctest's macros capture the key in a lambda, which C++17 forbids
  // for bindings (clang refuses it).
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    const nlohmann::json& value = item.value();
    CHECK_MESSAGE(contains(doc, "`" + key + "`"), key);
    if (value.is_object()) check_documented(value, doc);
    if (value.is_array() && !value.empty() && value[0].is_object()) check_documented(value[0], doc);
  }
}

}  // namespace

TEST_CASE("every JSON object carries schema and command, and every key is documented") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const std::string iris = (kData / "iris.csv").string();
  const std::vector<std::vector<std::string>> commands = {
      {"fit", kFaithful, "-o", model, "--json"},
      {"info", model, "--json"},
      {"score", model, kFaithful, "--json"},
      {"entropy", kFaithful, "--json"},
      {"tc", kFaithful, "--json", "--bootstrap", "3"},
      {"mi", iris, "--x", "1", "--y", "2", "--json"},
      {"mi", iris, "--x", "1", "--y", "2", "--z", "3", "--json"},
      {"kld", kFaithful, kFaithful, "--json"}};
  const std::string doc = read_text(kJsonDoc);
  REQUIRE(!doc.empty());
  for (const std::vector<std::string>& args : commands) {
    const nlohmann::json json = run_json(dir, args);
    CHECK(json["schema"] == 1);
    CHECK(json["command"] == args[0]);
    CHECK(json.contains("unit"));  // every object holds a quantity in nats or bits
    check_documented(json, doc);
  }
}

TEST_CASE("fit --json and info --json use the same keys for the same things") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const nlohmann::json fit =
      run_json(dir, {"fit", kFaithful, "-o", model, "--json", "--rotation", "random"});
  const nlohmann::json info = run_json(dir, {"info", model, "--json"});
  for (const auto& item : info.items()) {
    const std::string& key = item.key();
    const nlohmann::json& value = item.value();
    INFO(key);
    REQUIRE(fit.contains(key));
    if (key != "command") CHECK(fit[key] == value);
  }
  CHECK(fit["unit"] == "nats");
  CHECK(fit["options"].is_object());  // options nested in both
  CHECK(!fit.contains("marginal"));
}

TEST_CASE("fit --json lists the model selection's candidates; the chosen one scored best") {
  TempDir dir;
  const nlohmann::json fit = run_json(dir, {"fit", kFaithful, "-o", dir / "m.rbig", "--json"});
  REQUIRE(fit.contains("candidates"));
  const nlohmann::json& candidates = fit["candidates"];
  REQUIRE(candidates.size() >= 6);  // kde and spline at three dampings, then kde bandwidths
  int chosen = 0;
  double best = -1e300;
  for (const nlohmann::json& candidate : candidates) {
    best = std::max(best, candidate["validation_log_prob"].get<double>());
    CHECK(candidate.contains("bandwidth") == (candidate["marginal"] == "kde"));
  }
  for (const nlohmann::json& candidate : candidates) {
    if (!candidate["chosen"].get<bool>()) continue;
    ++chosen;
    CHECK(candidate["validation_log_prob"].get<double>() == best);
    CHECK(candidate["marginal"] == fit["options"]["marginal"]);
    CHECK(candidate["damping"] == fit["options"]["damping"]);
    if (candidate["marginal"] == "kde") {
      CHECK(candidate["bandwidth"] == fit["options"]["bandwidth"]);
    }
  }
  CHECK(chosen == 1);
  // A fit with nothing to choose has no candidates.
  const nlohmann::json fixed = run_json(dir, {"fit", kFaithful, "-o", dir / "h.rbig", "--json",
                                              "--marginal", "histogram", "--damping", "1"});
  CHECK(!fixed.contains("candidates"));
}

TEST_CASE("a model's options hold only the parameters of its own marginal") {
  TempDir dir;
  const nlohmann::json spline =
      run_json(dir, {"fit", kFaithful, "-o", dir / "s.rbig", "--marginal", "spline", "--json"});
  CHECK(!spline["options"].contains("bandwidth"));
  CHECK(!spline["options"].contains("bins"));
  const nlohmann::json histogram =
      run_json(dir, {"fit", kFaithful, "-o", dir / "h.rbig", "--marginal", "histogram", "--json"});
  CHECK(histogram["options"]["bins"] == "auto");
  CHECK(!histogram["options"].contains("bandwidth"));
}

TEST_CASE("with --json an error is also one JSON object on stdout") {
  TempDir dir;
  write_text(dir / "bad.csv", "a,b\n1,2\n3,abc\n");
  const Result data = dir.run({"fit", dir / "bad.csv", "-o", dir / "m.rbig", "--json"});
  CHECK(data.status == 1);
  CHECK(contains(data.err, "rbig: "));
  CHECK(contains(data.err, "bad.csv:3:2"));
  const nlohmann::json error = parse_json_object(data.out);
  CHECK(error["schema"] == 1);
  CHECK(error["exit"] == 1);
  CHECK(contains(error["error"].get<std::string>(), "bad.csv:3:2: expected a number"));

  const Result usage = dir.run({"entropy", kFaithful, "--bootstrap", "1", "--json"});
  CHECK(usage.status == 2);
  const nlohmann::json usage_error = parse_json_object(usage.out);
  CHECK(usage_error["exit"] == 2);
  CHECK(contains(usage_error["error"].get<std::string>(), "--bootstrap"));

  const Result model = dir.run({"info", dir / "missing.rbig", "--json"});
  CHECK(model.status == 1);
  CHECK(parse_json_object(model.out)["exit"] == 1);
  // Without --json, stdout stays empty.
  CHECK(dir.run({"info", dir / "missing.rbig"}).out.empty());
}
