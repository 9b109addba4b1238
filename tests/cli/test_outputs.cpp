// Output files: written atomically or not at all, and the same bytes for the same input.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("-o into a folder that does not exist is an error and creates nothing") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string missing = dir / "missing";
  const std::vector<std::vector<std::string>> commands = {
      {"fit", kFaithful, "-o", missing + "/m.rbig"},
      {"score", model, kFaithful, "-o", missing + "/s.csv"},
      {"sample", model, "-n", "5", "-o", missing + "/d.csv"},
      {"transform", model, kFaithful, "-o", missing + "/z.csv"}};
  for (const std::vector<std::string>& args : commands) {
    const Result r = dir.run(args);
    INFO(args[0], ": ", r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, "missing"));
    CHECK(!fs::exists(missing));
  }
}

TEST_CASE("a failing command leaves an existing output file byte-identical") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string before = read_text(model);
  const std::string bad = dir / "bad.csv";
  write_text(bad, "1,2\n3,abc\n");

  const Result fit = dir.run({"fit", bad, "-o", model});
  CHECK(fit.status == 1);
  CHECK(read_text(model) == before);

  const std::string scores = dir / "scores.csv";
  write_text(scores, "old contents\n");
  const Result score = dir.run({"score", model, bad, "-o", scores});
  CHECK(score.status == 1);
  CHECK(read_text(scores) == "old contents\n");

  // Nothing else (no temporary file) is left in the folder.
  CHECK(list_folder(dir.path()) ==
        std::vector<std::string>{".io", "bad.csv", "faithful.rbig", "scores.csv"});
}

TEST_CASE("the same input, options and seed give byte-identical outputs of every command") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::vector<std::vector<std::string>> commands = {
      {"score", model, kFaithful},
      {"transform", model, kFaithful},
      {"sample", model, "-n", "200", "--seed", "9"},
      {"tc", kFaithful, "--seed", "2", "--json"},
      {"entropy", kFaithful, "--rotation", "random", "--seed", "2", "--json"}};
  for (const std::vector<std::string>& args : commands) {
    const Result first = dir.run(args);
    const Result second = dir.run(args);
    INFO(args[0], ": ", first.err);
    REQUIRE(first.status == 0);
    CHECK(first.out == second.out);
    // -o gives the same bytes as stdout (JSON summaries excepted: they carry timings).
    if (args[0] == "tc" || args[0] == "entropy") continue;
    std::vector<std::string> to_file = args;
    to_file.insert(to_file.end(), {"-o", dir / "out.csv"});
    REQUIRE(dir.run(to_file).status == 0);
    CHECK(read_text(dir / "out.csv") == first.out);
  }
}

TEST_CASE("-o naming an input file is refused before any work, whatever its spelling") {
  TempDir dir;
  const std::string data = dir / "data.csv";
  write_text(data, read_text(kFaithful));
  const std::string model = fit_faithful(dir);
  const std::string model_bytes = read_text(model);
  const std::string link = dir / "link.csv";
  fs::create_symlink(data, link);
  const std::string dotted = (dir.path() / "." / "data.csv").string();
  const std::vector<std::vector<std::string>> commands = {
      {"fit", data, "-o", data},
      {"fit", data, "-o", link},
      {"score", model, data, "-o", dotted},
      {"score", model, data, "-o", model},
      {"transform", model, data, "-o", link},
      {"inverse", model, data, "-o", model},
      {"sample", model, "-n", "5", "-o", model},
  };
  for (const std::vector<std::string>& args : commands) {
    const Result r = dir.run(args);
    INFO(args[0], " -o ", args.back(), ": ", r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, "the output is also the input"));
  }
  CHECK(read_text(data) == read_text(kFaithful));  // both inputs untouched
  CHECK(read_text(model) == model_bytes);
}
