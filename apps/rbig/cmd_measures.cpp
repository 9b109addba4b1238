// rbig entropy | tc | mi | kld: information-theory measures of the rows of CSV files, computed by
// the library's info.hpp estimators (nats; --bits divides by ln 2).

#include "commands.hpp"
#include "common.hpp"

#include <rbig/info.hpp>
#include <rbig/options.hpp>

#include <fmt/format.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace rbig::cli {
namespace {

/// Options shared by the four measures: the fit options that apply, output format and CSV input.
struct MeasureCommand {
  std::vector<std::string> files;
  CsvInput csv;
  FitOptions options;  // numeric defaults live in FitOptions
  std::string rotation{to_string(options.rotation)};
  int bins = 0;  // used only when --bins is given; otherwise FitOptions' rule
  CLI::Option* bins_option = nullptr;
  std::string x_columns, y_columns, z_columns;  // mi: column selections of one file
  bool bits = false;
  bool json = false;
};

FitOptions fit_options(const MeasureCommand& cmd) {
  FitOptions options = cmd.options;
  options.rotation = parse_rotation_kind(cmd.rotation);
  if (cmd.bins_option != nullptr && cmd.bins_option->count() > 0) options.bins = cmd.bins;
  options.validate();
  return options;
}

void add_measure_options(CLI::App& sub, MeasureCommand& cmd) {
  sub.add_option("--rotation", cmd.rotation,
                 "Rotation after each marginal step: " + join_names(rotation_kind_names(), "|"))
      ->check(kind_validator("rotation", parse_rotation_kind))
      ->type_name("KIND")
      ->capture_default_str();
  sub.add_option("--max-layers", cmd.options.max_layers, "Upper bound on the number of layers")
      ->check(
          fit_option_validator<int>("max_layers", [](FitOptions& o, int v) { o.max_layers = v; }))
      ->capture_default_str();
  sub.add_option("--tol", cmd.options.tol,
                 "Nats: a layer removing less information than this (plus the estimator's noise "
                 "level) counts as small")
      ->check(fit_option_validator<double>("tol", [](FitOptions& o, double v) { o.tol = v; }))
      ->capture_default_str();
  cmd.bins_option =
      sub.add_option("--bins", cmd.bins, "Histogram bins per dimension (default: Scott's rule)")
          ->check(fit_option_validator<int>("bins", [](FitOptions& o, int v) { o.bins = v; }));
  sub.add_option("--seed", cmd.options.seed,
                 "Seeds random rotations and the calibration of the information estimate")
      ->check(seed_validator())
      ->capture_default_str();
  add_csv_input_flags(sub, cmd.csv);
  add_dequantize_flag(sub, cmd.csv);
  sub.add_flag("--bits", cmd.bits, "Report bits instead of nats");
}

/// Prints `name value unit` or one JSON object {name, "unit", "n", extra...}.
void report(const MeasureCommand& cmd, const std::string& name, double nats, Index n,
            nlohmann::json extra = nlohmann::json::object()) {
  const double value = cmd.bits ? nats / std::log(2.0) : nats;
  const char* unit = cmd.bits ? "bits" : "nats";
  if (cmd.json) {
    extra[name] = value;
    extra["unit"] = unit;
    extra["n"] = n;
    print_json(extra);
  } else {
    fmt::print("{} {:.6g} {}\n", name, value, unit);
  }
}

/// Parses "0,1,3-5" (0-based, inclusive ranges) into column indices below `columns`.
std::vector<Index> parse_columns(const std::string& flag, const std::string& text, Index columns) {
  std::vector<Index> selected;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t dash = item.find('-', 1);
    long first = -1;
    long last = -1;
    const bool parsed =
        dash == std::string::npos
            ? CLI::detail::lexical_cast(item, first) && (last = first, true)
            : CLI::detail::lexical_cast(item.substr(0, dash), first) &&
                  CLI::detail::lexical_cast(item.substr(dash + 1), last);
    if (!parsed || first < 0 || last < first) {
      throw CLI::ValidationError(
          flag, fmt::format("expected 0-based columns like 0,2-4 (got \"{}\")", text));
    }
    if (last >= columns) {
      throw CLI::ValidationError(
          flag, fmt::format("column {} is out of range (the data has {} columns, 0 to {})", last,
                            columns, columns - 1));
    }
    for (long c = first; c <= last; ++c) selected.push_back(static_cast<Index>(c));
    start = comma + 1;
  }
  return selected;
}

Matrix select_columns(const Matrix& values, const std::vector<Index>& columns) {
  Matrix out(values.rows(), static_cast<Index>(columns.size()));
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out.col(static_cast<Index>(i)) = values.col(columns[i]);
  }
  return out;
}

int run_entropy(const MeasureCommand& cmd) {
  const FitOptions options = fit_options(cmd);
  const Table table = read_input(cmd.files[0], cmd.csv, options.seed);
  check_interrupted();
  report(cmd, "entropy", entropy(table.values, options), table.values.rows());
  return 0;
}

int run_tc(const MeasureCommand& cmd) {
  const FitOptions options = fit_options(cmd);
  const Table table = read_input(cmd.files[0], cmd.csv, options.seed);
  check_interrupted();
  report(cmd, "total_correlation", total_correlation(table.values, options), table.values.rows());
  return 0;
}

