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

TEST_CASE("--bandwidth takes a number, a rule or auto; it is stored in the model and shown by info") {
  TempDir dir;
  const auto info_bandwidth = [&](const std::string& model) {
    return parse_json_object(dir.run({"info", model, "--json"}).out)["options"]["bandwidth"];
  };
  for (const char* value : {"0.3", "silverman", "plugin"}) {
    const std::string model = dir / (std::string(value) + ".rbig");
    REQUIRE(dir.run({"fit", kFaithful, "-o", model, "--marginal", "kde", "--bandwidth", value, "-q"})
                .status == 0);
    CHECK(contains(dir.run({"info", model}).out, std::string("bandwidth=") + value));
  }
  CHECK(info_bandwidth(dir / "0.3.rbig") == 0.3);
  CHECK(info_bandwidth(dir / "plugin.rbig") == "plugin");
  // auto: the choice made on the validation rows, one of the candidates, and reported.
  const Result automatic =
      dir.run({"fit", kFaithful, "-o", dir / "auto.rbig", "--marginal", "kde", "--json"});
  REQUIRE(automatic.status == 0);
  const nlohmann::json chosen = parse_json_object(automatic.out)["bandwidth"];
  CHECK(chosen == info_bandwidth(dir / "auto.rbig"));
  CHECK(contains(parse_json_object(automatic.out)["stop_message"].get<std::string>(),
                 "bandwidth plugin"));  // every candidate's score is listed
  for (const char* bad : {"scott", "0", "-1"}) {
    const Result r = dir.run({"fit", kFaithful, "-o", dir / "bad.rbig", "--bandwidth", bad});
    INFO("--bandwidth ", bad, ": ", r.err);
    CHECK(r.status == 2);
    CHECK(contains(r.err, "--bandwidth"));
  }
  CHECK(!fs::exists(dir / "bad.rbig"));
  CHECK(contains(dir.run({"fit", kFaithful, "-o", dir / "bad.rbig", "--bandwidth", "scott"}).err,
                 "rbig: --bandwidth: expected a number of standard deviations, silverman, plugin, "
                 "annealed or auto (got \"scott\")"));
  const Result ignored = dir.run(
      {"fit", kFaithful, "-o", dir / "s.rbig", "--marginal", "spline", "--bandwidth", "plugin", "-q"});
  CHECK(ignored.status == 0);
  CHECK(contains(ignored.err, "warning: --bandwidth is ignored with --marginal spline"));
}

TEST_CASE("--layers fits exactly that many layers on every row") {
  TempDir dir;
  const Result r = dir.run({"fit", kFaithful, "-o", dir / "m.rbig", "--layers", "7", "--json"});
  REQUIRE(r.status == 0);
  const nlohmann::json fitted = parse_json_object(r.out);
  CHECK(fitted["layers"] == 7);
  CHECK(fitted["stop"] == "max_layers");
  const nlohmann::json info = parse_json_object(dir.run({"info", dir / "m.rbig", "--json"}).out);
  CHECK(info["n_samples"] == kFaithfulRows);  // no validation split
  CHECK(info["layers"] == 7);
  const Result zero = dir.run({"fit", kFaithful, "-o", dir / "z.rbig", "--layers", "0"});
  CHECK(zero.status == 2);
  CHECK(contains(zero.err, "--layers: must be between 1 and 100000 (got 0)"));
  CHECK(!fs::exists(dir / "z.rbig"));
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
  CHECK(json["n_samples"] == kFaithfulRows);  // the held-out rows join the final refit
  CHECK(json["stop"] == fitted["stop"]);
  CHECK(json["total_correlation"].get<double>() ==
        doctest::Approx(fitted["total_correlation"].get<double>()));
  const nlohmann::json& options = json["options"];
  for (const char* key :
       {"marginal", "rotation", "max_layers", "tol", "patience", "bins", "bandwidth", "seed"}) {
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
        "--patience", "1000000",     "--validation", "0"};
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

// ---------------------------------------------------------------------------------------------
// Bad input (issue 6): each case checks the exit status and that stderr names the problem.

namespace {

// faithful.csv rewritten with another delimiter, line ending, BOM or quoting.
std::string faithful_variant(const std::string& delimiter, const std::string& newline, bool bom,
                             bool quote_numbers) {
  const std::vector<std::string> lines = split(read_text(kFaithful), '\n');
  std::string text = bom ? "\xEF\xBB\xBF" : "";
  for (const std::string& line : lines) {
    if (line.empty()) continue;
    std::vector<std::string> fields = split(line, ',');
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) text += delimiter;
      text += quote_numbers ? "\"" + fields[i] + "\"" : fields[i];
    }
    text += newline;
  }
  return text;
}

