// Column selections of mi: numbered from 1 like every message about a column, or named.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

double mi(TempDir& dir, const std::vector<std::string>& selection,
          const std::string& key = "mutual_information") {
  std::vector<std::string> args = {"mi", (kData / "iris.csv").string(), "--json"};
  args.insert(args.end(), selection.begin(), selection.end());
  const Result r = dir.run(args);
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  return parse_json_object(r.out)[key].get<double>();
}

}  // namespace

TEST_CASE("mi: header names select the same columns as their 1-based numbers") {
  TempDir dir;
  const double numbered = mi(dir, {"--x", "1,2", "--y", "3-4"});
  CHECK(mi(dir, {"--x", "sepal_length,sepal_width", "--y", "petal_length,petal_width"}) ==
        numbered);
  CHECK(mi(dir, {"--x", "1,sepal_width", "--y", "3-4"}) == numbered);
  const double conditional =
      mi(dir, {"--x", "1", "--y", "2", "--z", "4"}, "conditional_mutual_information");
  CHECK(mi(dir, {"--x", "sepal_length", "--y", "sepal_width", "--z", "petal_width"},
           "conditional_mutual_information") == conditional);
}

TEST_CASE("mi: a column that does not exist is named with the file's numbering and names") {
  TempDir dir;
  const std::string iris = (kData / "iris.csv").string();
  check_fails(dir, {"mi", iris, "--x", "0", "--y", "1"}, 2,
              {"--x", "column \"0\" does not exist", "iris.csv has 4 columns, numbered 1 to 4"});
  check_fails(dir, {"mi", iris, "--x", "1", "--y", "5"}, 2, {"--y", "numbered 1 to 4"});
  check_fails(dir, {"mi", iris, "--x", "sepal_lenght", "--y", "1"}, 2,
              {"--x", "no column named \"sepal_lenght\"", "\"sepal_length\", \"sepal_width\""});
  // Without a header there are no names to use.
  const std::string text = read_text(iris);
  write_text(dir / "bare.csv", text.substr(text.find('\n') + 1));
  check_fails(dir, {"mi", dir / "bare.csv", "--x", "sepal_length", "--y", "2"}, 2,
              {"--x", "bare.csv has no header"});
}
