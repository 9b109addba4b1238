// The fits behind `rbig entropy | tc | mi | kld --json` (docs/json.md): layers, stop reasons and
// per-layer information that add up to the printed estimate, and the fit options the measures
// accept.

#include "support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

const std::string kIris = (kData / "iris.csv").string();

nlohmann::json run_json(TempDir& dir, const std::vector<std::string>& args) {
  const Result r = dir.run(args);
  INFO("rbig ", args[0], ": ", r.err);
  REQUIRE(r.status == 0);
  return parse_json_object(r.out);
}

bool close(double a, double b) { return std::abs(a - b) <= 1e-9 * (1.0 + std::abs(b)); }

// Each fit's layers add up to its total correlation, the fits (by weight) and the other terms
// to the estimate, and the layer counts to "layers".
void check_fits_add_up(const nlohmann::json& json, const std::string& key) {
  INFO(json.dump());
  const std::set<std::string> stops{"converged", "max_layers", "observer", "validation"};
  double sum = json["other_terms"].get<double>();
  std::size_t layers = 0;
  REQUIRE(json["fits"].is_array());
  for (const nlohmann::json& fit : json["fits"]) {
    const auto& info = fit["info_reduction"];
    CHECK(info.size() == fit["layers"].get<std::size_t>());
    double per_layer = 0.0;
    for (const auto& value : info) per_layer += value.get<double>();
    CHECK(close(per_layer, fit["total_correlation"].get<double>()));
    CHECK(stops.count(fit["stop"].get<std::string>()) == 1);
    CHECK(!fit["stop_message"].get<std::string>().empty());
    CHECK(fit["dims"].get<int>() >= 1);
    CHECK(fit["radial_layers"].get<int>() <= fit["layers"].get<int>());
    sum += fit["weight"].get<double>() * fit["total_correlation"].get<double>();
    layers += fit["layers"].get<std::size_t>();
  }
  CHECK(close(sum, json[key].get<double>()));
  CHECK(json["layers"].get<std::size_t>() == layers);
}

std::vector<double> weights(const nlohmann::json& json) {
  std::vector<double> out;
  for (const nlohmann::json& fit : json["fits"]) out.push_back(fit["weight"].get<double>());
  return out;
}

}  // namespace

TEST_CASE("tc --json: one fit of the data whose layers sum to the total correlation") {
  TempDir dir;
  const nlohmann::json json = run_json(dir, {"tc", kFaithful, "--json"});
  check_fits_add_up(json, "total_correlation");
  REQUIRE(json["fits"].size() == 1);
  const nlohmann::json& fit = json["fits"][0];
  CHECK(fit["role"] == "x");
  CHECK(fit["n"] == json["n"]);
  CHECK(fit["dims"] == json["dims"]);
  CHECK(json["other_terms"].get<double>() == 0.0);
  CHECK(fit["layers"].get<int>() >= 1);
  // In bits every information number is divided by ln 2, and still adds up.
  const nlohmann::json bits = run_json(dir, {"tc", kFaithful, "--json", "--bits"});
  check_fits_add_up(bits, "total_correlation");
  CHECK(close(bits["fits"][0]["info_reduction"][0].get<double>(),
              fit["info_reduction"][0].get<double>() / std::log(2.0)));
}

