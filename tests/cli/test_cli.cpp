// Tests of the rbig command: each runs the built binary and checks its exit status and output.
// Every test works in its own temporary folder, removed afterwards.

#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

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
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

const std::string kExe = RBIG_EXE;
const fs::path kData = RBIG_DATA_DIR;
const std::string kFaithful = (kData / "faithful.csv").string();
constexpr long kFaithfulRows = 272;

struct Result {
  int status = -1;
  std::string out;
  std::string err;
};

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

// A fresh folder per test, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = fs::temp_directory_path() /
            ("rbig_cli_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

  // Runs rbig with args; stdin from stdin_path. stdout and stderr are captured through files in a
  // private sub-folder so they never mix with the files the command writes.
  Result run(const std::vector<std::string>& args, const std::string& stdin_path = "/dev/null") {
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

 private:
  fs::path path_;
};

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

bool parse_double(const std::string& text, double& value) {
  if (text.empty()) return false;
  char* end = nullptr;
  value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size();
}

// A CSV as the command writes it: a header line, then rows of numbers (all checked).
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
};

Csv parse_csv(const std::string& text) {
  Csv csv;
  std::vector<std::string> lines = split(text, '\n');
  REQUIRE(!lines.empty());
  csv.header = split(lines[0], ',');
  for (std::size_t i = 1; i < lines.size(); ++i) {
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

// The whole of stdout must be one JSON object: parse() rejects anything after the first value.
nlohmann::json parse_json_object(const std::string& out) {
  nlohmann::json object;
  INFO("stdout: ", out);
  REQUIRE_NOTHROW(object = nlohmann::json::parse(out));
  REQUIRE(object.is_object());
  return object;
}

// Fits faithful.csv with default options into dir/name; most tests start from this model.
std::string fit_faithful(TempDir& dir, const std::string& name = "faithful.rbig") {
  const std::string model = dir / name;
  const Result fit = dir.run({"fit", kFaithful, "-o", model, "--quiet"});
  INFO("stderr: ", fit.err);
  REQUIRE(fit.status == 0);
  REQUIRE(fs::exists(model));
  return model;
}

}  // namespace

TEST_CASE("--version prints the program name and version") {
  TempDir dir;
  const Result r = dir.run({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("rbig ", 0) == 0);
  CHECK(r.err.empty());
}

TEST_CASE("--help lists every subcommand and the exit codes") {
  TempDir dir;
  const Result r = dir.run({"--help"});
  CHECK(r.status == 0);
  for (const char* command : {"fit", "score", "sample", "transform", "inverse", "info"}) {
    CHECK_MESSAGE(contains(r.out, command), command);
  }
  CHECK(contains(r.out, "Exit status"));
  CHECK(contains(r.out, "130"));
}

TEST_CASE("each subcommand's help has an example invocation") {
  TempDir dir;
  for (const char* command : {"fit", "score", "sample", "transform", "inverse", "info"}) {
    const Result r = dir.run({command, "--help"});
    INFO(command, ": ", r.out);
    CHECK(r.status == 0);
    CHECK(contains(r.out, "Example:"));
    CHECK(contains(r.out, std::string("rbig ") + command + " "));
  }
  const Result fit = dir.run({"fit", "--help"});
  for (const char* option :
       {"--rotation", "--max-layers", "--tol", "--bins", "--patience", "--seed", "--json",
        "--quiet", "--header", "--no-header", "pca|random"}) {
    CHECK_MESSAGE(contains(fit.out, option), option);
  }
}

TEST_CASE("no subcommand is a usage error") {
  TempDir dir;
  const Result r = dir.run({});
  CHECK(r.status == 2);
  CHECK(r.out.empty());
  CHECK(!r.err.empty());
}

TEST_CASE("fit --json prints exactly one object with the documented keys") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const Result r = dir.run({"fit", kFaithful, "-o", model, "--json"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  CHECK(fs::exists(model));
  const nlohmann::json json = parse_json_object(r.out);
  for (const char* key : {"layers", "seconds", "total_correlation", "dims", "n", "stop", "model"}) {
    CHECK_MESSAGE(json.contains(key), key);
  }
  CHECK(json["layers"].get<int>() >= 1);
  CHECK(json["seconds"].get<double>() >= 0.0);
  CHECK(std::isfinite(json["total_correlation"].get<double>()));
  CHECK(json["dims"] == 2);
  CHECK(json["n"] == kFaithfulRows);
  CHECK(json["stop"].is_string());
  CHECK(json["model"] == model);
}

TEST_CASE("fit without --json prints a short summary naming the model file") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const Result r = dir.run({"fit", kFaithful, "-o", model});
  REQUIRE(r.status == 0);
  CHECK(contains(r.out, model));
  CHECK(contains(r.out, "layers"));
  CHECK(contains(r.out, "total correlation"));
}

TEST_CASE("fit: the same data, options and seed give the same model bytes") {
  TempDir dir;
  const std::vector<std::string> options = {"--rotation", "random", "--seed", "11", "--quiet"};
  std::vector<std::string> first = {"fit", kFaithful, "-o", dir / "a.rbig"};
  std::vector<std::string> second = {"fit", kFaithful, "-o", dir / "b.rbig"};
  first.insert(first.end(), options.begin(), options.end());
  second.insert(second.end(), options.begin(), options.end());
  REQUIRE(dir.run(first).status == 0);
  REQUIRE(dir.run(second).status == 0);
  CHECK(read_text(dir / "a.rbig") == read_text(dir / "b.rbig"));
}

TEST_CASE("score prints one finite log-density per input row under a log_prob header") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result r = dir.run({"score", model, kFaithful});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const Csv csv = parse_csv(r.out);
  CHECK(csv.header == std::vector<std::string>{"log_prob"});
  CHECK(csv.rows.size() == static_cast<std::size_t>(kFaithfulRows));
  for (const std::vector<double>& row : csv.rows) {
    REQUIRE(row.size() == 1);
    CHECK(std::isfinite(row[0]));
  }
}

TEST_CASE("score --json -o: the object on stdout summarises the values written to the file") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string out = dir / "scores.csv";
  const Result r = dir.run({"score", model, kFaithful, "-o", out, "--json"});
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  REQUIRE(json.contains("mean_log_prob"));
  CHECK(json["n"] == kFaithfulRows);
  const Csv csv = parse_csv(read_text(out));
  REQUIRE(csv.rows.size() == static_cast<std::size_t>(kFaithfulRows));
  double sum = 0.0;
  for (const std::vector<double>& row : csv.rows) sum += row[0];
  CHECK(json["mean_log_prob"].get<double>() ==
        doctest::Approx(sum / static_cast<double>(kFaithfulRows)).epsilon(1e-12));
}

