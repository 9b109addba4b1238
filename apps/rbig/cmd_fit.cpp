// rbig fit: fits a Gaussianization model to the rows of a CSV file and saves it.

#include "bandwidth_option.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "console.hpp"
#include "fit_input.hpp"
#include "fit_warnings.hpp"
#include "model_json.hpp"
#include "option_values.hpp"
#include "progress.hpp"
#include "stopping_options.hpp"
#include "large_fit_warning.hpp"
#ifdef RBIG_WITH_MPI
#include "mpi_run.hpp"
#endif

#include <rbig/model.hpp>
#include <rbig/options.hpp>

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <cstdio>
#include <unistd.h>
#include <memory>
#include <optional>
#include <string>
#include <iostream>
#include <vector>

namespace rbig::cli {
namespace {

struct FitCommand {
  std::string train;
  std::string model;
  CsvInput csv;
  FitOptions options;  // numeric options are bound here directly: their defaults live in FitOptions
  std::string marginal = kAuto;
  std::string damping = kAuto;
  std::string rotation{to_string(options.rotation)};
  std::string bins = options.bins ? std::to_string(*options.bins) : kAuto;
  std::string bandwidth = kAuto;  // a number (sd), a rule name, or auto
  int layers = 0;                 // 0: not given (the depth is chosen)
  std::string validation_file;
  std::string work_file;  // --work-file: the data and the fit's matrices in mapped files
  bool json = false;
  bool quiet = false;
  const CLI::App* app = nullptr;  // to tell options given on the command line from defaults
};

std::optional<MarginalKind> parse_marginal(const std::string& text) {
  if (text == kAuto) return std::nullopt;
  for (const std::string& name : marginal_kind_names()) {
    if (name == text) return parse_marginal_kind(text);
  }
  std::vector<std::string> valid = marginal_kind_names();
  valid.emplace_back(kAuto);
  throw OptionError("marginal",
                    fmt::format("unknown name \"{}\" (valid: {})", text, join_names(valid, ", ")));
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

FitOptions parse_options(const FitCommand& cmd) {
  FitOptions options = cmd.options;
  options.marginal = parse_marginal(cmd.marginal);
  options.damping = parse_number_or_auto<double>("--damping", cmd.damping);
  options.rotation = parse_rotation_kind(cmd.rotation);
  options.bins = parse_number_or_auto<int>("--bins", cmd.bins);
  parse_bandwidth(cmd.bandwidth, options);
  if (cmd.layers > 0) options.layers = cmd.layers;
  options.validate();
  if (options.bins && options.marginal != MarginalKind::Histogram) {
    warn("--bins is ignored with --marginal {}", cmd.marginal);
  }
  if ((options.bandwidth || options.bandwidth_rule) && options.marginal &&
      options.marginal != MarginalKind::Kde) {
    warn("--bandwidth is ignored with --marginal {}", cmd.marginal);
  }
  warn_inert_options(*cmd.app, options, !cmd.validation_file.empty());
  return options;
}

// -o - writes the model's bytes to stdout, but not to a terminal, where they would be noise.
void save_model(const Model& model, const std::string& path) {
  if (!is_stdout(path)) {
    model.save(path);
    return;
  }
  if (isatty(STDOUT_FILENO)) {
    throw Error("-o -: standard output is a terminal; redirect it, or give -o FILE");
  }
  const std::string bytes = model.to_bytes();
  std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

void print_summary(const FitCommand& cmd, const Model& model, Index rows, double seconds) {
  const FitReport& report = model.report();
  const Index held_out = rows - report.n_samples;  // validation rows
  summary(fmt::format(
      "wrote {}: {} layers fitted to {} rows x {} columns{} in {:.3g} s", cmd.model,
      report.layers.size(), report.n_samples, model.dims(),
      held_out > 0 ? fmt::format(" ({} more held out for validation)", held_out) : "", seconds));
  const FitOptions& used = model.options();
  summary(
      fmt::format("marginal {}, damping {}{}; layers removed {:.6g} nats",
                  to_string(used.marginal.value()), used.damping.value(),
                  used.marginal == MarginalKind::Kde ? ", bandwidth " + used.bandwidth_text() : "",
                  report.total_correlation));
  // The sum of the kept layers' readings, at the depth and bandwidths the fit chose on the raw
  // data: not the estimator of `rbig tc` (rank scores, greedy depth), and it can be negative.
  summary("(the fit's own ledger; for an estimate of the total correlation run rbig tc)");
  // The message lists every candidate's score: one long line, wrapped.
  summary("stop: " + wrap(fmt::format("{} ({})", to_string(report.stop), report.message), 100, 6));
}

#ifdef RBIG_WITH_MPI
// Under mpirun: every process reads its part of TRAIN and takes part in the fit; process 0
// writes the model and prints.
int run_fit_distributed(const FitCommand& cmd, const FitOptions& options) {
  collectively([&] {
    if (!cmd.validation_file.empty()) {
      throw OptionError("validation-file", "is not supported under mpirun (use --validation)");
    }
    if (!cmd.work_file.empty()) {
      throw OptionError("--work-file",
                        "is not supported under mpirun (each process holds only "
                        "its part of the rows in memory)");
    }
    if (speaks()) check_output_folder(cmd.model, {cmd.train});
  });
  const RowPart part = read_row_part(cmd.train, cmd.csv);
  check_interrupted();
  const auto start = std::chrono::steady_clock::now();
  FitProgress progress(cmd.quiet || !speaks());
  const FitObserver observer = [&progress](const LayerReport& layer) { return progress(layer); };
  const Model model = fit_rows(part, cmd.train, options, observer);
  const double seconds = seconds_since(start);
  progress.finish();
  check_interrupted();  // a stopped fit is not saved
  collectively([&] {
    if (speaks()) save_model(model, cmd.model);
  });
  if (!speaks()) return 0;
  if (cmd.json) {
    nlohmann::json object = model_json(model);
    object.update({{"command", "fit"}, {"model", cmd.model}, {"seconds", seconds}});
    print_json(object);
  } else if (!is_stdout(cmd.model)) {
    print_summary(cmd, model, part.total_rows, seconds);
  }
  return 0;
}
#endif

// The work files are removed at the end: the model must not be one of them.
void check_work_file(const std::string& work_file, const std::string& model) {
  if (work_file.empty() || is_stdout(model)) return;
  const auto canonical = [](const std::string& path) {
    std::error_code error;
    return std::filesystem::weakly_canonical(path, error);
  };
  const std::filesystem::path model_path = canonical(model);
  const std::filesystem::path work_path = canonical(work_file);
  // PATH holds the data; the fit's files are PATH + these (FitOptions::work_file).
  bool clash = model_path == work_path;
  for (const char* role : {".work", ".train", ".held-out", ".screen", ".held-out-work"}) {
    clash = clash || model_path == std::filesystem::path(work_path.string() + role);
  }
  if (clash) {
    throw OptionError("--work-file",
                      fmt::format("{} would share its path with the model {}: the work files "
                                  "are removed at the end; choose another path",
                                  work_file, model));
  }
}

int run_fit(const FitCommand& cmd) {
  set_quiet(cmd.quiet);
  if (cmd.json && is_stdout(cmd.model)) {
    throw CLI::ValidationError("--json", "cannot share standard output with -o -: give -o FILE");
  }
#ifdef RBIG_WITH_MPI
  if (distributed()) {
    if (!speaks()) set_quiet(true);
    FitOptions options;
    collectively([&] { options = parse_options(cmd); });
    return run_fit_distributed(cmd, options);
  }
#endif
  FitOptions options = parse_options(cmd);
  if (!cmd.work_file.empty() && options.radial) {
    throw OptionError("--work-file",
                      "is not supported with --radial (the radial step copies the work matrix "
                      "into memory): leave one of them out");
  }
  if (options.mixture.value_or(false) && !options.holds_out()) {
    throw OptionError("--mixture",
                      "needs held-out rows to choose its number of components and whether to "
                      "keep it: set --validation above 0 and leave --layers out");
  }
  if (!cmd.work_file.empty() && options.tree) {
    throw OptionError("--work-file",
                      "is not supported with --tree (the tree step keeps the layer's "
                      "log-derivatives in memory): leave one of them out");
  }
  if (options.tree && options.coupling.value_or(false)) {
    throw OptionError("--coupling",
                      "is not supported with --tree (a layer has one destructor after its "
                      "marginal maps): leave one of them out");
  }
  options.work_file = cmd.work_file;
  // Fail before a possibly long fit rather than after it.
  check_output_folder(cmd.model, {cmd.train, cmd.validation_file});
  check_work_file(cmd.work_file, cmd.model);

  const FitInput input = FitInput::read(cmd.train, cmd.csv, options.seed, cmd.work_file);
  const ConstMatrixRef values = input.values();
  check_interrupted();
  if (cmd.validation_file.empty()) warn_small_validation(options, values.rows());
  warn_if_large_fit(cmd.train == "-" ? "<stdin>" : cmd.train, values.rows(), values.cols(),
                    options);

  const auto start = std::chrono::steady_clock::now();
  FitProgress progress(cmd.quiet);
  const FitObserver observer = [&progress](const LayerReport& layer) { return progress(layer); };
  const Model model =
      cmd.validation_file.empty()
          ? fit_model(values, input.column_names(), cmd.train, options, observer)
          : fit_model_validated(values, cmd.train, cmd.validation_file, cmd.csv, options, observer);
  const double seconds = seconds_since(start);
  progress.finish();
  check_interrupted();  // a stopped fit is not saved
  warn_binding_max_layers(model.report(), options);

  save_model(model, cmd.model);
  if (cmd.json) {
    nlohmann::json object = model_json(model);
    object.update({{"command", "fit"}, {"model", cmd.model}, {"seconds", seconds}});
    print_json(object);
  } else if (!is_stdout(cmd.model)) {
    print_summary(cmd, model, values.rows(), seconds);
  }
  return 0;
}

// The option groups of `rbig fit`, added in the order `--help` lists them.

void add_file_options(CLI::App& sub, FitCommand& cmd) {
  sub.add_option("TRAIN", cmd.train, "Training data: CSV or .npy, one sample per row (- for stdin)")
      ->required();
  sub.add_option("-o,--output", cmd.model,
                 "Model file to write (replaced atomically; - for stdout), and a summary on "
                 "stdout")
      ->required();
}

void add_method_options(CLI::App& sub, FitCommand& cmd) {
  sub.add_option("--marginal", cmd.marginal,
                 "Marginal Gaussianization: " + join_names(marginal_kind_names(), "|") +
                     "|auto (auto: kde or spline, chosen on the validation rows)")
      ->check(kind_validator("marginal", parse_marginal))
      ->type_name("KIND")
      ->capture_default_str();
  sub.add_option("--rotation", cmd.rotation,
                 "Rotation after each marginal step: " + join_names(rotation_kind_names(), "|"))
      ->check(kind_validator("rotation", parse_rotation_kind))
      ->type_name("KIND")
      ->capture_default_str();
}

void add_depth_options(CLI::App& sub, FitCommand& cmd) {
  sub.add_option("--layers", cmd.layers,
                 "Fit exactly this many layers on all rows (no early stop, no validation split; "
                 "for benchmarks and users who know the depth they want)")
      ->check(fit_option_validator<int>("layers", [](FitOptions& o, int v) { o.layers = v; }));
  add_stopping_options(sub, cmd.options);
}

// --gaussian-fallback and --bins: how each column's marginal map is built.
void add_marginal_options(CLI::App& sub, FitCommand& cmd) {
  sub.add_flag("--gaussian-fallback,!--no-gaussian-fallback", cmd.options.gaussian_fallback,
               "Use the Gaussian map for a column already Gaussian within the estimator's noise "
               "(default: " +
                   std::string(cmd.options.gaussian_fallback ? "on" : "off") + ")");
  sub.add_flag("--radial", cmd.options.radial,
               "Offer each layer a radial Gaussianization, kept where it gains more training "
               "likelihood than the marginal step (elliptical dependence; default: off)");
  sub.add_flag("--tree", cmd.options.tree,
               "Offer each layer a density-tree destructor after its marginal maps, kept where "
               "its axis-aligned cells gain significant likelihood (hard edges; default: off)");
  // Neither flag: the model selection's challenger (FitOptions::coupling empty).
  add_flag_pair(
      sub, "coupling", cmd.options.coupling,
      "Offer every candidate's layers a conditional affine destructor after their marginal maps "
      "(coordinates shifted and scaled by smooth functions of others), kept where it gains "
      "significant likelihood (funnels; default: with 1,000 training rows or more, the chosen "
      "configuration is fitted once more with it and kept when better on the held-out rows)",
      "Never offer conditional affine destructors");
  // Neither flag: offered where rows are held out (FitOptions::mixture empty).
  add_flag_pair(
      sub, "mixture", cmd.options.mixture,
      "Require the Gaussian-mixture first layer's offer (components chosen on the validation "
      "rows, kept where the held-out likelihood is higher with it); an error without held-out "
      "rows (default: offered whenever rows are held out, silently not otherwise)",
      "Never offer the Gaussian-mixture first layer");
  sub.add_option("--bins", cmd.bins, "Histogram bins per dimension, or auto (Scott's rule)")
      ->check(number_or_auto_validator<int>("bins", [](FitOptions& o, int v) { o.bins = v; }))
      ->type_name("N|auto")
      ->capture_default_str();
}

void add_validation_options(CLI::App& sub, FitCommand& cmd) {
  sub.add_option("--validation", cmd.options.validation,
                 "Fraction of rows held out to choose the depth (and the auto choices) by "
                 "held-out log-likelihood (0: depth by the information rule)")
      ->check(fit_option_validator<double>("validation",
                                           [](FitOptions& o, double v) { o.validation = v; }))
      ->capture_default_str();
  sub.add_option(
      "--validation-file", cmd.validation_file,
      "CSV or .npy of held-out rows that choose the depth and the auto choices (instead of "
      "--validation)");
  sub.add_option("--validation-patience", cmd.options.validation_patience,
                 "Layers without a better held-out log-likelihood before the fit stops")
      ->check(fit_option_validator<int>("validation_patience",
                                        [](FitOptions& o, int v) { o.validation_patience = v; }))
      ->capture_default_str();
}

// --damping and --bandwidth: how far each marginal step moves the data.
void add_smoothing_options(CLI::App& sub, FitCommand& cmd) {
  sub.add_option("--damping", cmd.damping,
                 "Strength in (0, 1] of each marginal step (blend with the Gaussian map), or "
                 "auto (1, 0.5 or 0.3, chosen on the validation rows); below 1 use with "
                 "validation")
      ->check(number_or_auto_validator<double>("damping",
                                               [](FitOptions& o, double v) { o.damping = v; }))
      ->type_name("A|auto")
      ->capture_default_str();
  sub.add_option("--bandwidth", cmd.bandwidth,
                 "kde bandwidth: in standard deviations of each column, or a rule (silverman, "
                 "plugin, annealed: wide to narrow over the first 100 layers), or auto "
                 "(Silverman's rule, then plug-in, a wider kernel and annealed tried on the "
                 "validation rows)")
      ->check(bandwidth_validator())
      ->type_name("H|RULE|auto")
      ->capture_default_str();
}

void add_run_options(CLI::App& sub, FitCommand& cmd) {
  sub.add_option("--seed", cmd.options.seed,
                 "Seeds random rotations and the calibration of the information estimate")
      ->check(seed_validator())
      ->capture_default_str();
  sub.add_option("--threads", cmd.options.threads,
                 "Worker threads, 0 = all cores (never changes the result)")
      ->check(fit_option_validator<int>("threads", [](FitOptions& o, int v) { o.threads = v; }))
      ->capture_default_str();
  sub.add_option("--work-file", cmd.work_file,
                 "For data larger than memory: read TRAIN into the memory-mapped file PATH and "
                 "keep the fit's copies beside it (PATH.work, PATH.train, ...), streamed through "
                 "a few pages at a time; removed at the end. The same model. An existing PATH is "
                 "replaced only if it is a work file left by a killed fit")
      ->type_name("PATH");
}

void add_output_options(CLI::App& sub, FitCommand& cmd) {
  sub.add_flag("--json", cmd.json,
               "Print one JSON object (as rbig info --json, with seconds and the candidates of "
               "the model selection; docs/json.md) instead of the summary");
  sub.add_flag("-q,--quiet", cmd.quiet,
               "Print nothing but errors and --json: no progress (shown for fits over 1 s), "
               "warnings, notes or summary");
}

}  // namespace

void setup_fit(CLI::App& app) {
  auto cmd = std::make_shared<FitCommand>();
  CLI::App* sub =
      app.add_subcommand("fit", "Fit a Gaussianization model to the rows of a CSV file");
  cmd->app = sub;
  add_file_options(*sub, *cmd);
  add_method_options(*sub, *cmd);
  add_depth_options(*sub, *cmd);
  add_marginal_options(*sub, *cmd);
  add_validation_options(*sub, *cmd);
  add_smoothing_options(*sub, *cmd);
  add_run_options(*sub, *cmd);
  add_csv_input_flags(*sub, cmd->csv);
  add_dequantize_flag(*sub, cmd->csv);
  add_output_options(*sub, *cmd);
  sub->footer(
      "Example:\n"
      "  rbig fit data/faithful.csv -o faithful.rbig --rotation random --seed 7\n"
      "On several processes (built with RBIG_MPI; CSV or .npy input; rotations pca and random;\n"
      "no --validation-file or --dequantize): each reads its part of TRAIN, process 0 writes\n"
      "the model, the same as one process up to rounding:\n"
      "  mpirun -np 4 rbig fit big.csv -o big.rbig --threads 1");

  sub->callback([cmd] {
    if (const int status = run_fit(*cmd); status != 0) throw ExitStatus(status);
  });
}

}  // namespace rbig::cli