// Runs rbig with args and checks a bad-input failure: the status, "rbig: " then every part.
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

// Every value of a CSV written by rbig is finite (no "nan" or "inf" text).
bool all_finite(const std::string& csv_text) {
  const Csv csv = parse_csv(csv_text);
  for (const std::vector<double>& row : csv.rows) {
    for (double v : row) {
      if (!std::isfinite(v)) return false;
    }
  }
  return !csv.rows.empty();
}

}  // namespace

TEST_CASE("--delimiter: semicolon, tab, quoted numbers, BOM and CRLF give the same results") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result reference = dir.run({"score", model, kFaithful});
  REQUIRE(reference.status == 0);
  struct Variant {
    std::string file, delimiter_option, delimiter, newline;
    bool bom, quotes;
  };
  const std::vector<Variant> variants = {{"semicolon.csv", ";", ";", "\n", false, false},
                                         {"tab.tsv", "tab", "\t", "\n", false, false},
                                         {"tab2.tsv", "\\t", "\t", "\r\n", true, false},
                                         {"pipe.csv", "|", "|", "\r\n", false, true},
                                         {"excel.csv", ",", ",", "\r\n", true, true}};
  for (const Variant& v : variants) {
    const std::string path = dir / v.file;
    write_text(path, faithful_variant(v.delimiter, v.newline, v.bom, v.quotes));
    const Result score = dir.run({"score", model, path, "--delimiter", v.delimiter_option});
    INFO(v.file, ": ", score.err);
    CHECK(score.status == 0);
    CHECK(score.out == reference.out);
    // fit reads it too, to the same model bytes as the comma file.
    const std::string m = dir / (v.file + ".rbig");
    CHECK(dir.run({"fit", path, "-o", m, "-q", "--delimiter", v.delimiter_option}).status == 0);
    CHECK(read_text(m) == read_text(model));
  }
  // Without --delimiter a ';' file is one column of text: the message shows the field.
  check_fails(dir, {"score", model, dir / "semicolon.csv"}, 1,
              {"semicolon.csv:2:1: expected a number, got \"3.6;79\""});
}

TEST_CASE("--delimiter: a value that is not one usable character is a usage error") {
  TempDir dir;
  for (const char* bad : {"", "ab", "1", ".", "\"", "e"}) {
    CAPTURE(bad);
    check_fails(dir, {"fit", kFaithful, "-o", dir / "m.rbig", "--delimiter", bad}, 2,
                {"--delimiter"});
  }
  CHECK(!fs::exists(dir / "m.rbig"));
  const Result help = dir.run({"score", "--help"});
  for (const char* option : {"--delimiter", "--drop-missing"}) CHECK(contains(help.out, option));
  for (const char* command : {"fit", "entropy", "tc", "mi", "kld"}) {
    CAPTURE(command);
    CHECK(contains(dir.run({command, "--help"}).out, "--dequantize"));
  }
}