int run_mi(const MeasureCommand& cmd) {
  const FitOptions options = fit_options(cmd);
  const bool selections = !cmd.x_columns.empty() || !cmd.y_columns.empty() ||
                          !cmd.z_columns.empty();
  if (cmd.files.size() == 2) {
    if (selections) {
      throw CLI::ValidationError("--x/--y/--z", "select columns of one file, not of X.csv Y.csv");
    }
    const Table x = read_input(cmd.files[0], cmd.csv, options.seed);
    const Table y = read_input(cmd.files[1], cmd.csv, options.seed, 1);
    if (x.values.rows() != y.values.rows()) {
      throw DimensionError(fmt::format("{} has {} rows but {} has {} rows (need one row per "
                                       "sample in both)",
                                       cmd.files[0], x.values.rows(), cmd.files[1],
                                       y.values.rows()));
    }
    check_interrupted();
    report(cmd, "mutual_information", mutual_information(x.values, y.values, options),
           x.values.rows());
    return 0;
  }
  if (cmd.x_columns.empty() || cmd.y_columns.empty()) {
    throw CLI::ValidationError("mi", "give X.csv Y.csv, or one file with --x and --y");
  }
  const Table table = read_input(cmd.files[0], cmd.csv, options.seed);
  const Index columns = table.values.cols();
  const Matrix x = select_columns(table.values, parse_columns("--x", cmd.x_columns, columns));
  const Matrix y = select_columns(table.values, parse_columns("--y", cmd.y_columns, columns));
  check_interrupted();
  if (cmd.z_columns.empty()) {
    report(cmd, "mutual_information", mutual_information(x, y, options), table.values.rows());
  } else {
    const Matrix z = select_columns(table.values, parse_columns("--z", cmd.z_columns, columns));
    report(cmd, "conditional_mutual_information", conditional_mutual_information(x, y, z, options),
           table.values.rows());
  }
  return 0;
}

int run_kld(const MeasureCommand& cmd) {
  const FitOptions options = fit_options(cmd);
  const Table p = read_input(cmd.files[0], cmd.csv, options.seed);
  const Table q = read_input(cmd.files[1], cmd.csv, options.seed, 1);
  if (p.values.cols() != q.values.cols()) {
    throw DimensionError(fmt::format("{} has {} columns but {} has {} columns (both samples must "
                                     "have the same dimensions)",
                                     cmd.files[0], p.values.cols(), cmd.files[1],
                                     q.values.cols()));
  }
  check_interrupted();
  report(cmd, "kl_divergence", kl_divergence(p.values, q.values, options), p.values.rows(),
         {{"n_q", q.values.rows()}});
  return 0;
}

using Runner = int (*)(const MeasureCommand&);

CLI::App* add_measure(CLI::App& app, const std::string& name, const std::string& description,
                      const std::string& json_key, const std::string& example, Runner run,
                      std::shared_ptr<MeasureCommand>& cmd) {
  cmd = std::make_shared<MeasureCommand>();
  CLI::App* sub = app.add_subcommand(name, description);
  add_measure_options(*sub, *cmd);
  sub->add_flag("--json", cmd->json,
                "Print one JSON object (" + json_key + ", unit, n) instead of a line");
  sub->footer("Example:\n  " + example);
  std::shared_ptr<MeasureCommand> bound = cmd;
  sub->callback([bound, run] {
    if (const int status = run(*bound); status != 0) throw ExitStatus(status);
  });
  return sub;
}

}  // namespace

void setup_measures(CLI::App& app) {
  std::shared_ptr<MeasureCommand> cmd;
  CLI::App* sub = add_measure(app, "entropy", "Differential entropy H(X) of the rows of a CSV file",
                              "entropy", "rbig entropy data/faithful.csv --bits", run_entropy, cmd);
  sub->add_option("DATA", cmd->files, "Data: CSV, one sample per row (- for stdin)")
      ->required()
      ->expected(1);

  sub = add_measure(app, "tc", "Total correlation T(X) = sum of marginal entropies minus H(X)",
                    "total_correlation", "rbig tc data/faithful.csv --json", run_tc, cmd);
  sub->add_option("DATA", cmd->files, "Data: CSV, one sample per row (- for stdin)")
      ->required()
      ->expected(1);

  sub = add_measure(app, "mi", "Mutual information I(X;Y), or I(X;Y|Z) with --z",
                    "mutual_information or conditional_mutual_information",
                    "rbig mi data.csv --x 0,1 --y 2-4 --z 5", run_mi, cmd);
  sub->add_option("FILES", cmd->files,
                  "X.csv Y.csv (same rows, one sample each), or one CSV with --x and --y")
      ->required()
      ->expected(1, 2);
  sub->add_option("--x", cmd->x_columns, "0-based columns of X in a single file, e.g. 0,1")
      ->type_name("COLS");
  sub->add_option("--y", cmd->y_columns, "0-based columns of Y, e.g. 2-4")->type_name("COLS");
  sub->add_option("--z", cmd->z_columns, "0-based columns of Z: gives I(X;Y|Z)")
      ->type_name("COLS");

  sub = add_measure(app, "kld", "KL divergence KL(P||Q) from samples of P and Q",
                    "kl_divergence", "rbig kld p.csv q.csv --bits", run_kld, cmd);
  sub->add_option("FILES", cmd->files, "P.csv Q.csv, with the same columns")
      ->required()
      ->expected(2);
}

}  // namespace rbig::cli
