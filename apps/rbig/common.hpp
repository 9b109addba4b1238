#pragma once
/// Helpers shared by the rbig subcommands: CSV in and out, JSON out, option validators built from
/// the library's own rules, output-path checks and interruption (SIGINT/SIGTERM).

#include <rbig/error.hpp>
#include <rbig/io.hpp>
#include <rbig/model.hpp>
#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rbig::cli {

/// Thrown when SIGINT or SIGTERM arrived; main.cpp maps it to exit status 128 + signal.
struct Interrupted {
  int signal_number;
};

/// Makes the first SIGINT/SIGTERM set a flag that long work polls; a second one kills the process.
void install_signal_handlers();
/// True once SIGINT or SIGTERM arrived.
bool interrupted();
/// The first SIGINT or SIGTERM received, 0 if none.
int received_signal();
/// Throws Interrupted if a signal arrived: called between the steps of every command.
void check_interrupted();

/// How the input CSV is read, shared by every command that reads one.
struct CsvInput {
  CsvOptions options;       // default-constructed: header detection as documented in io.hpp
  bool dequantize = false;  // only set by commands that call add_dequantize_flag
};
/// Adds --NAME and --no-NAME, which exclude each other: `on` or `off` runs when one is given;
/// with neither, the default stays.
void add_flag_pair(CLI::App& app, const std::string& name, std::function<void()> on,
                   const std::string& on_help, std::function<void()> off,
                   const std::string& off_help);
/// add_flag_pair for an option whose empty state is its default: true with --NAME, false with
/// --no-NAME.
void add_flag_pair(CLI::App& app, const std::string& name, std::optional<bool>& value,
                   const std::string& on_help, const std::string& off_help);

/// Adds --header / --no-header (mutually exclusive), --delimiter and --drop-missing.
void add_csv_input_flags(CLI::App& app, CsvInput& input);
/// Adds --dequantize (uniform noise of each column's grid step, seeded by --seed).
void add_dequantize_flag(CLI::App& app, CsvInput& input);

/// The delimiter named by --delimiter: one character, or "tab" / "\t" / "space"; an empty
/// optional for anything else.
std::optional<char> parse_delimiter(const std::string& text);

/// Reads a CSV file, an NPY file (by its .npy extension), or standard input when path is "-"
/// (NPY when it starts with NPY's magic string, CSV otherwise). Says on stderr how many rows
/// --drop-missing dropped; with --dequantize adds the noise, from seed and file_index (0 for the
/// first file of a command, 1 for the second: two files never share noise).
Table read_input(const std::string& path, const CsvInput& input, std::uint64_t seed = 0,
                 std::uint64_t file_index = 0);

/// Model::fit on the values of a table read from path (its column names: column_names); an
/// error about the training data names the CSV file (and, for a constant column, its header name)
/// instead of "training data".
Model fit_model(ConstMatrixRef values, const std::vector<std::string>& column_names,
                const std::string& path, const FitOptions& options, const FitObserver& observer);
/// Model::fit with explicit validation rows read from validation_path (same CSV options).
Model fit_model_validated(ConstMatrixRef values, const std::string& path,
                          const std::string& validation_path, const CsvInput& csv,
                          const FitOptions& options, const FitObserver& observer);
/// Throws DimensionError naming both files unless table has one column per model dimension.
void check_columns(Index model_dims, const std::string& model_path, const Table& table,
                   const std::string& data_path);

/// A model and the rows a command applies it to.
struct ModelAndData {
  Model model;
  Table table;
};
/// What score, transform and inverse do first: the output folder checked (when there is an
/// output), the model's dimensions read (Model::read_summary), the data read and its columns
/// matched to them, then the model loaded.
ModelAndData load_model_and_data(const std::string& model_path, const std::string& data_path,
                                 const CsvInput& csv, const std::string& output);

/// Fails early (before any long computation) when the output cannot be written (rbig's
/// check_writable: a missing or read-only folder, a path naming a folder), or when the output is
/// one of the input files (the same file however spelled: symlinks, ./): replacing it would destroy
/// the input. "-" (standard input) and missing files never match;
/// an output "-" (standard output) is not checked.
void check_output_folder(const std::string& path, const std::vector<std::string>& inputs = {});
/// Writes a CSV to stdout when path is empty or "-", otherwise atomically to path: NPY (float64,
/// rows × columns) when path ends in .npy, CSV with a header of names (none when empty) otherwise.
void write_output(const std::string& path, ConstMatrixRef values,
                  const std::vector<std::string>& names);
/// The same for one value per row: a 1-D array in NPY, one column headed by name in CSV.
void write_output(const std::string& path, const Vector& values, const std::string& name);
/// Prints one JSON object on one line on stdout, with "schema" (docs/json.md) added; invalid
/// UTF-8 (e.g. in paths) is replaced.
void print_json(nlohmann::json object);

/// Accepts only a decimal integer that fits std::uint64_t: CLI11 2.1.2 silently wraps "-1" and
/// saturates values that are too large.
CLI::Validator seed_validator();

/// Names of every rotation / marginal kind, as accepted by the parse_*_kind functions.
std::vector<std::string> rotation_kind_names();
std::vector<std::string> marginal_kind_names();
/// "a|b|c", for help text.
std::string join_names(const std::vector<std::string>& names, const std::string& separator);

/// The message of a library OptionError without its field ("must be at least 1 (got 0)") when
/// the field is `field`, so that CLI11 can put the option's own name (e.g. "--max-layers: ") in
/// front of it instead; the whole message otherwise.
std::string option_reason(const OptionError& e, const std::string& field);

/// A validator that applies a parsed value to a default FitOptions and runs validate(): the rule
/// and its message live only in the library. A value that does not parse as T passes here and is
/// reported by CLI11's conversion instead.
template <typename T, typename Set>
CLI::Validator fit_option_validator(std::string field, Set set) {
  return CLI::Validator(
      [field, set](std::string& text) -> std::string {
        T value{};
        if (!CLI::detail::lexical_cast(text, value)) return {};
        FitOptions options;
        set(options, value);
        try {
          options.validate();
        } catch (const OptionError& e) {
          return option_reason(e, field);
        }
        return {};
      },
      "");
}

/// A validator for an enum name, checked by the library's parse function; the text is left as is.
template <typename Parse>
CLI::Validator kind_validator(std::string field, Parse parse) {
  return CLI::Validator(
      [field, parse](std::string& text) -> std::string {
        try {
          parse(text);
        } catch (const OptionError& e) {
          return option_reason(e, field);
        }
        return {};
      },
      "");
}

}  // namespace rbig::cli