TEST_CASE("bad CSV files are refused with file, line and column") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  struct Case {
    std::string name, text, message;
  };
  const std::string wide_row(1 << 20, '9');
  const std::vector<Case> cases = {
      {"empty.csv", "", "empty.csv: no data rows"},
      {"blank.csv", "\n# nothing\n\n", "blank.csv: no data rows"},
      {"header_only.csv", "eruptions,waiting\n",
       "header_only.csv:1: no data rows after the header"},
      {"ragged_short.csv", "a,b\n1,2\n3\n",
       "ragged_short.csv:3:2: expected 2 fields like the first row, got 1"},
      {"ragged_long.csv", "a,b\n1,2\n3,4,5\n",
       "ragged_long.csv:3:3: expected 2 fields like the first row, got 3"},
      {"text.csv", "a,b\n1,2\n3,abc\n", "text.csv:3:2: expected a number, got \"abc\""},
      {"range.csv", "a,b\n1,2\n1e400,2\n",
       "range.csv:3:1: expected a finite number, got \"1e400\" (out of double range)"},
      {"tiny.csv", "a,b\n1,2\n1e-400,2\n",
       "tiny.csv:3:1: expected a finite number, got \"1e-400\" (out of double range)"},
      {"nan.csv", "a,b\n1,2\n3,NaN\n", "nan.csv:3:2: expected a finite number, got \"NaN\""},
      {"inf.csv", "a,b\n1,2\n-inf,2\n", "inf.csv:3:1: expected a finite number, got \"-inf\""},
      {"na.csv", "a,b\n1,2\n3,NA\n", "na.csv:3:2: missing value \"NA\" (expected a finite number)"},
      {"hole.csv", "a,b\r\n1,2\r\n,2\r\n", "hole.csv:3:1: empty field (expected a number)"},
      {"quote.csv", "a,b\n1,\"2\n", "quote.csv:2:2: quoted field has no closing quote"},
      {"long.csv", "a\n" + wide_row + "\n", "long.csv:2:1: expected a finite number, got \"9999"},
      {"binary.csv", std::string("a,b\n\x00\x01,\xff\n", 10),
       "binary.csv:2:1: expected a number, got \"\\x00\\x01\""},
  };
  for (const Case& c : cases) {
    const std::string path = dir / c.name;
    write_text(path, c.text);
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"fit", path, "-o", dir / "new.rbig"},
                                               {"score", model, path},
                                               {"transform", model, path},
                                               {"tc", path}}) {
      check_fails(dir, args, 1, {c.message});
    }
  }
  CHECK(!fs::exists(dir / "new.rbig"));
}

