// Top-level usage: --version, --help, each subcommand's help, a missing subcommand.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("--version prints the program name and version") {
  TempDir dir;
  const Result r = dir.run({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("rbig ", 0) == 0);
  CHECK(r.err.empty());
}

TEST_CASE("--help lists every subcommand and the exit codes") {
  TempDir dir;
  const Result r = dir.run({"--help"});
  CHECK(r.status == 0);
  for (const char* command : {"fit", "score", "sample", "transform", "inverse", "info", "report"}) {
    CHECK_MESSAGE(contains(r.out, command), command);
  }
  CHECK(contains(r.out, "Exit status"));
  CHECK(contains(r.out, "130"));
}

TEST_CASE("each subcommand's help has an example invocation") {
  TempDir dir;
  for (const char* command : {"fit", "score", "sample", "transform", "inverse", "info", "report"}) {
    const Result r = dir.run({command, "--help"});
    INFO(command, ": ", r.out);
    CHECK(r.status == 0);
    CHECK(contains(r.out, "Example:"));
    CHECK(contains(r.out, std::string("rbig ") + command + " "));
  }
  const Result fit = dir.run({"fit", "--help"});
  for (const char* option :
       {"--rotation", "--max-layers", "--tol", "--bins", "--patience", "--seed", "--json",
        "--quiet", "--header", "--no-header", "pca|random"}) {
    CHECK_MESSAGE(contains(fit.out, option), option);
  }
}

TEST_CASE("no subcommand is a usage error") {
  TempDir dir;
  const Result r = dir.run({});
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(!r.err.empty());
}
