#include <rbig/error.hpp>
#include <rbig/model.hpp>
#include <rbig/options.hpp>

#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace rbig;

TEST_CASE("error: InputError keeps path, line, column and reason beside the located message") {
  const InputError cell("data.csv", 12, 3, "expected a number, got \"abc\"");
  CHECK(std::string(cell.what()) == "data.csv:12:3: expected a number, got \"abc\"");
  CHECK(cell.path() == "data.csv");
  CHECK(cell.line() == 12);
  CHECK(cell.column() == 3);
  CHECK(cell.reason() == "expected a number, got \"abc\"");
  const InputError line("data.csv", 1, 0, "no data rows after the header");
  CHECK(std::string(line.what()) == "data.csv:1: no data rows after the header");
  CHECK(line.reason() == "no data rows after the header");
  // A whole column: its number is part of the location, the reason is what is true of it.
  const InputError column("training data", 0, 3, "is constant (every value is 5)");
  CHECK(std::string(column.what()) == "training data: column 3 is constant (every value is 5)");
  CHECK(column.column() == 3);
  CHECK(column.reason() == "is constant (every value is 5)");
  const InputError file("data.csv", 0, 0, "no data rows");
  CHECK(std::string(file.what()) == "data.csv: no data rows");
  CHECK(file.reason() == "no data rows");
}

TEST_CASE("error: OptionError(field, reason) reads field: reason and keeps both parts") {
  const OptionError split("bins", "must be at least 2 (got 1)");
  CHECK(std::string(split.what()) == "bins: must be at least 2 (got 1)");
  CHECK(split.field() == "bins");
  CHECK(split.reason() == "must be at least 2 (got 1)");
  // One string: no field apart, the reason is the whole message.
  const OptionError whole("sample: n must be at least 0 (got -1)");
  CHECK(std::string(whole.what()) == "sample: n must be at least 0 (got -1)");
  CHECK(whole.field().empty());
  CHECK(whole.reason() == whole.what());
}

TEST_CASE("error: option checks name their field as data, not only in the message") {
  FitOptions options;
  options.bins = 1;
  try {
    options.validate();
    FAIL("validate() accepted --bins 1");
  } catch (const OptionError& e) {
    CHECK(e.field() == "bins");
    CHECK(e.reason() == "must be between 2 and 100000 (got 1)");
  }
  try {
    parse_rotation_kind("ica2");
    FAIL("parse_rotation_kind accepted ica2");
  } catch (const OptionError& e) {
    CHECK(e.field() == "rotation");
    CHECK(e.reason() == "unknown name \"ica2\" (valid: pca, random, ica, pursuit, sliced)");
  }
}

TEST_CASE("error: fit reports a constant column through column(), not only in the text") {
  Matrix x = test::ring_sample(100, 7);
  x.col(1).setConstant(2.5);
  try {
    Model::fit(x, FitOptions{});
    FAIL("fit accepted a constant column");
  } catch (const InputError& e) {
    CHECK(e.path() == "training data");
    CHECK(e.line() == 0);
    CHECK(e.column() == 2);
    CHECK(e.reason() == "is constant (every value is 2.5): it has no density to model; remove it");
    CHECK(std::string(e.what()) ==
          "training data: column 2 is constant (every value is 2.5): it has no density to model; "
          "remove it");
  }
}
