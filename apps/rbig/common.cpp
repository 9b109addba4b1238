#include "common.hpp"

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

// The library has no list of its enumerators. A kind missing from these arrays would only be
// hidden from the help text (names are parsed by the library); the switches below make -Wswitch
// flag a kind added to options.hpp and not listed here.
constexpr RotationKind kRotationKinds[] = {RotationKind::Pca, RotationKind::Random};
constexpr MarginalKind kMarginalKinds[] = {MarginalKind::Histogram, MarginalKind::Gaussian};

[[maybe_unused]] constexpr bool listed(RotationKind kind) {
  switch (kind) {
    case RotationKind::Pca:
    case RotationKind::Random:
      return true;
  }
  return false;
}

[[maybe_unused]] constexpr bool listed(MarginalKind kind) {
  switch (kind) {
    case MarginalKind::Histogram:
    case MarginalKind::Gaussian:
      return true;
  }
  return false;
}

}  // namespace

void install_signal_handlers() {
  install_handler(SIGINT);
  install_handler(SIGTERM);
}

bool interrupted() { return g_signal != 0; }

void check_interrupted() {
  if (g_signal != 0) throw Interrupted{static_cast<int>(g_signal)};
}

void add_csv_input_flags(CLI::App& app, CsvInput& input) {
  CLI::Option* header = app.add_flag_callback(
      "--header", [&input] { input.options.header = CsvOptions::Header::Yes; },
      "The first CSV row is a header (default: a header only if a field is not a number)");
  CLI::Option* no_header = app.add_flag_callback(
      "--no-header", [&input] { input.options.header = CsvOptions::Header::No; },
      "The first CSV row is data");
  header->excludes(no_header);
}

Table read_input(const std::string& path, const CsvInput& input) {
  if (path != "-") return read_csv(path, input.options);
  std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  if (std::cin.bad()) throw Error("<stdin>: read failed");
  return parse_csv(text, "<stdin>", input.options);
}

void check_columns(const Model& model, const std::string& model_path, const Table& table,
                   const std::string& data_path) {
  if (table.values.cols() == model.dims()) return;
  throw DimensionError(fmt::format("{} has {} columns, model {} has {} dimensions",
                                   data_path == "-" ? "<stdin>" : data_path, table.values.cols(),
                                   model_path, model.dims()));
}

void check_output_folder(const std::string& path) {
  std::filesystem::path folder = std::filesystem::path(path).parent_path();
  if (folder.empty()) folder = ".";
  std::error_code error;
  if (std::filesystem::is_directory(folder, error)) return;
  throw Error(fmt::format("{}: cannot write: folder {} does not exist", path, folder.string()));
}

void write_output(const std::string& path, ConstMatrixRef values,
                  const std::vector<std::string>& names) {
  if (!path.empty()) {
    write_file_atomically(path, [&](std::ostream& out) { write_csv(out, values, names); });
    return;
  }
  write_csv(std::cout, values, names);
  std::cout.flush();
  if (!std::cout) throw Error("<stdout>: write failed");
}

void print_json(const nlohmann::json& object) {
  std::cout << object.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

std::vector<std::string> default_column_names(Index dims) {
  std::vector<std::string> names;
  for (Index d = 1; d <= dims; ++d) names.push_back(fmt::format("x{}", d));
  return names;
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

std::vector<std::string> rotation_kind_names() {
  std::vector<std::string> names;
  for (RotationKind kind : kRotationKinds) names.emplace_back(to_string(kind));
  return names;
}

std::vector<std::string> marginal_kind_names() {
  std::vector<std::string> names;
  for (MarginalKind kind : kMarginalKinds) names.emplace_back(to_string(kind));
  return names;
}

std::string join_names(const std::vector<std::string>& names, const std::string& separator) {
  std::string joined;
  for (const std::string& name : names) joined += (joined.empty() ? "" : separator) + name;
  return joined;
}

std::string without_field_prefix(const std::string& message, const std::string& field) {
  const std::string prefix = field + ": ";
  if (message.compare(0, prefix.size(), prefix) == 0) return message.substr(prefix.size());
  return message;
}

}  // namespace rbig::cli