TEST_CASE("entropy, mi, mi --z and kld --json: the fits add up to the estimate") {
  TempDir dir;
  const nlohmann::json entropy = run_json(dir, {"entropy", kIris, "--json"});
  check_fits_add_up(entropy, "entropy");
  CHECK(weights(entropy) == std::vector<double>{-1.0});  // H = Σ H(Z_d) − T − log|det W|

  const nlohmann::json mi = run_json(dir, {"mi", kIris, "--x", "1,2", "--y", "3,4", "--json"});
  check_fits_add_up(mi, "mutual_information");
  CHECK(weights(mi) == std::vector<double>{0.0, 0.0, 1.0});  // G_X, G_Y, then T of both
  CHECK(mi["fits"][2]["dims"] == mi["dims"]);
  CHECK(mi["other_terms"].get<double>() == 0.0);

  const nlohmann::json conditional =
      run_json(dir, {"mi", kIris, "--x", "1", "--y", "2", "--z", "3,4", "--json"});
  check_fits_add_up(conditional, "conditional_mutual_information");
  CHECK(conditional["fits"].size() == 6);  // I(X;Y,Z) and I(X;Z), three fits each

  const nlohmann::json kld = run_json(dir, {"kld", kIris, kIris, "--json"});
  check_fits_add_up(kld, "kl_divergence");
  CHECK(kld["fits"][0]["role"] == "q");
  CHECK(kld["fits"][0]["weight"].get<double>() == 0.0);  // Q's Gaussianizer: a map only
  CHECK(kld["fits"][0]["n"] == kld["n_q"]);
}

TEST_CASE(
    "mi --radial estimates T(X,Y) - T(X) - T(Y) and chooses radial layers for a shared "
    "scale") {
  // X, Y: the two halves of a 6-D Student-t with one degree of freedom, uncorrelated and
  // dependent only through the shared scale w = 1/|g0|.
  TempDir dir;
  std::mt19937_64 engine(7);
  std::normal_distribution<double> normal;
  std::string csv = "x1,x2,x3,y1,y2,y3\n";
  for (int row = 0; row < 1500; ++row) {
    const double w = 1.0 / std::abs(normal(engine));
    for (int col = 0; col < 6; ++col) {
      csv += std::to_string(w * normal(engine)) + (col < 5 ? "," : "\n");
    }
  }
  write_text(dir / "t.csv", csv);
  const nlohmann::json radial =
      run_json(dir, {"mi", dir / "t.csv", "--x", "1-3", "--y", "4-6", "--radial", "--json"});
  check_fits_add_up(radial, "mutual_information");
  REQUIRE(weights(radial) == std::vector<double>{1.0, -1.0, -1.0});
  CHECK(radial["fits"][0]["role"] == "x,y");
  CHECK(radial["fits"][0]["radial_layers"].get<int>() >= 1);  // the joint t is elliptical
  // Without --radial no fit has a radial layer.
  const nlohmann::json plain =
      run_json(dir, {"mi", dir / "t.csv", "--x", "1-3", "--y", "4-6", "--json"});
  for (const nlohmann::json& fit : plain["fits"]) CHECK(fit["radial_layers"].get<int>() == 0);
}

TEST_CASE("measures accept the fit options that apply to them") {
  TempDir dir;
  const nlohmann::json two = run_json(dir, {"tc", kFaithful, "--layers", "2", "--json"});
  CHECK(two["fits"][0]["layers"].get<int>() == 2);
  check_fits_add_up(two, "total_correlation");
  // --marginal histogram uses --bins: a different bin count reads a different estimate.
  const nlohmann::json coarse = run_json(
      dir, {"tc", kFaithful, "--marginal", "histogram", "--bins", "12", "--layers", "1", "--json"});
  const nlohmann::json fine = run_json(
      dir, {"tc", kFaithful, "--marginal", "histogram", "--bins", "60", "--layers", "1", "--json"});
  CHECK(coarse["total_correlation"] != fine["total_correlation"]);
  // --bins without the histogram marginal is said to be ignored, as in fit.
  const Result ignored = dir.run({"tc", kFaithful, "--bins", "20"});
  CHECK(ignored.status == 0);
  CHECK(contains(ignored.err, "warning: --bins is ignored with --marginal kde"));
  const Result bad = dir.run({"entropy", kFaithful, "--marginal", "nope"});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "--marginal"));
  const Result help = dir.run({"mi", "--help"});
  for (const char* option :
       {"--marginal", "--rotation", "--radial", "--layers", "--max-layers", "--tol", "--patience",
        "--gaussian-fallback", "--bins", "--bandwidth", "--seed"}) {
    CHECK_MESSAGE(contains(help.out, option), option);
  }
}