TEST_CASE("score --json without -o prints only the object") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result r = dir.run({"score", model, kFaithful, "--json"});
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  CHECK(json["n"] == kFaithfulRows);
  CHECK(std::isfinite(json["mean_log_prob"].get<double>()));
}

TEST_CASE("score reads the data from stdin when the path is -") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result from_file = dir.run({"score", model, kFaithful});
  const Result from_stdin = dir.run({"score", model, "-"}, kFaithful);
  REQUIRE(from_stdin.status == 0);
  CHECK(from_stdin.out == from_file.out);
}

TEST_CASE("transform then inverse gives back the input values and header") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string latent = dir / "latent.csv";
  const Result forward = dir.run({"transform", model, kFaithful, "-o", latent});
  INFO("stderr: ", forward.err);
  REQUIRE(forward.status == 0);
  CHECK(forward.out.empty());
  const Result back = dir.run({"inverse", model, latent});
  INFO("stderr: ", back.err);
  REQUIRE(back.status == 0);

  const Csv input = parse_csv(read_text(kFaithful));
  const Csv latent_csv = parse_csv(read_text(latent));
  const Csv output = parse_csv(back.out);
  CHECK(latent_csv.header == input.header);
  CHECK(output.header == input.header);
  REQUIRE(output.rows.size() == input.rows.size());
  for (std::size_t i = 0; i < input.rows.size(); ++i) {
    REQUIRE(output.rows[i].size() == input.rows[i].size());
    for (std::size_t j = 0; j < input.rows[i].size(); ++j) {
      const double x = input.rows[i][j];
      const double y = output.rows[i][j];
      INFO("row ", i + 1, " column ", j + 1, ": ", x, " vs ", y);
      // 1e-9 relative: far above the rounding of the cascade, far below any real error.
      CHECK(std::abs(x - y) <= 1e-9 * std::max(std::abs(x), 1.0));
    }
  }
}

