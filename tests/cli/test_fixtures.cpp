// The model files in tests/fixtures/models, written by an earlier rbig with the commands listed
// in its README.md: the same commands must still write the same bytes (issue 13: a refactor must
// not change a model). The commands are read from the README, so that it cannot drift from the
// test.

#include "support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

const fs::path kFixtures = RBIG_FIXTURE_DIR;

struct FixtureCommand {
  std::string line;               // as written in the README
  std::string model;              // file name in tests/fixtures/models
  std::vector<std::string> args;  // for TempDir::run, writing the model into dir
};

// Each README line "$R fit data/X.csv -o $F/NAME.rbig OPTIONS...", with data/ made absolute and
// $F/ replaced by dir.
std::vector<FixtureCommand> fixture_commands(const TempDir& dir) {
  const std::string prefix = "$R fit ";
  std::vector<FixtureCommand> commands;
  for (const std::string& line : split(read_text(kFixtures / "README.md"), '\n')) {
    if (line.rfind(prefix, 0) != 0) continue;
    FixtureCommand command{line, "", {}};
    for (const std::string& word : split(line.substr(3), ' ')) {
      if (word.rfind("data/", 0) == 0) {
        command.args.push_back((kData / word.substr(5)).string());
      } else if (word.rfind("$F/", 0) == 0) {
        command.model = word.substr(3);
        command.args.push_back(dir / command.model);
      } else {
        command.args.push_back(word);
      }
    }
    commands.push_back(command);
  }
  return commands;
}

}  // namespace

TEST_CASE("fit: the same data, options and seed give the bytes of the committed fixture models") {
  TempDir dir;
  const std::vector<FixtureCommand> commands = fixture_commands(dir);
  // Every model in the folder has its command, and no command lacks its model.
  std::set<std::string> models;
  for (const fs::directory_entry& entry : fs::directory_iterator(kFixtures)) {
    if (entry.path().extension() == ".rbig") models.insert(entry.path().filename().string());
  }
  std::set<std::string> commanded;
  for (const FixtureCommand& command : commands) commanded.insert(command.model);
  CHECK(commanded == models);
  CHECK(commands.size() == 7);

  for (const FixtureCommand& command : commands) {
    INFO("fixture ", command.model, ": ", command.line);
    const Result fit = dir.run(command.args);
    INFO("stderr: ", fit.err);
    CHECK(fit.status == 0);
    const std::string written = read_text(dir / command.model);
    const std::string expected = read_text(kFixtures / command.model);
#ifdef RBIG_NATIVE_BUILD
    // -march=native fuses multiply-adds: the same fit with other last bits (CMakeLists.txt), so
    // only the status above is checked.
    continue;
#endif
    // The first differing byte, rather than two binary files, in the failure message.
    const auto mismatch =
        std::mismatch(written.begin(), written.end(), expected.begin(), expected.end());
    CHECK_MESSAGE(written == expected, "sizes ", written.size(), " and ", expected.size(),
                  " bytes, first difference at byte ", mismatch.first - written.begin());
  }
}
