// What a packaged rbig ships beside the program: bash completion of every command and option,
// the man page (when help2man was found at build time), the licence, a truthful data/README.md.

#include "support.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

const fs::path kSource = RBIG_SOURCE_DIR;

// The words bash completion offers for the command line `words` (the last one being completed).
std::set<std::string> complete(TempDir& dir, const std::vector<std::string>& words) {
  std::string array;
  for (const std::string& word : words) array += " " + shell_quote(word);
  const std::string script =
      "source " + shell_quote((kSource / "apps/completion/rbig.bash").string()) + "; COMP_WORDS=(" +
      array + "); COMP_CWORD=" + std::to_string(words.size() - 1) +
      "; _rbig; printf '%s\\n' \"${COMPREPLY[@]}\"";
  const std::string out = dir / "completion.txt";
  const int status =
      std::system(("bash -c " + shell_quote(script) + " >" + shell_quote(out) + " 2>&1").c_str());
  REQUIRE(status == 0);
  const std::vector<std::string> lines = split(read_text(out), '\n');
  return {lines.begin(), lines.end()};
}

// The subcommands listed by rbig --help, and the long options of one command's --help.
std::vector<std::string> help_commands(TempDir& dir) {
  const std::vector<std::string> lines = split(dir.run({"--help"}).out, '\n');
  std::vector<std::string> commands;
  bool in_list = false;
  for (const std::string& line : lines) {
    if (line.rfind("Subcommands:", 0) == 0) in_list = true;
    if (line.empty()) in_list = false;
    std::smatch match;
    if (in_list && std::regex_search(line, match, std::regex("^  ([a-z]+) "))) {
      commands.push_back(match[1]);
    }
  }
  return commands;
}

std::set<std::string> help_long_options(TempDir& dir, const std::string& command) {
  const std::string help = dir.run({command, "--help"}).out;
  std::set<std::string> options;
  const std::regex option("(^|\\n) +(-[a-z],)?(--[a-z][a-z0-9-]*)(,(--[a-z][a-z0-9-]*))?");
  for (std::sregex_iterator it(help.begin(), help.end(), option), end; it != end; ++it) {
    options.insert((*it)[3]);
    if ((*it)[5].matched) options.insert((*it)[5]);
  }
  return options;
}

}  // namespace

TEST_CASE("bash completion offers every command and every long option of each") {
  TempDir dir;
  const std::vector<std::string> commands = help_commands(dir);
  REQUIRE(commands.size() >= 10);
  const std::set<std::string> offered = complete(dir, {kExe, ""});
  for (const std::string& command : commands) CHECK_MESSAGE(offered.count(command) == 1, command);
  CHECK(complete(dir, {kExe, "fi"}) == std::set<std::string>{"fit"});
  for (const std::string& command : commands) {
    const std::set<std::string> options = help_long_options(dir, command);
    REQUIRE(options.count("--help") == 1);
    const std::set<std::string> completed = complete(dir, {kExe, command, "--"});
    for (const std::string& option : options) {
      CHECK_MESSAGE(completed.count(option) == 1, command, " ", option);
    }
  }
  CHECK(complete(dir, {kExe, "fit", "--rotation", ""}).count("pca") == 1);
}

#ifdef RBIG_MAN_PAGE
TEST_CASE("the man page is generated from --help and covers every command") {
  TempDir dir;
  const std::string page = read_text(RBIG_MAN_PAGE);
  REQUIRE(!page.empty());
  CHECK(contains(page, ".TH RBIG"));
  for (const std::string& command : help_commands(dir))
    CHECK_MESSAGE(contains(page, command), command);
  CHECK(contains(page, "\\-\\-validation\\-patience"));  // a subcommand's option
}
#endif

TEST_CASE("the licence is shipped and named in the README") {
  CHECK(contains(read_text(kSource / "LICENSE"), "MIT License"));
  CHECK(contains(read_text(kSource / "README.md"), "LICENSE"));
}

TEST_CASE("data/README.md lists only files that exist, and every CSV there") {
  const std::string readme = read_text(kSource / "data/README.md");
  std::set<std::string> listed;
  const std::regex row("\\n\\| ([A-Za-z0-9_.-]+\\.csv) \\|");
  for (std::sregex_iterator it(readme.begin(), readme.end(), row), end; it != end; ++it) {
    listed.insert((*it)[1]);
    CHECK_MESSAGE(fs::exists(kSource / "data" / (*it)[1].str()), (*it)[1].str());
  }
  for (const fs::directory_entry& entry : fs::directory_iterator(kSource / "data")) {
    if (entry.path().extension() == ".csv") {
      CHECK_MESSAGE(listed.count(entry.path().filename().string()) == 1, entry.path());
    }
  }
}
