// rbig entropy | tc | mi | kld: information-theory measures of the rows of CSV files, computed by
// the library's info.hpp estimators (nats; --bits divides by ln 2).

#include "commands.hpp"
#include "columns.hpp"
#include "common.hpp"
#include "console.hpp"
#include "degenerate_columns.hpp"
#include "estimate_json.hpp"
#include "measure_options.hpp"

#include <rbig/info.hpp>
#include <rbig/options.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <functional>
#include <optional>
#include <vector>

namespace rbig::cli {
namespace {

/// Options shared by the four measures: the fit options that apply, output format and CSV input.
struct MeasureCommand {
  std::vector<std::string> files;
  CsvInput csv;
  MeasureFitFlags fit;
  std::string x_columns, y_columns, z_columns;  // mi: column selections of one file
  bool bits = false;
  bool json = false;
  int bootstrap = 0;    // half-samples for a 95 % interval; 0: none
  std::string command;  // entropy, tc, mi or kld: "command" in JSON
};

constexpr double kConfidence = 0.95;

FitOptions fit_options(const MeasureCommand& cmd) { return measure_fit_options(cmd.fit); }

void add_measure_options(CLI::App& sub, MeasureCommand& cmd) {
  add_measure_fit_options(sub, cmd.fit);
  add_csv_input_flags(sub, cmd.csv);
  add_dequantize_flag(sub, cmd.csv);
  sub.add_flag("--bits", cmd.bits, "Report bits instead of nats");
  sub.add_option("--bootstrap", cmd.bootstrap,
                 "Also report a 95 % interval from this many half-samples of the rows, drawn "
                 "without replacement (subsampling; its coverage is measured in bench/README.md) "
                 "(each refits the models on half the rows: about B/2 times the cost)")
      ->check(CLI::Range(2, 100000));
}

/// Rows and columns of the data a measure read (of P for kld; all blocks together for mi).
struct Shape {
  Index n;
  Index dims;
};

/// Prints `name value unit` or one JSON object {name, "unit", "n", "dims", extra...}, with the
/// fits behind the estimate (estimate_json.hpp; none for an infinite measure); with an interval
/// also "ci_low", "ci_high" (same unit) and "bootstrap" (the number of resamples).
void report(const MeasureCommand& cmd, const std::string& name, const InfoEstimate& estimate,
            Shape shape, nlohmann::json extra = nlohmann::json::object(),
            const std::optional<Interval>& interval = std::nullopt) {
  const double scale = cmd.bits ? 1.0 / std::log(2.0) : 1.0;
  const char* unit = cmd.bits ? "bits" : "nats";
  const double nats = estimate.value;
  if (cmd.json) {
    add_estimate_json(extra, estimate, scale);
    // JSON has no infinity: an infinite measure is the string "inf" (docs/json.md).
    extra[name] = std::isinf(nats) ? nlohmann::json("inf") : nlohmann::json(nats * scale);
    extra["command"] = cmd.command;
    extra["unit"] = unit;
    extra["n"] = shape.n;
    extra["dims"] = shape.dims;
    if (interval) {
      extra["ci_low"] = interval->low * scale;
      extra["ci_high"] = interval->high * scale;
      extra["bootstrap"] = cmd.bootstrap;
    }
    print_json(extra);
  } else if (std::isinf(nats)) {
    fmt::print("{} inf {}\n", name, unit);
  } else if (interval) {
    fmt::print("{} {:.6g} {} (95% interval {:.6g} to {:.6g}, {} half-samples)\n", name,
               nats * scale, unit, interval->low * scale, interval->high * scale, cmd.bootstrap);
  } else {
    fmt::print("{} {:.6g} {}\n", name, nats * scale, unit);
  }
}

/// The half-sampling interval of a one-matrix estimator, if --bootstrap was given.
std::optional<Interval> interval_of(const MeasureCommand& cmd,
                                    const std::function<double(ConstMatrixRef)>& estimate,
                                    ConstMatrixRef x, std::uint64_t seed) {
  if (cmd.bootstrap == 0) return std::nullopt;
  return subsample_interval(estimate, x, cmd.bootstrap, seed, kConfidence);
}

Matrix select_columns(const Matrix& values, const std::vector<Index>& columns) {
  Matrix out(values.rows(), static_cast<Index>(columns.size()));
  for (std::size_t i = 0; i < columns.size(); ++i) {
    out.col(static_cast<Index>(i)) = values.col(columns[i]);
  }
  return out;
}

/// An infinite measure: no fit behind it.
const InfoEstimate kInfinite{std::numeric_limits<double>::infinity(), 0.0, {}};

/// The columns `indices` (0-based) of `table`, read from `path`, as the user names them.
LabelledColumns labelled(const Table& table, const std::string& path,
                         const std::vector<Index>& indices) {
  LabelledColumns columns{path == "-" ? "<stdin>" : path, {}, {}};
  for (Index c : indices) {
    columns.numbers.push_back(c + 1);
    columns.names.push_back(table.column_names[static_cast<std::size_t>(c)]);
  }
  return columns;
}

std::vector<Index> all_columns(const Table& table) {
  std::vector<Index> indices(static_cast<std::size_t>(table.values.cols()));
  for (std::size_t i = 0; i < indices.size(); ++i) indices[i] = static_cast<Index>(i);
  return indices;
}

/// Refuses linearly dependent columns, naming them (the second half of refuse_degenerate).
void refuse_dependent_columns(const Matrix& values, const LabelledColumns& columns,
                              const char* why) {
  if (const auto members = linear_dependence(values)) {
    throw InputError(columns.file, 0, 0,
                     fmt::format("{} are linearly dependent (collinear or duplicated): {}; "
                                 "remove one of them",
                                 describe(columns, *members), why));
  }
}

/// Refuses constant columns and, for a measure that needs them independent (entropy, kld, the
/// blocks of mi), linearly dependent ones, naming them.
void refuse_degenerate(const Matrix& values, const LabelledColumns& columns, const char* why) {
  refuse_constant_columns(values, columns);
  refuse_dependent_columns(values, columns, why);
}

/// A block of mi (X, Y or Z): its values and its columns as the user named them.
struct Block {
  Matrix values;
  LabelledColumns columns;
};

constexpr const char* kBlockNeedsIndependentColumns =
    "each block must have linearly independent columns (the information of a duplicate is "
    "already in its copy)";

/// The columns of a and b together, for messages about the pair of blocks.
LabelledColumns joined(const LabelledColumns& a, const LabelledColumns& b) {
  LabelledColumns both = a;
  both.numbers.insert(both.numbers.end(), b.numbers.begin(), b.numbers.end());
  both.names.insert(both.names.end(), b.names.begin(), b.names.end());
  if (a.file != b.file) {
    // Two files: say which file each column comes from.
    for (std::size_t i = 0; i < both.names.size(); ++i) {
      both.names[i] = (i < a.names.size() ? a.file : b.file) + ":" + both.names[i];
    }
    both.file = a.file + " and " + b.file;
  }
  return both;
}

/// I(X;Y) with, if asked, an interval from joint row resamples of [X Y]. A column of Y that is a
/// linear function of X's columns (the same column, a copy, y = a·x + b) makes I(X;Y) = ∞
/// exactly: that is reported as inf, with a note naming the columns.
void report_mi(const MeasureCommand& cmd, const FitOptions& options, const Block& x,
               const Block& y) {
  refuse_constant_columns(x.values, x.columns);
  refuse_constant_columns(y.values, y.columns);
  Matrix joint(x.values.rows(), x.values.cols() + y.values.cols());
  joint << x.values, y.values;
  // The blocks are checked on their own only when the joint has a dependence (one Gram matrix
  // instead of three for the usual data).
  if (const auto members = linear_dependence(joint)) {
    refuse_dependent_columns(x.values, x.columns, kBlockNeedsIndependentColumns);
    refuse_dependent_columns(y.values, y.columns, kBlockNeedsIndependentColumns);
    const LabelledColumns both = joined(x.columns, y.columns);
    note(
        fmt::format("{}: {} are linearly dependent across X and Y (a shared column, a copy or an "
                    "exact linear function): mutual information is infinite",
                    both.file, describe(both, *members)));
    report(cmd, "mutual_information", kInfinite, {joint.rows(), joint.cols()});
    return;
  }
  const Index xc = x.values.cols(), yc = y.values.cols();
  const auto estimate = [&options, xc, yc](ConstMatrixRef rows) {
    return mutual_information(rows.leftCols(xc), rows.rightCols(yc), options);
  };
  report(cmd, "mutual_information",
         mutual_information_estimate(joint.leftCols(xc), joint.rightCols(yc), options),
         {joint.rows(), joint.cols()}, nlohmann::json::object(),
         interval_of(cmd, estimate, joint, options.seed));
}

/// Refuses a Z that shares a column with X or Y: given Z, that block is known, so I(X;Y|Z) = 0
/// by definition (and ∞ − ∞ in the chain rule the estimate uses); a statistician removes the
/// column from Z, or asks for I(X;Y) instead.
void refuse_shared_z(const Block& z, const Block& other, const char* option) {
  for (std::size_t i = 0; i < z.columns.numbers.size(); ++i) {
    const auto& numbers = other.columns.numbers;
    if (std::find(numbers.begin(), numbers.end(), z.columns.numbers[i]) == numbers.end()) continue;
    throw CLI::ValidationError(
        "--z", fmt::format("{} of {} is also in {}: given Z that block is known, so "
                           "I(X;Y|Z) = 0 by definition; remove it from --z",
                           z.columns.label(i), z.columns.file, option));
  }
}

int run_entropy(const MeasureCommand& cmd) {
  const FitOptions options = fit_options(cmd);
  const Table table = read_input(cmd.files[0], cmd.csv, options.seed);
  refuse_degenerate(table.values, labelled(table, cmd.files[0], all_columns(table)),
                    "their joint density does not exist and H = −∞");
  check_interrupted();
  const auto estimate = [&options](ConstMatrixRef x) { return entropy(x, options); };
  report(cmd, "entropy", entropy_estimate(table.values, options),
         {table.values.rows(), table.values.cols()}, nlohmann::json::object(),
         interval_of(cmd, estimate, table.values, options.seed));
  return 0;
}

int run_tc(const MeasureCommand& cmd) {
  const FitOptions options = fit_options(cmd);
  const Table table = read_input(cmd.files[0], cmd.csv, options.seed);
  const LabelledColumns columns = labelled(table, cmd.files[0], all_columns(table));
  refuse_constant_columns(table.values, columns);
  if (const auto members = linear_dependence(table.values)) {
    // A column that is a linear function of others is known from them: T = ∞ exactly.
    note(fmt::format("{}: {} are linearly dependent: total correlation is infinite", columns.file,
                     describe(columns, *members)));
    report(cmd, "total_correlation", kInfinite, {table.values.rows(), table.values.cols()});
    return 0;
  }
  check_interrupted();
  const auto estimate = [&options](ConstMatrixRef x) { return total_correlation(x, options); };
  report(cmd, "total_correlation", total_correlation_estimate(table.values, options),
         {table.values.rows(), table.values.cols()}, nlohmann::json::object(),
         interval_of(cmd, estimate, table.values, options.seed));
  return 0;
}

int run_mi(const MeasureCommand& cmd) {
  const FitOptions options = fit_options(cmd);
  const bool selections =
      !cmd.x_columns.empty() || !cmd.y_columns.empty() || !cmd.z_columns.empty();
  if (cmd.files.size() == 2) {
    if (selections) {
      throw CLI::ValidationError("--x/--y/--z", "select columns of one file, not of X.csv Y.csv");
    }
    const Table x = read_input(cmd.files[0], cmd.csv, options.seed);
    const Table y = read_input(cmd.files[1], cmd.csv, options.seed, 1);
    if (x.values.rows() != y.values.rows()) {
      throw DimensionError(
          fmt::format("{} has {} rows but {} has {} rows (need one row per "
                      "sample in both)",
                      cmd.files[0], x.values.rows(), cmd.files[1], y.values.rows()));
    }
    check_interrupted();
    report_mi(cmd, options, {x.values, labelled(x, cmd.files[0], all_columns(x))},
              {y.values, labelled(y, cmd.files[1], all_columns(y))});
    return 0;
  }
  if (cmd.x_columns.empty() || cmd.y_columns.empty()) {
    throw CLI::ValidationError("mi", "give X.csv Y.csv, or one file with --x and --y");
  }
  const Table table = read_input(cmd.files[0], cmd.csv, options.seed);
  const std::string source = cmd.files[0] == "-" ? "<stdin>" : cmd.files[0];
  const auto block = [&](const std::string& option, const std::string& text) {
    const std::vector<Index> indices = parse_columns(option, text, table, source);
    return Block{select_columns(table.values, indices), labelled(table, cmd.files[0], indices)};
  };
  const Block x = block("--x", cmd.x_columns);
  const Block y = block("--y", cmd.y_columns);
  check_interrupted();
  if (cmd.z_columns.empty()) {
    report_mi(cmd, options, x, y);
  } else {
    const Block z = block("--z", cmd.z_columns);
    refuse_shared_z(z, x, "--x");
    refuse_shared_z(z, y, "--y");
    refuse_degenerate(z.values, z.columns, kBlockNeedsIndependentColumns);
    // Rows are resampled jointly: the three blocks side by side, split again inside.
    Matrix joint(x.values.rows(), x.values.cols() + y.values.cols() + z.values.cols());
    joint << x.values, y.values, z.values;
    if (const auto members = linear_dependence(joint)) {
      throw InputError(
          z.columns.file, 0, 0,
          fmt::format("{} are linearly dependent: I(X;Y|Z) is not defined (a "
                      "block is partly known from the others); remove one",
                      describe(joined(joined(x.columns, y.columns), z.columns), *members)));
    }
    const Index xc = x.values.cols(), yc = y.values.cols(), zc = z.values.cols();
    const auto estimate = [&options, xc, yc, zc](ConstMatrixRef rows) {
      return conditional_mutual_information(rows.leftCols(xc), rows.middleCols(xc, yc),
                                            rows.rightCols(zc), options);
    };
    report(cmd, "conditional_mutual_information",
           conditional_mutual_information_estimate(joint.leftCols(xc), joint.middleCols(xc, yc),
                                                   joint.rightCols(zc), options),
           {joint.rows(), joint.cols()}, nlohmann::json::object(),
           interval_of(cmd, estimate, joint, options.seed));
  }
  return 0;
}

int run_kld(const MeasureCommand& cmd) {
  const FitOptions options = fit_options(cmd);
  const Table p = read_input(cmd.files[0], cmd.csv, options.seed);
  const Table q = read_input(cmd.files[1], cmd.csv, options.seed, 1);
  if (p.values.cols() != q.values.cols()) {
    throw DimensionError(
        fmt::format("{} has {} columns but {} has {} columns (both samples must "
                    "have the same dimensions)",
                    cmd.files[0], p.values.cols(), cmd.files[1], q.values.cols()));
  }
  refuse_degenerate(p.values, labelled(p, cmd.files[0], all_columns(p)),
                    "P has no density and KL(P‖Q) is not defined by densities");
  refuse_degenerate(q.values, labelled(q, cmd.files[1], all_columns(q)),
                    "Q has no density and KL(P‖Q) is not defined by densities");
  check_interrupted();
  const auto estimate = [&options](ConstMatrixRef a, ConstMatrixRef b) {
    return kl_divergence(a, b, options);
  };
  std::optional<Interval> interval;
  if (cmd.bootstrap > 0) {
    interval =
        subsample_interval(estimate, p.values, q.values, cmd.bootstrap, options.seed, kConfidence);
  }
  report(cmd, "kl_divergence", kl_divergence_estimate(p.values, q.values, options),
         {p.values.rows(), p.values.cols()}, {{"n_q", q.values.rows()}}, interval);
  return 0;
}

using Runner = int (*)(const MeasureCommand&);

CLI::App* add_measure(CLI::App& app, const std::string& name, const std::string& description,
                      const std::string& json_key, const std::string& example, Runner run,
                      std::shared_ptr<MeasureCommand>& cmd) {
  cmd = std::make_shared<MeasureCommand>();
  cmd->command = name;
  CLI::App* sub = app.add_subcommand(name, description);
  add_measure_options(*sub, *cmd);
  sub->add_flag("--json", cmd->json,
                "Print one JSON object (" + json_key +
                    ", unit, n, dims, and the layers of every fit behind it; docs/json.md) "
                    "instead of a line");
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
  sub->add_option("DATA", cmd->files, "Data: CSV or .npy, one sample per row (- for stdin)")
      ->required()
      ->expected(1);

  sub = add_measure(app, "tc", "Total correlation T(X) = sum of marginal entropies minus H(X)",
                    "total_correlation", "rbig tc data/faithful.csv --json", run_tc, cmd);
  sub->add_option("DATA", cmd->files, "Data: CSV or .npy, one sample per row (- for stdin)")
      ->required()
      ->expected(1);

  sub = add_measure(app, "mi", "Mutual information I(X;Y), or I(X;Y|Z) with --z",
                    "mutual_information or conditional_mutual_information",
                    "rbig mi data/iris.csv --x sepal_length,sepal_width --y 3-4", run_mi, cmd);
  sub->add_option("FILES", cmd->files,
                  "X.csv Y.csv (same rows, one sample each), or one CSV with --x and --y")
      ->required()
      ->expected(1, 2);
  sub->add_option("--x", cmd->x_columns,
                  "Columns of X in a single file: numbers from 1, ranges, header names, e.g. "
                  "1,2 or sepal_length,sepal_width")
      ->type_name("COLS");
  sub->add_option("--y", cmd->y_columns, "Columns of Y, e.g. 3-4")->type_name("COLS");
  sub->add_option("--z", cmd->z_columns, "Columns of Z: gives I(X;Y|Z)")->type_name("COLS");

  sub = add_measure(app, "kld", "KL divergence KL(P||Q) from samples of P and Q", "kl_divergence",
                    "rbig kld p.csv q.csv --bits", run_kld, cmd);
  sub->add_option("FILES", cmd->files, "P.csv Q.csv, with the same columns")
      ->required()
      ->expected(2);
}

}  // namespace rbig::cli
