// Unix habits: -o - is standard output, one rule for summaries, -q, headers that follow the input,
// text lines that fit a terminal.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

// faithful.csv without its header line.
std::string headerless_faithful(TempDir& dir) {
  const std::string text = read_text(kFaithful);
  const std::string path = dir / "bare.csv";
  write_text(path, text.substr(text.find('\n') + 1));
  return path;
}

// faithful.csv mapped to the latent space of model, as the input of inverse.
std::string latent_faithful(TempDir& dir, const std::string& model) {
  const std::string latent = dir / "z.csv";
  REQUIRE(dir.run({"transform", model, kFaithful, "-o", latent, "-q"}).status == 0);
  return latent;
}

}  // namespace

TEST_CASE("-o - writes the result to standard output, and no file named -") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::vector<std::vector<std::string>> commands = {
      {"score", model, kFaithful},
      {"transform", model, kFaithful},
      {"sample", model, "-n", "50", "--seed", "3"}};
  for (const std::vector<std::string>& args : commands) {
    std::vector<std::string> dash = args;
    dash.insert(dash.end(), {"-o", "-"});
    const Result plain = dir.run(args);
    const Result r = dir.run(dash);
    INFO(args[0], ": ", r.err);
    REQUIRE(r.status == 0);
    CHECK(!r.out.empty());
    CHECK(r.out == plain.out);
    CHECK(!fs::exists(dir / "-"));
  }
  // fit -o -: the model bytes, exactly those of -o FILE, and no summary mixed in.
  const Result fit = dir.run({"fit", kFaithful, "-o", "-", "--seed", "4"});
  REQUIRE(fit.status == 0);
  REQUIRE(dir.run({"fit", kFaithful, "-o", dir / "f.rbig", "--seed", "4", "-q"}).status == 0);
  CHECK(fit.out == read_text(dir / "f.rbig"));
  CHECK(!fs::exists(dir / "-"));
}

TEST_CASE("--json and -o - cannot share standard output") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"fit", kFaithful, "-o", "-", "--json"},
        std::vector<std::string>{"score", model, kFaithful, "-o", "-", "--json"}}) {
    const Result r = dir.run(args);
    INFO(args[0], ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--json"));
    CHECK(contains(r.err, "-o -"));
  }
}

TEST_CASE("one rule: a result written to -o FILE gets one summary line on stdout, naming it") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string out = dir / "out.csv";
  const std::string latent = latent_faithful(dir, model);
  const std::vector<std::vector<std::string>> commands = {
      {"score", model, kFaithful, "-o", out},
      {"transform", model, kFaithful, "-o", out},
      {"inverse", model, latent, "-o", out},
      {"sample", model, "-n", "20", "-o", out}};
  for (const std::vector<std::string>& args : commands) {
    const Result r = dir.run(args);
    INFO(args[0], ": ", r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.rfind("wrote " + out + ": ", 0) == 0);
    CHECK(split(r.out, '\n').size() == 1);
    CHECK(r.err.empty());
  }
}

TEST_CASE("-q prints nothing but errors and the result asked for") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string out = dir / "out.csv";
  const std::string latent = latent_faithful(dir, model);
  const std::vector<std::vector<std::string>> commands = {
      // --bins with kde and --damping without validation draw warnings without -q.
      {"fit", kFaithful, "-o", dir / "q.rbig", "--marginal", "kde", "--bins", "9", "-q"},
      {"fit", kFaithful, "-o", dir / "q.rbig", "--damping", "0.5", "--validation", "0", "-q"},
      {"score", model, kFaithful, "-o", out, "-q"},
      {"transform", model, kFaithful, "-o", out, "-q"},
      {"inverse", model, latent, "-o", out, "--quiet"},
      {"sample", model, "-n", "20", "-o", out, "-q"}};
  for (const std::vector<std::string>& args : commands) {
    const Result r = dir.run(args);
    INFO(args[0], ": ", r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
  }
  // The same fits without -q do talk: the commands above did have something to silence.
  const Result loud =
      dir.run({"fit", kFaithful, "-o", dir / "q.rbig", "--marginal", "kde", "--bins", "9"});
  CHECK(contains(loud.err, "warning"));
  CHECK(contains(loud.out, "wrote"));
  // Errors are still printed, and --json still answers.
  const Result error = dir.run({"score", model, dir / "missing.csv", "-q"});
  CHECK(error.status == 1);
  CHECK(contains(error.err, "missing.csv"));
  const Result json = dir.run({"fit", kFaithful, "-o", dir / "j.rbig", "-q", "--json"});
  REQUIRE(json.status == 0);
  CHECK(parse_json_object(json.out).contains("layers"));
}

TEST_CASE("transform and inverse keep the input's header, and write none when it had none") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result headed = dir.run({"transform", model, kFaithful});
  REQUIRE(headed.status == 0);
  CHECK(parse_csv(headed.out).header == split(split(read_text(kFaithful), '\n')[0], ','));

  const std::string bare = headerless_faithful(dir);
  const Result plain = dir.run({"transform", model, bare});
  INFO("stderr: ", plain.err);
  REQUIRE(plain.status == 0);
  // Every line is data: the same rows as the headed output, without its first line.
  CHECK(plain.out == headed.out.substr(headed.out.find('\n') + 1));
  CHECK(parse_csv(plain.out).rows.size() == static_cast<std::size_t>(kFaithfulRows));
  write_text(dir / "z.csv", plain.out);
  const Result back = dir.run({"inverse", model, dir / "z.csv"});
  REQUIRE(back.status == 0);
  CHECK(parse_csv(back.out).rows.size() == static_cast<std::size_t>(kFaithfulRows));
}

TEST_CASE("fit's summary lines fit in 100 columns, also with every candidate's score") {
  TempDir dir;
  const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig"});
  REQUIRE(r.status == 0);
  CHECK(contains(r.out, "chosen on the validation rows"));  // the long message is there
  // Lines that name the temporary folder are as long as its path; the others must fit.
  for (const std::string& line : split(r.out, '\n')) {
    INFO(line);
    if (line.rfind("wrote ", 0) != 0) CHECK(line.size() <= 100);
  }
  const Result info = dir.run({"info", dir / "m.rbig"});
  REQUIRE(info.status == 0);
  for (const std::string& line : split(info.out, '\n')) {
    INFO(line);
    if (line.rfind("model ", 0) != 0) CHECK(line.size() <= 100);
  }
}