TEST_CASE("--drop-missing drops rows with missing values and says how many on stderr") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string holes = dir / "holes.csv";
  write_text(holes, "eruptions,waiting\n3.6,79\nNA,54\n3.333,\n1.8,nan\n2.283,62\n4.533,inf\n");
  const Result r = dir.run({"score", model, holes, "--drop-missing"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  CHECK(contains(r.err, "holes.csv: dropped 4 of 6 rows with a missing value"));
  CHECK(parse_csv(r.out).rows.size() == 2);
  CHECK(all_finite(r.out));
  // fit too: a model of the complete rows of faithful.csv with holes punched in.
  std::string text = read_text(kFaithful);
  text += "NA,70\n2.5,\n";
  write_text(dir / "faithful_holes.csv", text);
  const Result fit =
      dir.run({"fit", dir / "faithful_holes.csv", "-o", dir / "h.rbig", "-q", "--drop-missing"});
  CHECK(fit.status == 0);
  CHECK(contains(fit.err, "dropped 2 of 274 rows"));
  CHECK(read_text(dir / "h.rbig") == read_text(model));
  // Nothing left is an error; a bad field is still reported.
  write_text(dir / "all_na.csv", "a,b\nNA,1\n2,\n");
  check_fails(dir, {"fit", dir / "all_na.csv", "-o", dir / "m.rbig", "--drop-missing"}, 1,
              {"all_na.csv: no data rows left: all 2 rows hold a missing value"});
  write_text(dir / "mixed.csv", "a,b\n1,2\nNA,x\n");
  check_fails(dir, {"tc", dir / "mixed.csv", "--drop-missing"}, 1,
              {"mixed.csv:3:2: expected a number, got \"x\""});
}

TEST_CASE("too few rows or a constant column: the message names the file, column and rule") {
  TempDir dir;
  write_text(dir / "one_row.csv", "a,b\n1,2\n");
  check_fails(dir, {"fit", dir / "one_row.csv", "-o", dir / "m.rbig"}, 1,
              {"one_row.csv: need at least 2 rows to fit (got 1)"});
  write_text(dir / "dropped.csv", "a,b\n1,2\nNA,3\n");
  check_fails(dir, {"fit", dir / "dropped.csv", "-o", dir / "m.rbig", "--drop-missing"}, 1,
              {"dropped.csv: need at least 2 rows to fit (got 1)"});
  write_text(dir / "const.csv", "u;v;\"w x\"\n1;2;5\n2;5;5\n4;1;5\n");
  check_fails(dir, {"fit", dir / "const.csv", "-o", dir / "m.rbig", "--delimiter", ";"}, 1,
              {"const.csv: column 3 (\"w x\") is constant (every value is 5)"});
  write_text(dir / "few.csv", "a,b\n1,2\n2,1\n3,3\n");
  check_fails(dir, {"tc", dir / "few.csv"}, 1, {"needs at least 10 rows (got 3)"});
  CHECK(!fs::exists(dir / "m.rbig"));
}

TEST_CASE("--dequantize: integer data gets a finite, seed-determined model") {
  TempDir dir;
  // 400 rows of small integers, heavily tied (5, 2 and 10 distinct values), y depends on x.
  std::string text = "x,y,z\n";
  for (int i = 0; i < 400; ++i) {
    const int x = (i * 7) % 5;
    text += std::to_string(x) + "," + std::to_string((x + i / 3) % 2) + "," +
            std::to_string((i * 13) % 10) + "\n";
  }
  write_text(dir / "ints.csv", text);
  const std::string a = dir / "a.rbig";
  const std::string b = dir / "b.rbig";
  const std::string c = dir / "c.rbig";
  REQUIRE(dir.run({"fit", dir / "ints.csv", "-o", a, "-q", "--dequantize", "--seed", "4"}).status ==
          0);
  REQUIRE(dir.run({"fit", dir / "ints.csv", "-o", b, "-q", "--dequantize", "--seed", "4"}).status ==
          0);
  REQUIRE(dir.run({"fit", dir / "ints.csv", "-o", c, "-q", "--dequantize", "--seed", "5"}).status ==
          0);
  CHECK(read_text(a) == read_text(b));
  CHECK(read_text(a) != read_text(c));
  const Result score = dir.run({"score", a, dir / "ints.csv", "--json"});
  REQUIRE(score.status == 0);
  const double mean = parse_json_object(score.out)["mean_log_prob"].get<double>();
  CHECK(std::isfinite(mean));
  // A density of the dequantized data is at most a few nats per dimension, not a spike.
  CHECK(mean < 3.0);
  for (const char* measure : {"entropy", "tc"}) {
    const Result first = dir.run({measure, dir / "ints.csv", "--dequantize", "--json"});
    const Result second = dir.run({measure, dir / "ints.csv", "--dequantize", "--json"});
    INFO(measure, ": ", first.err);
    REQUIRE(first.status == 0);
    CHECK(first.out == second.out);
  }
}

TEST_CASE("extreme magnitudes and more columns than rows: finite results or a clear error") {
  TempDir dir;
  std::string extreme = "tiny,huge,mid\n";
  std::string wide;
  for (int i = 0; i < 200; ++i) {
    const double u = std::sin(1.0 + i * 0.7) + 0.1 * (i % 7);
    const double v = std::cos(2.0 + i * 1.3) + 0.01 * i;
    extreme +=
        std::to_string(u) + "e-300," + std::to_string(v) + "e300," + std::to_string(u * v) + "\n";
  }
  for (int i = 0; i < 8; ++i) {  // 8 rows, 20 columns
    for (int j = 0; j < 20; ++j)
      wide += (j ? "," : "") + std::to_string(std::sin(i * 20.0 + j * 3.1));
    wide += "\n";
  }
  write_text(dir / "extreme.csv", extreme);
  write_text(dir / "wide.csv", wide);
  // Columns of 1e-300 and 1e300 side by side fit with every marginal (moments by scaled sums,
  // lib/src/moments.hpp), and the entropy is finite.
  for (const std::string marginal : {"kde", "histogram", "spline", "gaussian"}) {
    const Result fit = dir.run({"fit", dir / "extreme.csv", "-o", dir / "m.rbig", "--marginal",
                                marginal, "-q"});
    INFO(marginal, ": ", fit.err);
    CHECK(fit.status == 0);
  }
  const Result entropy = dir.run({"entropy", dir / "extreme.csv", "--json"});
  REQUIRE(entropy.status == 0);
  CHECK(std::isfinite(parse_json_object(entropy.out)["entropy"].get<double>()));
  for (const std::string name : {"extreme.csv", "wide.csv"}) {
    const std::string data = dir / name;
    const std::string model = dir / (name + ".rbig");
    const Result fit = dir.run({"fit", data, "-o", model, "-q"});
    INFO(name, " fit: ", fit.err);
    REQUIRE(fit.status == (name == "extreme.csv" ? 0 : 1));
    if (fit.status == 1) {
      // Refused: a one-line message, and no model file.
      CHECK(fit.err.rfind("rbig: ", 0) == 0);
      CHECK(!fs::exists(model));
      continue;
    }
    // Each command answers with finite numbers only, or refuses with a message and no output.
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"score", model, data}, {"transform", model, data}, {"sample", model, "-n", "50"}}) {
      const Result r = dir.run(args);
      INFO(args[0], ": ", r.err);
      REQUIRE((r.status == 0 || r.status == 1));
      if (r.status == 0) {
        CHECK(all_finite(r.out));
      } else {
        CHECK(r.err.rfind("rbig: ", 0) == 0);
        CHECK(r.out.empty());
      }
    }
  }
}