// No ";" in test names: doctest_discover_tests would split the name and run nothing.
TEST_CASE("sample -n 100 prints 100 rows and the seed alone decides them") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result a = dir.run({"sample", model, "-n", "100", "--seed", "5"});
  const Result b = dir.run({"sample", model, "-n", "100", "--seed", "5"});
  const Result c = dir.run({"sample", model, "-n", "100", "--seed", "6"});
  INFO("stderr: ", a.err);
  REQUIRE(a.status == 0);
  REQUIRE(b.status == 0);
  REQUIRE(c.status == 0);
  const Csv csv = parse_csv(a.out);
  CHECK(csv.header == std::vector<std::string>{"x1", "x2"});
  CHECK(csv.rows.size() == 100);
  for (const std::vector<double>& row : csv.rows) {
    REQUIRE(row.size() == 2);
    CHECK(std::isfinite(row[0]));
    CHECK(std::isfinite(row[1]));
  }
  CHECK(a.out == b.out);
  CHECK(a.out != c.out);
}

TEST_CASE("sample -n 0 is a usage error") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  for (const char* count : {"0", "-5", "99999999999999999999", "abc"}) {
    const Result r = dir.run({"sample", model, "-n", count});
    INFO("-n ", count, ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "rbig: -n"));
    CHECK(r.out.empty());
  }
}

TEST_CASE("a negative or too large --seed is a usage error naming --seed") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  for (const char* seed : {"-1", "18446744073709551616"}) {
    const Result fit = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--seed", seed});
    INFO("--seed ", seed, ": ", fit.err);
    CHECK(fit.status == 2);
    CHECK(contains(fit.err, "--seed"));
    const Result sample = dir.run({"sample", model, "-n", "1", "--seed", seed});
    CHECK(sample.status == 2);
    CHECK(contains(sample.err, "--seed"));
  }
  CHECK(!fs::exists(dir / "m.rbig"));
  CHECK(dir.run({"sample", model, "-n", "1", "--seed", "18446744073709551615"}).status == 0);
}

TEST_CASE("a missing input file is an error naming the file") {
  TempDir dir;
  const std::string missing = dir / "no_such_file.csv";
  const Result fit = dir.run({"fit", missing, "-o", dir / "m.rbig"});
  CHECK(fit.status == 1);
  CHECK(contains(fit.err, "rbig: "));
  CHECK(contains(fit.err, "no_such_file.csv"));
  CHECK(!fs::exists(dir / "m.rbig"));

  const Result info = dir.run({"info", dir / "no_such_model.rbig"});
  CHECK(info.status == 1);
  CHECK(contains(info.err, "no_such_model.rbig"));
}

TEST_CASE("a bad CSV field is reported with its line and column") {
  TempDir dir;
  const std::string bad = dir / "bad.csv";
  write_text(bad, "1,2\n3,abc\n");
  const Result r = dir.run({"fit", bad, "-o", dir / "m.rbig"});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "bad.csv:2:2"));
  CHECK(r.out.empty());
}

