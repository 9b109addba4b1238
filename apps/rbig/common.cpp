#include "common.hpp"

#include "console.hpp"
#include "input_hints.hpp"

#include <rbig/cancel.hpp>
#include <rbig/dequantize.hpp>
#include <rbig/npy.hpp>
#include <rbig/registry.hpp>

#include <fmt/format.h>

#include <charconv>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <limits>
#include <system_error>

namespace rbig::cli {
namespace {

// 0, or the first signal received. Only written by the handler (async-signal-safe).
volatile std::sig_atomic_t g_signal = 0;

extern "C" void on_signal(int signal_number) {
  if (g_signal != 0) {
    // Second signal: the user insists, so die the default way right now.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    return;
  }
  g_signal = signal_number;
  rbig::request_cancel();  // the library's long loops stop at their next check
}

void install_handler(int signal_number) {
  struct sigaction current {};
  // A signal ignored on entry (e.g. SIGINT of a background job in a script) stays ignored.
  if (sigaction(signal_number, nullptr, &current) == 0 && current.sa_handler == SIG_IGN) return;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: a blocking read returns and the flag is seen sooner
  sigaction(signal_number, &action, nullptr);
}

}  // namespace

void install_signal_handlers() {
  install_handler(SIGINT);
  install_handler(SIGTERM);
}

bool interrupted() { return g_signal != 0; }

int received_signal() { return static_cast<int>(g_signal); }

void check_interrupted() {
  if (g_signal != 0) throw Interrupted{static_cast<int>(g_signal)};
}

std::optional<char> parse_delimiter(const std::string& text) {
  if (text == "tab" || text == "\\t" || text == "\t") return '\t';
  if (text == "space") return ' ';
  if (text.size() == 1) return text[0];
  return std::nullopt;
}

namespace {

/// --delimiter: the text must name one character, which the library's own rule accepts.
CLI::Validator delimiter_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::optional<char> delimiter = parse_delimiter(text);
        if (!delimiter) {
          return fmt::format("expected one character, \"tab\" or \"space\" (got {:?})", text);
        }
        CsvOptions options;
        options.delimiter = *delimiter;
        try {
          parse_csv("x\n0\n", "--delimiter", options);
        } catch (const OptionError& e) {
          return option_reason(e, "delimiter");
        }
        return {};
      },
      "");
}

}  // namespace

void add_flag_pair(CLI::App& app, const std::string& name, std::function<void()> on,
                   const std::string& on_help, std::function<void()> off,
                   const std::string& off_help) {
  CLI::Option* yes = app.add_flag_callback("--" + name, std::move(on), on_help);
  CLI::Option* no = app.add_flag_callback("--no-" + name, std::move(off), off_help);
  yes->excludes(no);
}

void add_flag_pair(CLI::App& app, const std::string& name, std::optional<bool>& value,
                   const std::string& on_help, const std::string& off_help) {
  add_flag_pair(
      app, name, [&value] { value = true; }, on_help, [&value] { value = false; }, off_help);
}

void add_csv_input_flags(CLI::App& app, CsvInput& input) {
  add_flag_pair(
      app, "header", [&input] { input.options.header = CsvOptions::Header::Yes; },
      "The first CSV row is a header (default: a header only if a field is not a number)",
      [&input] { input.options.header = CsvOptions::Header::No; }, "The first CSV row is data");
  app.add_option_function<std::string>(
         "--delimiter",
         [&input](const std::string& text) { input.options.delimiter = *parse_delimiter(text); },
         "CSV field separator: one character such as ';' or '|', or tab (also \\t) or space "
         "(default: ',')")
      ->check(delimiter_validator())
      ->type_name("CHAR");
  app.add_flag("--drop-missing", input.options.drop_missing,
               "Drop rows holding a missing value (empty, NA, N/A, NULL, NaN, inf) and say how "
               "many on stderr (default: such a row is an error)");
}

void add_dequantize_flag(CLI::App& app, CsvInput& input) {
  app.add_flag("--dequantize", input.dequantize,
               "Add uniform noise of each column's grid step (smallest gap between distinct "
               "values) to tied or integer data, seeded by --seed");
}

Table read_input(const std::string& path, const CsvInput& input, std::uint64_t seed,
                 std::uint64_t file_index) {
  const std::string name = path == "-" ? "<stdin>" : path;
  Table table;
  try {
    if (path != "-") {
      table = is_npy_path(path) ? read_npy(path, {input.options.drop_missing})
                                : read_csv(path, input.options);
    } else {
      std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
      if (std::cin.bad()) throw Error("<stdin>: read failed");
      // Standard input has no extension: NPY is recognised by its magic string.
      table = has_npy_magic(text) ? parse_npy(text, name, {input.options.drop_missing})
                                  : parse_csv(text, name, input.options);
    }
  } catch (const InputError& e) {
    throw with_delimiter_hint(e, input.options.delimiter);
  }
  if (table.dropped_rows > 0) {
    note(fmt::format("{}: dropped {} of {} rows with a missing value", name, table.dropped_rows,
                     table.dropped_rows + table.values.rows()));
  }
  if (input.dequantize) {
    // Golden-ratio steps give each file its own noise streams.
    table.values = dequantize(table.values, seed + file_index * 0x9E3779B97F4A7C15ull);
  }
  return table;
}