TEST_CASE("damaged model files are refused by every command with a message naming the problem") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string bytes = read_text(model);
  std::string future = bytes;
  future[8] = 6;  // the format version field
  std::string flipped = bytes;
  flipped[bytes.size() / 2] = static_cast<char>(flipped[bytes.size() / 2] ^ 0x04);
  std::string magic = bytes;
  magic[0] = 'X';
  struct Case {
    std::string name, bytes, message;
  };
  const std::vector<Case> cases = {
      {"magic.rbig", magic, "magic.rbig: not an rbig model file (wrong magic bytes)"},
      {"csv.rbig", "eruptions,waiting\n3.6,79\n", "csv.rbig: not an rbig model file"},
      {"empty.rbig", "", "empty.rbig: not an rbig model file"},
      {"future.rbig", future,
       "future.rbig: format version 6 is not supported (this rbig reads versions 3 to 5)"},
      {"truncated.rbig", bytes.substr(0, bytes.size() - 100), "truncated.rbig: truncated"},
      {"header.rbig", bytes.substr(0, 12), "header.rbig: truncated"},
      {"padded.rbig", bytes + "x", "padded.rbig: truncated or padded"},
      {"flipped.rbig", flipped, "flipped.rbig: checksum mismatch (file corrupted or truncated)"},
  };
  for (const Case& c : cases) {
    const std::string path = dir / c.name;
    write_text(path, c.bytes);
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"score", path, kFaithful},
                                               {"transform", path, kFaithful},
                                               {"inverse", path, kFaithful},
                                               {"sample", path, "-n", "3"},
                                               {"info", path}}) {
      check_fails(dir, args, 1, {c.message});
    }
  }
  check_fails(dir, {"info", dir / "missing.rbig"}, 1, {"missing.rbig: cannot open model file"});
  // Dimension mismatch: one column fewer than the model.
  write_text(dir / "narrow.csv", "eruptions\n3.6\n1.8\n");
  for (const char* command : {"score", "transform", "inverse"}) {
    check_fails(dir, {command, model, dir / "narrow.csv"}, 1,
                {"narrow.csv has 1 columns, model " + model + " has 2 dimensions"});
  }
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

