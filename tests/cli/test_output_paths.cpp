// Output paths checked before the work: a folder, a folder that cannot be written; temporaries
// of killed writers reclaimed; -o through a symbolic link writes the file it points to.

#include "support.hpp"

#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

// A fit of this data with these options runs for minutes: an error before it is an early one.
std::vector<std::string> long_fit(const std::string& output) {
  return {"fit",          (kData / "breast_cancer.csv").string(),
          "-o",           output,
          "--tol",        "0",
          "--max-layers", "1000000",
          "--patience",   "1000000",
          "--validation", "0"};
}

/// A process id that no process has now.
long dead_pid() {
  for (long pid = 4000000; pid > 1000; --pid) {
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return pid;
  }
  FAIL("no free process id found");
  return 0;
}

}  // namespace

TEST_CASE("-o naming a folder is refused before the work") {
  TempDir dir;
  const std::string folder = dir / "results";
  fs::create_directories(folder);
  const Result r = dir.run(long_fit(folder));
  INFO("stderr: ", r.err);
  CHECK(r.status == 1);
  CHECK(contains(r.err, "results: cannot write: it is a folder"));
  CHECK(fs::is_directory(folder));
  CHECK(fs::is_empty(folder));
}

TEST_CASE("-o in a folder that cannot be written is refused before the work") {
  TempDir dir;
  // /proc takes no new files, even from root (a chmod 0555 folder would not stop root).
  const Result r = dir.run(long_fit("/proc/rbig-model.rbig"));
  INFO("stderr: ", r.err);
  CHECK(r.status == 1);
  CHECK(contains(r.err, "/proc/rbig-model.rbig: cannot write in folder /proc"));
  if (::geteuid() != 0) {
    const std::string locked = dir / "locked";
    fs::create_directories(locked);
    fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
    const Result denied = dir.run(long_fit(locked + "/m.rbig"));
    fs::permissions(locked, fs::perms::owner_all);
    CHECK(denied.status == 1);
    CHECK(contains(denied.err, "Permission denied"));
  }
}

TEST_CASE("temporaries left by a killed writer of the same output are removed") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string stale =
      "." + std::string("s.csv") + ".tmp-" + std::to_string(dead_pid()) + "-3";
  const std::string live = ".s.csv.tmp-" + std::to_string(::getpid()) + "-0";   // ours: alive
  const std::string other = ".t.csv.tmp-" + std::to_string(dead_pid()) + "-0";  // another target
  for (const std::string& name : {stale, live, other}) write_text(dir / name, "partial");
  const Result r = dir.run({"sample", model, "-n", "5", "-o", dir / "s.csv"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  CHECK(!fs::exists(dir / stale));
  CHECK(fs::exists(dir / live));
  CHECK(fs::exists(dir / other));
  CHECK(fs::exists(dir / "s.csv"));
}

TEST_CASE("-o through a symbolic link replaces the file it points to and keeps the link") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result expected = dir.run({"sample", model, "-n", "7", "--seed", "3"});
  REQUIRE(expected.status == 0);
  fs::create_directories(dir.path() / "real");
  const std::string target = dir / "real/draws.csv";
  write_text(target, "old\n");
  const std::string link = dir / "link.csv";
  fs::create_symlink("real/draws.csv", link);  // relative, as `ln -s` makes them
  const std::string dangling = dir / "dangling.csv";
  fs::create_symlink("real/new.csv", dangling);
  for (const std::string& output : {link, dangling}) {
    const Result r = dir.run({"sample", model, "-n", "7", "--seed", "3", "-o", output});
    INFO(output, ": ", r.err);
    REQUIRE(r.status == 0);
    CHECK(fs::is_symlink(output));
  }
  CHECK(read_text(target) == expected.out);
  CHECK(read_text(dir / "real/new.csv") == expected.out);
  CHECK(list_folder(dir.path() / "real") == std::vector<std::string>{"draws.csv", "new.csv"});
}
