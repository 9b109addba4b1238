// Messages that help: a mistyped command, --bins auto everywhere, a wrong delimiter, options that
// another option makes inert, a validation split too small to choose anything, --version.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("a mistyped command is named, with the command it probably meant") {
  TempDir dir;
  check_fails(dir, {"fitt", kFaithful, "-o", dir / "m.rbig"}, 2,
              {"unknown command 'fitt'; did you mean 'fit'?", "rbig --help"});
  check_fails(dir, {"sampel", "m.rbig", "-n", "3"}, 2, {"did you mean 'sample'?"});
  check_fails(dir, {"ifno"}, 2, {"did you mean 'info'?"});
  const Result far = dir.run({"xyzzy"});
  CHECK(far.status == 2);
  CHECK(contains(far.err, "unknown command 'xyzzy' (commands: fit, "));
  CHECK(!contains(far.err, "did you mean"));
  CHECK(!fs::exists(dir / "m.rbig"));
}

TEST_CASE("a field holding another delimiter suggests --delimiter") {
  TempDir dir;
  std::string tsv = read_text(kFaithful);
  for (char& c : tsv) c = c == ',' ? '\t' : c;
  write_text(dir / "faithful.tsv", tsv);
  check_fails(dir, {"fit", dir / "faithful.tsv", "-o", dir / "m.rbig"}, 1,
              {"faithful.tsv:2:1: expected a number, got \"3.6\\t79\"", "--delimiter tab"});
  CHECK(dir.run({"fit", dir / "faithful.tsv", "-o", dir / "m.rbig", "--delimiter", "tab", "-q"})
            .status == 0);
  std::string semicolons = read_text(kFaithful);
  for (char& c : semicolons) c = c == ',' ? ';' : c;
  write_text(dir / "semi.csv", semicolons);
  check_fails(dir, {"entropy", dir / "semi.csv"}, 1, {"semi.csv:2:1", "--delimiter ';'"});
  // A plain non-number gets no hint.
  write_text(dir / "bad.csv", "a,b\n1,2\n3,abc\n");
  const Result bad = dir.run({"entropy", dir / "bad.csv"});
  CHECK(bad.status == 1);
  CHECK(!contains(bad.err, "--delimiter"));
}

TEST_CASE("an option that another option makes inert draws a warning naming both") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const Result layers = dir.run(
      {"fit", kFaithful, "-o", model, "--layers", "10", "--validation", "0.2", "--tol", "0.01"});
  REQUIRE(layers.status == 0);
  CHECK(contains(layers.err, "warning: --validation is ignored with --layers"));
  CHECK(contains(layers.err, "warning: --tol is ignored with --layers"));
  const Result damped =
      dir.run({"fit", kFaithful, "-o", model, "--damping", "0.3", "--validation", "0"});
  REQUIRE(damped.status == 0);
  CHECK(contains(damped.err, "warning: --damping 0.3 without validation"));
  const Result held_out = dir.run(
      {"fit", kFaithful, "-o", model, "--marginal", "kde", "--damping", "1", "--patience", "5"});
  REQUIRE(held_out.status == 0);
  CHECK(contains(held_out.err, "warning: --patience is ignored when held-out rows choose"));
  const Result patience =
      dir.run({"fit", kFaithful, "-o", model, "--validation", "0", "--validation-patience", "4"});
  REQUIRE(patience.status == 0);
  CHECK(contains(patience.err, "--validation-patience is ignored with --validation 0"));
  // The default fit uses each option it is given: no warning.
  const Result plain = dir.run({"fit", kFaithful, "-o", model, "--validation", "0.2"});
  REQUIRE(plain.status == 0);
  CHECK(!contains(plain.err, "warning"));
}

TEST_CASE("a fit whose validation split is a handful of rows is warned about") {
  TempDir dir;
  const std::vector<std::string> lines = split(read_text(kFaithful), '\n');
  std::string small;
  for (std::size_t i = 0; i <= 5; ++i) small += lines[i] + "\n";  // header and 5 rows
  write_text(dir / "five.csv", small);
  const Result r = dir.run({"fit", dir / "five.csv", "-o", dir / "m.rbig"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  CHECK(
      contains(r.err, "warning: the depth and the method are chosen on 1 held-out row (0.1 of 5)"));
  // faithful.csv holds out 27 rows: no warning.
  CHECK(!contains(dir.run({"fit", kFaithful, "-o", dir / "m.rbig"}).err, "held-out row"));
}

TEST_CASE("--version names the model file format written and read") {
  TempDir dir;
  const Result r = dir.run({"--version"});
  REQUIRE(r.status == 0);
  const std::vector<std::string> lines = split(r.out, '\n');
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("rbig ", 0) == 0);
  CHECK(lines[1].rfind("model file format ", 0) == 0);
  CHECK(contains(lines[1], "(reads "));
}