TEST_CASE("a fit interrupted by SIGINT or SIGTERM leaves the previous model intact") {
  for (const int signal_number : {SIGINT, SIGTERM}) {
    TempDir dir;
    const std::string model = fit_faithful(dir, "m.rbig");
    const std::string before = read_text(model);
    std::vector<std::string> args = {
        kExe,      "fit",        (kData / "breast_cancer.csv").string(),
        "-o",      model,        "--tol",
        "0",       "-q",         "--max-layers",
        "1000000", "--patience", "1000000",
        "--validation", "0"};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      const int null_fd = ::open("/dev/null", O_RDWR);
      if (null_fd < 0) ::_exit(125);
      ::dup2(null_fd, STDIN_FILENO);
      ::dup2(null_fd, STDOUT_FILENO);
      ::dup2(null_fd, STDERR_FILENO);
      ::execv(argv[0], argv.data());
      ::_exit(126);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ::kill(pid, signal_number);
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
    REQUIRE(WIFEXITED(raw));
    CHECK(WEXITSTATUS(raw) == 128 + signal_number);
    CHECK(read_text(model) == before);
    // No temporary file is left beside it.
    std::vector<std::string> names;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir.path())) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    CHECK(names == std::vector<std::string>{".io", "m.rbig"});
  }
}

TEST_CASE("fit --validation records the held-out curve and info shows it") {
  TempDir dir;
  const std::string model = dir / "v.rbig";
  const Result fit = dir.run({"fit", kFaithful, "-o", model, "--validation", "0.2", "--damping",
                              "0.5", "--validation-patience", "5", "--quiet"});
  INFO("stderr: ", fit.err);
  REQUIRE(fit.status == 0);
  const Result info = dir.run({"info", model, "--json"});
  REQUIRE(info.status == 0);
  const nlohmann::json parsed = parse_json_object(info.out);
  const auto& curve = parsed["validation_log_prob"];
  REQUIRE(curve.size() == parsed["layers"].get<std::size_t>());
  double best = -1e300;
  for (const auto& value : curve) best = std::max(best, value.get<double>());
  CHECK(curve.back().get<double>() == best);  // the kept depth is the best one
  CHECK(parsed["options"]["damping"].get<double>() == 0.5);
  const Result bad_damping = dir.run({"fit", kFaithful, "-o", model, "--damping", "0"});
  CHECK(bad_damping.status == 2);
  CHECK(contains(bad_damping.err, "--damping"));
  CHECK(dir.run({"fit", kFaithful, "-o", model, "--validation", "1.5"}).status == 2);
}

TEST_CASE("measures --bootstrap reports an interval around the estimate, in the chosen unit") {
  TempDir dir;
  const Result r = dir.run({"tc", kFaithful, "--bootstrap", "20", "--json", "--bits"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  const nlohmann::json json = parse_json_object(r.out);
  CHECK(json["unit"] == "bits");
  CHECK(json["bootstrap"].get<int>() == 20);
  CHECK(json["ci_low"].get<double>() <= json["ci_high"].get<double>());
  // The same seed gives the same interval.
  CHECK(parse_json_object(dir.run({"tc", kFaithful, "--bootstrap", "20", "--json", "--bits"}).out) == json);
  const Result bad = dir.run({"entropy", kFaithful, "--bootstrap", "1"});
  CHECK(bad.status == 2);
  CHECK(contains(bad.err, "--bootstrap"));
}
