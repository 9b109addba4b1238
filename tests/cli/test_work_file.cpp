// rbig fit --work-file: the data and the fit's matrices in memory-mapped files give the same
// model bytes as the fit in memory; the files are gone afterwards; bad paths fail naming them.

#include "support.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <csignal>
#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

/// Fits data into dir/name with args, optionally through the work file dir/work; returns the
/// model's bytes.
std::string fit_bytes(TempDir& dir, const std::string& data, const std::string& name,
                      std::vector<std::string> args, bool work_file) {
  std::vector<std::string> command = {"fit", data, "-o", dir / name, "-q"};
  command.insert(command.end(), args.begin(), args.end());
  if (work_file) command.insert(command.end(), {"--work-file", dir / "work"});
  const Result r = dir.run(command);
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  return read_text(dir / name);
}

}  // namespace

TEST_CASE("--work-file: the same model bytes as the fit in memory, and no file left") {
  TempDir dir;
  // The default fit (validation split, model selection, refit) and a few fixed configurations.
  const std::vector<std::vector<std::string>> configurations = {
      {"--seed", "5"},
      {"--marginal", "histogram", "--rotation", "random", "--validation", "0"},
      {"--marginal", "spline", "--damping", "0.5", "--rotation", "pursuit", "--max-layers", "6"},
      {"--marginal", "kde", "--damping", "1", "--rotation", "ica", "--layers", "3"},
      {"--marginal", "kde", "--damping", "1", "--mixture", "--max-layers", "6"}};
  for (const auto& args : configurations) {
    CAPTURE(args);
    const std::string memory = fit_bytes(dir, kFaithful, "memory.rbig", args, false);
    const std::string mapped = fit_bytes(dir, kFaithful, "mapped.rbig", args, true);
    CHECK(memory == mapped);
    CHECK(list_folder(dir.path()) == std::vector<std::string>{".io", "mapped.rbig", "memory.rbig"});
  }
}

TEST_CASE("--work-file: NPY input and --drop-missing read into the work file as in memory") {
  TempDir dir;
  // A CSV with a header, a comment, a blank line and a missing value.
  std::string csv = "a,b\n# comment\n\n";
  const std::string text = read_text(kFaithful);
  csv += text.substr(text.find('\n') + 1);
  csv += "1.5,NA\n";
  write_text(dir / "data.csv", csv);
  const std::vector<std::string> args = {
      "--drop-missing", "--marginal", "histogram", "--damping", "1", "--max-layers", "5"};
  CHECK(fit_bytes(dir, dir / "data.csv", "memory.rbig", args, false) ==
        fit_bytes(dir, dir / "data.csv", "mapped.rbig", args, true));
  // An NPY file (C order, float64), written by rbig sample.
  const Result sample =
      dir.run({"sample", dir / "memory.rbig", "-n", "300", "--seed", "2", "-o", dir / "rows.npy"});
  REQUIRE(sample.status == 0);
  CHECK(fit_bytes(dir, dir / "rows.npy", "memory2.rbig", args, false) ==
        fit_bytes(dir, dir / "rows.npy", "mapped2.rbig", args, true));
}

TEST_CASE("--work-file: a path that cannot be created fails naming it, with no model") {
  TempDir dir;
  check_fails(dir, {"fit", kFaithful, "-o", dir / "m.rbig", "--work-file", dir / "missing/work"}, 1,
              {"missing/work", "cannot create the work file", "No such file or directory"});
  CHECK(list_folder(dir.path()) == std::vector<std::string>{".io"});
}

TEST_CASE("--work-file: an existing file that is not a work file is refused and kept") {
  TempDir dir;
  write_text(dir / "notes.txt", "keep me\n");
  check_fails(dir, {"fit", kFaithful, "-o", dir / "m.rbig", "--work-file", dir / "notes.txt"}, 1,
              {"notes.txt", "is not an rbig work file"});
  CHECK(read_text(dir / "notes.txt") == "keep me\n");
  CHECK(list_folder(dir.path()) == std::vector<std::string>{".io", "notes.txt"});
}

TEST_CASE("--work-file: combinations it cannot serve are errors naming --work-file") {
  TempDir dir;
  check_fails(dir, {"fit", kFaithful, "-o", dir / "m.rbig", "--work-file", dir / "w", "--radial"},
              1, {"--work-file", "--radial"});
  check_fails(dir,
              {"fit", kFaithful, "-o", dir / "m.rbig", "--work-file", dir / "w", "--dequantize"}, 1,
              {"--work-file", "--dequantize"});
  check_fails(dir, {"fit", "-", "-o", dir / "m.rbig", "--work-file", dir / "w"}, 1,
              {"--work-file", "standard input"});
  check_fails(dir, {"fit", kFaithful, "-o", dir / "w.work", "--work-file", dir / "w"}, 1,
              {"--work-file", "choose another path"});
  CHECK(list_folder(dir.path()) == std::vector<std::string>{".io"});
}

TEST_CASE("--work-file: a fit stopped by SIGTERM removes its work files and writes no model") {
  TempDir dir;
  // An endless fit (no stopping rule): only the signal ends it.
  const std::vector<std::string> args = {"fit",          (kData / "breast_cancer.csv").string(),
                                         "-o",           dir / "m.rbig",
                                         "--tol",        "0",
                                         "--max-layers", "1000000",
                                         "--patience",   "1000000",
                                         "--validation", "0",
                                         "-q",           "--work-file",
                                         dir / "w"};
  const int raw = run_and_signal(args, SIGTERM);
  REQUIRE(WIFEXITED(raw));
  CHECK(WEXITSTATUS(raw) == 128 + SIGTERM);
  CHECK(list_folder(dir.path()).empty());
}