TEST_CASE("an unknown rotation is a usage error naming --rotation") {
  TempDir dir;
  const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--rotation", "foo"});
  CHECK(r.status == 2);
  CHECK(contains(r.err, "--rotation"));
  CHECK(contains(r.err, "foo"));
  CHECK(!fs::exists(dir / "m.rbig"));
}

TEST_CASE("--bins below 2 or not a number is a usage error naming --bins") {
  TempDir dir;
  for (const char* bins : {"1", "abc"}) {
    const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--bins", bins});
    INFO("--bins ", bins, ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--bins"));
  }
  CHECK(!fs::exists(dir / "m.rbig"));
}

TEST_CASE("numeric fit options outside their range are usage errors naming the option") {
  TempDir dir;
  const std::vector<std::vector<std::string>> cases = {
      {"--max-layers", "0"}, {"--patience", "0"}, {"--tol", "-1"}, {"--max-layers", "x"}};
  for (const std::vector<std::string>& option : cases) {
    const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", option[0], option[1]});
    INFO(option[0], " ", option[1], ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, option[0]));
  }
}

TEST_CASE("--bins auto and --bins N are accepted and stored in the model") {
  TempDir dir;
  REQUIRE(dir.run({"fit", kFaithful, "-o", dir / "a.rbig", "--bins", "auto", "-q"}).status == 0);
  REQUIRE(dir.run({"fit", kFaithful, "-o", dir / "n.rbig", "--bins", "20", "-q"}).status == 0);
  CHECK(parse_json_object(dir.run({"info", dir / "a.rbig", "--json"}).out)["options"]["bins"] ==
        "auto");
  CHECK(parse_json_object(dir.run({"info", dir / "n.rbig", "--json"}).out)["options"]["bins"] ==
        20);
}

TEST_CASE("an option that has no effect draws a warning on stderr") {
  TempDir dir;
  const Result r =
      dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--marginal", "gaussian", "--bins", "20"});
  CHECK(r.status == 0);
  CHECK(contains(r.err, "warning: --bins is ignored"));
  CHECK(!contains(r.out, "warning"));
}

TEST_CASE("--header and --no-header decide about the first row") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string numbers = dir / "numbers.csv";
  write_text(numbers, "3.6,79\n1.8,54\n");
  const Result header = dir.run({"score", model, numbers, "--header"});
  REQUIRE(header.status == 0);
  CHECK(parse_csv(header.out).rows.size() == 1);
  const Result no_header = dir.run({"score", model, numbers, "--no-header"});
  REQUIRE(no_header.status == 0);
  CHECK(parse_csv(no_header.out).rows.size() == 2);
  const Result both = dir.run({"score", model, numbers, "--header", "--no-header"});
  CHECK(both.status == 2);
}

TEST_CASE("data with the wrong number of columns is an error naming both counts") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string wide = dir / "wide.csv";
  write_text(wide, "a,b,c\n1,2,3\n4,5,6\n");
  for (const char* command : {"score", "transform", "inverse"}) {
    const Result r = dir.run({command, model, wide});
    INFO(command, ": ", r.err);
    CHECK(r.status == 1);
    CHECK(contains(r.err, "3 columns"));
    CHECK(contains(r.err, "2 dimensions"));
    CHECK(r.out.empty());
  }
}

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
  std::vector<std::string> names;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{".io", "bad.csv", "faithful.rbig", "scores.csv"});
}

