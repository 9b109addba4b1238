#include <rbig/error.hpp>
#include <rbig/io.hpp>

#include "support/files.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <stdexcept>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace {

namespace fs = std::filesystem;

using rbig::test::read_bytes;
using rbig::test::ScratchDir;
using rbig::test::write_bytes;

/// File names in a directory, sorted: shows a leftover temporary file.
std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("atomic file: writes the content and leaves no temporary file") {
  const ScratchDir dir;
  const fs::path target = dir.path() / "out.csv";
  rbig::write_file_atomically(target, [](std::ostream& out) { out << "a\n1\n"; });
  CHECK(read_bytes(target) == "a\n1\n");
  CHECK(listing(dir.path()) == std::vector<std::string>{"out.csv"});
}

TEST_CASE("atomic file: replaces an existing file and keeps its permissions") {
  const ScratchDir dir;
  const fs::path target = dir.path() / "out.csv";
  write_bytes(target, "old content that is longer than the new one\n");
  REQUIRE(::chmod(target.c_str(), 0640) == 0);
  rbig::write_file_atomically(target, [](std::ostream& out) { out << "new\n"; });
  CHECK(read_bytes(target) == "new\n");
  CHECK((fs::status(target).permissions() & fs::perms::all) ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  CHECK(listing(dir.path()) == std::vector<std::string>{"out.csv"});
}

TEST_CASE(
    "atomic file: a throwing writer leaves the old file intact and no "
    "temporary file") {
  const ScratchDir dir;
  const fs::path target = dir.path() / "out.csv";
  write_bytes(target, "old\n");
  CHECK_THROWS_WITH_AS(rbig::write_file_atomically(target,
                                                   [](std::ostream& out) {
                                                     out << "partial";
                                                     out.flush();
                                                     throw std::runtime_error("writer failed");
                                                   }),
                       "writer failed", std::runtime_error);
  CHECK(read_bytes(target) == "old\n");
  CHECK(listing(dir.path()) == std::vector<std::string>{"out.csv"});
}

TEST_CASE("atomic file: a throwing writer creates no file where there was none") {
  const ScratchDir dir;
  const fs::path target = dir.path() / "new.csv";
  CHECK_THROWS_AS(rbig::write_file_atomically(
                      target, [](std::ostream&) { throw rbig::InputError("x.csv", 1, 1, "bad"); }),
                  rbig::InputError);
  CHECK(listing(dir.path()).empty());
}

TEST_CASE("atomic file: a stream left bad by the writer is a write failure") {
  const ScratchDir dir;
  const fs::path target = dir.path() / "out.csv";
  write_bytes(target, "old\n");
  const std::string message = target.string() + ": write failed: ";
  CHECK_THROWS_WITH_AS(rbig::write_file_atomically(
                           target, [](std::ostream& out) { out.setstate(std::ios::badbit); }),
                       doctest::Contains(message.c_str()), rbig::Error);
  CHECK(read_bytes(target) == "old\n");
  CHECK(listing(dir.path()) == std::vector<std::string>{"out.csv"});
}

TEST_CASE(
    "atomic file: a missing directory is reported with the path and the "
    "reason") {
  const ScratchDir dir;
  const fs::path missing = dir.path() / "missing";
  const fs::path target = missing / "out.csv";
  const std::string message =
      fmt::format("{}: cannot create temporary file in \"{}\": No such file or directory",
                  target.string(), missing.string());
  CHECK_THROWS_WITH_AS(rbig::write_file_atomically(target, [](std::ostream& out) { out << "x"; }),
                       message.c_str(), rbig::Error);
  CHECK(listing(dir.path()).empty());
}

TEST_CASE(
    "atomic file: a directory in the way of the target is reported, "
    "nothing left behind") {
  const ScratchDir dir;
  const fs::path target = dir.path() / "taken";
  fs::create_directory(target);
  const std::string message = target.string() + ": cannot replace file: ";
  CHECK_THROWS_WITH_AS(rbig::write_file_atomically(target, [](std::ostream& out) { out << "x"; }),
                       doctest::Contains(message.c_str()), rbig::Error);
  CHECK(listing(dir.path()) == std::vector<std::string>{"taken"});
  CHECK(fs::is_directory(target));
}

TEST_CASE(
    "atomic file: a relative path without a directory writes beside the "
    "working dir") {
  const ScratchDir dir;
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path());
  try {
    rbig::write_file_atomically("here.csv", [](std::ostream& out) { out << "1\n"; });
  } catch (...) {
    fs::current_path(previous);
    throw;
  }
  fs::current_path(previous);
  CHECK(read_bytes(dir.path() / "here.csv") == "1\n");
  CHECK(listing(dir.path()) == std::vector<std::string>{"here.csv"});
}

TEST_CASE("atomic file: write_csv through an atomic file reads back the same table") {
  const ScratchDir dir;
  const fs::path target = dir.path() / "table.csv";
  rbig::Matrix x(3, 2);
  x << 0.1, -1e-300, 1.0 / 3.0, 5e-324, -1.7976931348623157e308, 42.0;
  rbig::write_file_atomically(target, [&](std::ostream& out) {
    rbig::write_csv(out, x, {"u", "v"});
  });
  const rbig::Table t = rbig::read_csv(target);
  CHECK(t.column_names == std::vector<std::string>{"u", "v"});
  CHECK(t.values == x);
}
