#include "support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <thread>

namespace rbig::cli_test {
namespace {

bool parse_double(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

}  // namespace

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string shell_quote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

std::vector<std::string> list_folder(const fs::path& folder) {
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TempDir::TempDir() {
  static int counter = 0;
  path_ = fs::temp_directory_path() /
          ("rbig_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
  fs::remove_all(path_);
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

Result TempDir::run(const std::vector<std::string>& args, const std::string& stdin_path) {
  const fs::path io = path_ / ".io";
  fs::create_directories(io);
  std::string command = shell_quote(kExe);
  for (const std::string& arg : args) command += " " + shell_quote(arg);
  command += " <" + shell_quote(stdin_path) + " >" + shell_quote((io / "out").string()) + " 2>" +
             shell_quote((io / "err").string());
  const int raw = std::system(command.c_str());
  Result result;
  result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  result.out = read_text(io / "out");
  result.err = read_text(io / "err");
  return result;
}

Csv parse_csv(const std::string& text) {
  Csv csv;
  std::vector<std::string> lines = split(text, '\n');
  REQUIRE(!lines.empty());
  // A first line with a field that is not a number is the header, as rbig reads CSV.
  const std::vector<std::string> first = split(lines[0], ',');
  const bool header = std::any_of(first.begin(), first.end(), [](const std::string& field) {
    double value = 0.0;
    return !parse_double(field, value);
  });
  if (header) csv.header = first;
  for (std::size_t i = header ? 1 : 0; i < lines.size(); ++i) {
    std::vector<double> row;
    for (const std::string& field : split(lines[i], ',')) {
      double value = 0.0;
      INFO("line ", i + 1, ": \"", lines[i], "\"");
      REQUIRE(parse_double(field, value));
      row.push_back(value);
    }
    csv.rows.push_back(row);
  }
  return csv;
}

bool all_finite(const std::string& csv_text) {
  const Csv csv = parse_csv(csv_text);
  for (const std::vector<double>& row : csv.rows) {
    for (double v : row) {
      if (!std::isfinite(v)) return false;
    }
  }
  return !csv.rows.empty();
}

nlohmann::json parse_json_object(const std::string& out) {
  nlohmann::json object;
  INFO("stdout: ", out);
  REQUIRE_NOTHROW(object = nlohmann::json::parse(out));
  REQUIRE(object.is_object());
  return object;
}

std::string fit_faithful(TempDir& dir, const std::string& name) {
  const std::string model = dir / name;
  const Result fit = dir.run({"fit", kFaithful, "-o", model, "--quiet"});
  INFO("stderr: ", fit.err);
  REQUIRE(fit.status == 0);
  REQUIRE(fs::exists(model));
  return model;
}

void check_fails(TempDir& dir, const std::vector<std::string>& args, int status,
                 const std::vector<std::string>& parts) {
  const Result r = dir.run(args);
  std::string command;
  for (const std::string& arg : args) command += arg + " ";
  INFO("rbig ", command, "\nstderr: ", r.err);
  CHECK(r.status == status);
  CHECK(r.err.rfind("rbig: ", 0) == 0);
  for (const std::string& part : parts) CHECK_MESSAGE(contains(r.err, part), part);
  CHECK(r.out.empty());
}

namespace {

/// Waits (up to 60 s) until process `pid` runs rbig and has a handler for `signal_number`
/// (Linux: /proc/PID/exe and the SigCgt mask of /proc/PID/status). A signal sent earlier would
/// meet the default action, not rbig's handler: on a loaded machine, or under the sanitizers'
/// slow start, a fixed delay after fork was not always enough.
void wait_for_handler(pid_t pid, int signal_number) {
  const std::string proc = "/proc/" + std::to_string(pid);
  std::error_code error;
  const std::filesystem::path exe = std::filesystem::canonical(kExe, error);
  const unsigned long long bit = 1ULL << (signal_number - 1);
  for (int i = 0; i < 6000; ++i) {
    if (std::filesystem::read_symlink(proc + "/exe", error) == exe) {
      std::ifstream status(proc + "/status");
      std::string line;
      while (std::getline(status, line)) {
        if (line.rfind("SigCgt:", 0) != 0) continue;
        if (std::stoull(line.substr(7), nullptr, 16) & bit) return;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace

std::function<bool()> after_delay(int delay_ms) {
  // The clock starts at the first look, which follows the handler's installation.
  return [delay_ms, due = std::optional<std::chrono::steady_clock::time_point>()]() mutable {
    const auto now = std::chrono::steady_clock::now();
    if (!due) due = now + std::chrono::milliseconds(delay_ms);
    return now >= *due;
  };
}

namespace {

/// Looks every 10 ms, for up to 60 s, whether `pid` has exited (true, its wait status in `raw`)
/// or `enough()` holds (false).
bool exits_before(pid_t pid, int& raw, const std::function<bool()>& enough) {
  for (int i = 0; i < 6000; ++i) {
    if (::waitpid(pid, &raw, WNOHANG) != 0) return true;
    if (enough()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

int run_and_signal(const std::vector<std::string>& args, int signal_number,
                   const std::string& err_path, double* stop_seconds,
                   const std::function<bool()>& ready, const std::string& out_path) {
  std::vector<std::string> command = {kExe};
  command.insert(command.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& arg : command) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);  // else the child would write doctest's buffered output a second time
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int out_fd = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null_fd = ::open("/dev/null", O_RDWR);
    if (err_fd < 0 || out_fd < 0 || null_fd < 0) ::_exit(125);
    ::dup2(null_fd, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(126);
  }
  const std::string name = args.empty() ? "" : args[0];
  wait_for_handler(pid, signal_number);
  int raw = 0;
  // A command that ends before its moment was never stopped: say so, rather than let the checks
  // of a stop fail on an output that is in fact complete. (The last look is just before kill.)
  if (exits_before(pid, raw, ready) || ::waitpid(pid, &raw, WNOHANG) != 0) {
    FAIL("rbig ", name, " finished before the signal was due: make its work longer");
  }
  ::kill(pid, signal_number);
  const auto signalled = std::chrono::steady_clock::now();
  const bool stopped = exits_before(pid, raw, [] { return false; });
  if (stop_seconds != nullptr) {
    *stop_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - signalled).count();
  }
  if (!stopped) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &raw, 0);
    FAIL("rbig ", name, " did not stop within 60 s of signal ", signal_number);
  }
  return raw;
}

}  // namespace rbig::cli_test