TEST_CASE("info --json has one info_reduction entry per layer and the fit options") {
  TempDir dir;
  const std::string model = dir / "m.rbig";
  const Result fit =
      dir.run({"fit", kFaithful, "-o", model, "--json", "--rotation", "random", "--seed", "3"});
  REQUIRE(fit.status == 0);
  const nlohmann::json fitted = parse_json_object(fit.out);

  const Result r = dir.run({"info", model, "--json"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  for (const char* key :
       {"dims", "layers", "n_samples", "options", "stop", "total_correlation", "info_reduction"}) {
    CHECK_MESSAGE(json.contains(key), key);
  }
  REQUIRE(json["info_reduction"].is_array());
  CHECK(json["info_reduction"].size() == json["layers"].get<std::size_t>());
  CHECK(json["layers"] == fitted["layers"]);
  CHECK(json["dims"] == 2);
  CHECK(json["n_samples"] == kFaithfulRows);
  CHECK(json["stop"] == fitted["stop"]);
  CHECK(json["total_correlation"].get<double>() ==
        doctest::Approx(fitted["total_correlation"].get<double>()));
  const nlohmann::json& options = json["options"];
  for (const char* key :
       {"marginal", "rotation", "max_layers", "tol", "patience", "bins", "seed"}) {
    CHECK_MESSAGE(options.contains(key), key);
  }
  CHECK(options["rotation"] == "random");
  CHECK(options["seed"] == 3);
}

TEST_CASE("info without --json describes the model in text") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result r = dir.run({"info", model});
  REQUIRE(r.status == 0);
  CHECK(contains(r.out, "dimensions"));
  CHECK(contains(r.out, "information reduction"));
}

TEST_CASE("progress goes to stderr only: --json stdout parses after a longer fit") {
  TempDir dir;
  // tol 0 and patience = max-layers: the fit runs all its layers, long enough (a few seconds) to
  // report progress.
  const Result r = dir.run({"fit", (kData / "breast_cancer.csv").string(), "-o", dir / "m.rbig",
                            "--json", "--tol", "0", "--max-layers", "2000", "--patience", "2000",
                            "--no-gaussian-fallback"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  CHECK(!contains(r.out, "information reduction"));
  // Progress starts after one second; only then can it be required on stderr.
  if (json["seconds"].get<double>() > 1.2) CHECK(contains(r.err, "information reduction"));
}

TEST_CASE("--quiet silences progress") {
  TempDir dir;
  const Result r = dir.run({"fit", (kData / "breast_cancer.csv").string(), "-o", dir / "m.rbig",
                            "--quiet", "--tol", "0", "--max-layers", "2000", "--patience", "2000",
                            "--no-gaussian-fallback"});
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
}

TEST_CASE("SIGINT or SIGTERM stops a fit: exit status 128 + signal and no model file") {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    TempDir dir;
    const std::string model = dir / "m.rbig";
    const std::string err = dir / "stderr.txt";
    // A fit that would run for a very long time unless stopped.
    std::vector<std::string> args = {
        kExe,         "fit",          (kData / "breast_cancer.csv").string(),
        "-o",         model,          "--tol",
        "0",          "--max-layers", "1000000",
        "--patience", "1000000"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);  // else the child would write doctest's buffered output a second time
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int null_fd = ::open("/dev/null", O_RDWR);
      if (err_fd < 0 || null_fd < 0) ::_exit(125);
      ::dup2(null_fd, STDIN_FILENO);
      ::dup2(null_fd, STDOUT_FILENO);
      ::dup2(err_fd, STDERR_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(126);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(pid, signal_number);
    // Wait at most 60 s: a fit that ignores the signal must fail the test, not hang it.
    int raw = 0;
    pid_t done = 0;
    for (int i = 0; i < 600 && done == 0; ++i) {
      done = ::waitpid(pid, &raw, WNOHANG);
      if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (done == 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &raw, 0);
      FAIL("rbig fit did not stop within 60 s of signal ", signal_number);
    }
    INFO("signal ", signal_number, ", stderr: ", read_text(err));
    REQUIRE(WIFEXITED(raw));
    CHECK(WEXITSTATUS(raw) == 128 + signal_number);
    CHECK(contains(read_text(err), "interrupted"));
    CHECK(!fs::exists(model));
  }
}
