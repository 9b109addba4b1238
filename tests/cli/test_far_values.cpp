// score gives a finite log-density for every finite input, up to ±DBL_MAX (issue 15, item 10):
// 1e307 on a histogram model and ±1.797e308 on kde and spline models were "no finite result".

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("score is finite for values up to ±DBL_MAX with every marginal and the default fit") {
  TempDir dir;
  const std::string far = dir / "far.csv";
  write_text(far,
             "a,b\n1e307,70\n1.797e308,70\n-1.797e308,70\n3,1.7976931348623157e308\n"
             "-1.7976931348623157e308,-1.7976931348623157e308\n-1e-320,5e-324\n");
  // The marginals' tails (--no-mixture), a kept mixture first layer's tail (the histogram fit of
  // faithful keeps one by default, checked below) and the default fit.
  const std::vector<std::vector<std::string>> fits = {
      {"--marginal", "histogram", "--damping", "1", "--no-mixture"},
      {"--marginal", "kde", "--damping", "1", "--no-mixture"},
      {"--marginal", "spline", "--damping", "1", "--no-mixture"},
      {"--marginal", "kde", "--damping", "0.3", "--no-mixture"},
      {"--marginal", "histogram", "--damping", "1"},
      {}};  // the default: model selection
  for (const std::vector<std::string>& options : fits) {
    const std::string model = dir / "m.rbig";
    std::vector<std::string> args = {"fit", kFaithful, "-o", model, "-q"};
    args.insert(args.end(), options.begin(), options.end());
    REQUIRE(dir.run(args).status == 0);
    if (options.size() == 4) {  // the mixture's own tail is the subject: it must be kept
      const Result info = dir.run({"info", model, "--json"});
      REQUIRE(info.status == 0);
      REQUIRE(parse_json_object(info.out)["options"].value("mixture", false));
    }
    const Result r = dir.run({"score", model, far});
    INFO("fit options: ",
         options.empty()
             ? "default"
             : options[1] + " " + options[3] + (options.size() == 4 ? " (mixture kept)" : ""),
         "\nstderr: ", r.err, "\nstdout: ", r.out);
    REQUIRE(r.status == 0);
    CHECK(all_finite(r.out));
    CHECK(parse_csv(r.out).rows.size() == 6);
  }
}