Model fit_model(ConstMatrixRef values, const std::vector<std::string>& column_names,
                const std::string& path, const FitOptions& options, const FitObserver& observer) {
  const std::string name = path == "-" ? "<stdin>" : path;
  try {
    return Model::fit(values, options, observer);
  } catch (const InputError& e) {
    if (e.path() != "training data") throw;
    // The library names the data "training data"; here the data is a file whose columns may have
    // names, so a whole column is named as in the header: column 3 ("w x") is constant (...). The
    // label goes into the reason, with column 0: InputError would otherwise print "column 3" too.
    if (e.line() != 0 || e.column() == 0) throw InputError(name, e.line(), e.column(), e.reason());
    const std::size_t c = e.column() - 1;
    const std::string label = c < column_names.size()
                                  ? fmt::format("column {} ({:?})", e.column(), column_names[c])
                                  : fmt::format("column {}", e.column());
    throw InputError(name, 0, 0, fmt::format("{} {}", label, e.reason()));
  }
}

Model fit_model_validated(ConstMatrixRef values, const std::string& path,
                          const std::string& validation_path, const CsvInput& csv,
                          const FitOptions& options, const FitObserver& observer) {
  const Table validation = read_input(validation_path, csv, options.seed);
  if (validation.values.cols() != values.cols()) {
    throw DimensionError(fmt::format("{} has {} columns, {} has {}", validation_path,
                                     validation.values.cols(), path, values.cols()));
  }
  return Model::fit(values, validation.values, options, observer);
}

void check_columns(Index model_dims, const std::string& model_path, const Table& table,
                   const std::string& data_path) {
  if (table.values.cols() == model_dims) return;
  throw DimensionError(fmt::format("{} has {} columns, model {} has {} dimensions",
                                   data_path == "-" ? "<stdin>" : data_path, table.values.cols(),
                                   model_path, model_dims));
}

void check_output_folder(const std::string& path, const std::vector<std::string>& inputs) {
  if (is_stdout(path)) return;
  check_writable(path);  // creates and removes a temporary, as the final write will
  std::error_code error;
  for (const std::string& input : inputs) {
    if (input.empty() || input == "-") continue;
    // equivalent() compares device and inode; it fails (error set) when either file is missing.
    if (std::filesystem::equivalent(path, input, error)) {
      throw Error(
          fmt::format("{}: the output is also the input {}: writing it would destroy "
                      "that file; choose another output",
                      path, input));
    }
  }
}

namespace {

/// NPY when the path ends in .npy, CSV otherwise (and on stdout).
void write_table(const std::string& path, ConstMatrixRef values,
                 const std::vector<std::string>& names, bool one_dimensional) {
  if (!path.empty() && !is_stdout(path)) {
    write_file_atomically(path, [&](std::ostream& out) {
      if (is_npy_path(path)) {
        write_npy(out, values, one_dimensional);
      } else {
        write_csv(out, values, names);
      }
    });
    return;
  }
  write_csv(std::cout, values, names);
  std::cout.flush();
  if (!std::cout) throw Error("<stdout>: write failed");
}

}  // namespace

void write_output(const std::string& path, ConstMatrixRef values,
                  const std::vector<std::string>& names) {
  write_table(path, values, names, false);
}

void write_output(const std::string& path, const Vector& values, const std::string& name) {
  write_table(path, values, {name}, true);
}

void print_json(nlohmann::json object) {
  object["schema"] = kJsonSchema;
  std::cout << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

CLI::Validator seed_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const std::from_chars_result parsed = std::from_chars(text.data(), end, value);
        if (!text.empty() && parsed.ec == std::errc() && parsed.ptr == end) return {};
        return fmt::format("must be an integer from 0 to {} (got {})",
                           std::numeric_limits<std::uint64_t>::max(), text);
      },
      "");
}

ModelAndData load_model_and_data(const std::string& model_path, const std::string& data_path,
                                 const CsvInput& csv, const std::string& output) {
  if (!output.empty()) check_output_folder(output, {model_path, data_path});
  // Cheap checks first: the file's envelope and dimensions, the data's columns; only then the
  // layers, whose rebuilding can take a while.
  const Index dims = Model::read_summary(model_path).dims;
  Table table = read_input(data_path, csv);
  check_columns(dims, model_path, table, data_path);
  check_interrupted();
  ModelAndData loaded{Model::load(model_path), std::move(table)};
  check_interrupted();
  return loaded;
}

std::vector<std::string> rotation_kind_names() {
  const std::vector<std::string_view> names = rbig::rotation_kind_names();  // the registry's
  return {names.begin(), names.end()};
}

std::vector<std::string> marginal_kind_names() {
  const std::vector<std::string_view> names = rbig::marginal_kind_names();  // the registry's
  return {names.begin(), names.end()};
}

std::string join_names(const std::vector<std::string>& names, const std::string& separator) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : separator) + name;
  return joined;
}

std::string option_reason(const OptionError& e, const std::string& field) {
  return e.field() == field ? e.reason() : e.what();
}

}  // namespace rbig::cli
