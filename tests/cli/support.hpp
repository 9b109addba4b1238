#pragma once
// Helpers of the rbig command tests: run the built binary in a temporary folder, read what it
// wrote, parse its CSV and JSON output.

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rbig::cli_test {

namespace fs = std::filesystem;

inline const std::string kExe = RBIG_EXE;
inline const fs::path kData = RBIG_DATA_DIR;
inline const std::string kFaithful = (kData / "faithful.csv").string();
constexpr long kFaithfulRows = 272;

/// Exit status (-1 if rbig did not exit normally), stdout and stderr of one command.
struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

std::string read_text(const fs::path& path);
void write_text(const fs::path& path, const std::string& text);
/// The argument in single quotes for /bin/sh.
std::string shell_quote(const std::string& arg);
bool contains(const std::string& text, const std::string& part);
std::vector<std::string> split(const std::string& text, char separator);
/// The names in a folder, sorted.
std::vector<std::string> list_folder(const fs::path& folder);

/// A fresh folder per test, removed at the end of the test.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

  /// Runs rbig with args; stdin from stdin_path. stdout and stderr are captured through files in
  /// a private sub-folder (.io) so they never mix with the files the command writes.
  Result run(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null");

 private:
  fs::path path_;
};

/// A CSV as the command writes it: a header line if the first line is not all numbers (header
/// empty otherwise), then rows of numbers (all checked).
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
};

Csv parse_csv(const std::string& text);
/// Every value of a CSV written by rbig is finite (no "nan" or "inf" text), and there is a row.
bool all_finite(const std::string& csv_text);
/// The whole of stdout must be one JSON object: parse() rejects anything after the first value.
nlohmann::json parse_json_object(const std::string& out);

/// Fits faithful.csv with default options into dir/name; most tests start from this model.
std::string fit_faithful(TempDir& dir, const std::string& name = "faithful.rbig");

/// Runs rbig with args and checks a failure: the status, "rbig: " then every part on stderr,
/// nothing on stdout.
void check_fails(TempDir& dir, const std::vector<std::string>& args, int status,
                 const std::vector<std::string>& parts);

/// A moment for run_and_signal: `delay_ms` after its first look (which follows the handler's
/// installation).
std::function<bool()> after_delay(int delay_ms);

/// Starts rbig with args (stdin /dev/null, stdout into out_path, stderr into err_path), sends it
/// signal_number once `ready()` holds (looked at every 10 ms, for up to 60 s, after rbig has
/// installed its handler for it: a moment such as after_delay, or an output that has grown), and
/// returns the raw wait status; stop_seconds, when given, gets the time from the signal to the
/// exit. Fails the test if rbig exits before the signal is due, or has not stopped 60 s after it
/// (it is then killed), so that a test cannot hang.
int run_and_signal(const std::vector<std::string>& args, int signal_number,
                   const std::string& err_path = "/dev/null", double* stop_seconds = nullptr,
                   const std::function<bool()>& ready = after_delay(500),
                   const std::string& out_path = "/dev/null");

}  // namespace rbig::cli_test
