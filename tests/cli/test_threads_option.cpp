// --threads on every command that computes: the same output at every count, and a count that
// is not a whole number ≥ 0 is a usage error.

#include "support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>

#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("--threads: score, transform, sample and entropy give the same output at 1 and 2") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::vector<std::vector<std::string>> commands = {
      {"score", model, kFaithful},
      {"transform", model, kFaithful},
      {"sample", model, "-n", "300", "--seed", "4"},
      {"entropy", kFaithful, "--json"}};
  for (const auto& command : commands) {
    CAPTURE(command[0]);
    std::vector<std::string> one = command;
    one.insert(one.end(), {"--threads", "1"});
    std::vector<std::string> two = command;
    two.insert(two.end(), {"--threads", "2"});
    const Result a = dir.run(one);
    const Result b = dir.run(two);
    INFO("stderr: ", a.err, b.err);
    REQUIRE(a.status == 0);
    REQUIRE(b.status == 0);
    CHECK(a.out == b.out);
    CHECK(!a.out.empty());
  }
}

TEST_CASE("--threads: a negative or non-numeric count is a usage error naming the option") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  for (const char* bad : {"-1", "two"}) {
    const Result r = dir.run({"score", model, kFaithful, "--threads", bad});
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--threads"));
  }
}

TEST_CASE("RBIG_LOAD_AWARE: 0 gives the same output, anything but 0 or 1 is a usage error") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result aware = dir.run({"score", model, kFaithful, "--threads", "2"});
  ::setenv("RBIG_LOAD_AWARE", "0", 1);
  const Result always = dir.run({"score", model, kFaithful, "--threads", "2"});
  ::setenv("RBIG_LOAD_AWARE", "yes", 1);
  const Result bad = dir.run({"score", model, kFaithful});
  ::unsetenv("RBIG_LOAD_AWARE");
  REQUIRE(aware.status == 0);
  REQUIRE(always.status == 0);
  CHECK(aware.out == always.out);
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "RBIG_LOAD_AWARE"));
  CHECK(contains(bad.err, "'yes'"));
  CHECK(bad.out.empty());
}
