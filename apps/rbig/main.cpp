// rbig: command-line front end of the rbig library. This is the only place that catches
// exceptions: each kind maps to one exit status, documented in the help footer.

#include "allocator.hpp"
#include "commands.hpp"
#include "common.hpp"
#include "console.hpp"
#include "suggest.hpp"
#ifdef RBIG_WITH_MPI
#include "mpi_run.hpp"
#endif

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/model.hpp>
#include <rbig/threads.hpp>
#include <rbig/version.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace {

constexpr int kOk = 0;
constexpr int kError = 1;         // rbig::Error: bad data, options, model file, numerics, I/O
constexpr int kUsage = 2;         // the command line itself (CLI11 parse and validation errors)
constexpr int kInternal = 3;      // anything else: a bug
constexpr int kSignalBase = 128;  // + signal number, the shell convention (SIGINT: 130)

constexpr const char* kFooter =
    "Exit status:\n"
    "  0    success\n"
    "  1    error in the data, options, model file or output, or out of memory\n"
    "  2    usage error (unknown or invalid option or argument)\n"
    "  3    internal error\n"
    "  130  interrupted by Ctrl-C (143 for SIGTERM); no output file is written\n"
    "With --json an error is also one JSON object on stdout: {\"error\", \"exit\", \"schema\"}.\n"
    "\n"
    "Environment:\n"
    "  RBIG_THREADS=N       --threads of every command\n"
    "  RBIG_LOAD_AWARE=0    use the threads asked for even when other work keeps the cores busy\n"
    "                       (default 1: a loop leaves out threads that would find no idle core)\n"
    "\n"
    "Example:\n"
    "  rbig fit data/faithful.csv -o faithful.rbig && rbig score faithful.rbig data/faithful.csv\n"
    "Run 'rbig COMMAND --help' for the options of one command.";

// --threads on every command, and RBIG_THREADS for all of them: the count that "all cores"
// means (fit keeps its own option, which also reads the variable). Capped at the core count.
void add_threads_options(CLI::App& app) {
  const auto all = [](CLI::App*) { return true; };
  for (CLI::App* sub : app.get_subcommands(all)) {
    if (CLI::Option* own = sub->get_option_no_throw("--threads")) {
      own->envname("RBIG_THREADS");
      continue;
    }
    sub->add_option_function<int>(
           "--threads", [](const int& threads) { rbig::set_default_threads(threads); },
           "Worker threads, 0 = all cores (never changes the result)")
        ->envname("RBIG_THREADS")
        ->check(CLI::NonNegativeNumber);
  }
}

// RBIG_LOAD_AWARE=0: every parallel loop takes the threads asked for, even when other work keeps
// the cores busy (rbig::set_load_aware_threads; for containers whose /proc/loadavg is the host's).
void read_load_aware_variable() {
  const char* value = std::getenv("RBIG_LOAD_AWARE");
  if (value == nullptr) return;
  const std::string text = value;
  if (text != "0" && text != "1") {
    throw CLI::ValidationError("RBIG_LOAD_AWARE", fmt::format("must be 0 or 1 (got '{}')", text));
  }
  rbig::set_load_aware_threads(text == "1");
}

// True when the command line asks for JSON: errors are then also one JSON object on stdout.
// Scanned before parsing, so that usage errors are covered too.
bool wants_json(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") return false;
    if (arg == "--json") return true;
  }
  return false;
}

// The usual stderr line, and with --json the same message as {"error", "exit"} on stdout.
int fail(int status, const std::string& message, bool json) {
#ifdef RBIG_WITH_MPI
  if (!rbig::cli::speaks()) return status;  // under mpirun, process 0 speaks for all
#endif
  fmt::print(stderr, "rbig: {}\n", message);
  if (json) rbig::cli::print_json({{"error", message}, {"exit", status}});
  return status;
}

// `rbig fitt`: CLI11 would say "A subcommand is required"; name the word and the likely command.
void check_command_name(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return;
  const std::string typed = argv[1];
  std::vector<std::string> names;
  for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
  if (std::find(names.begin(), names.end(), typed) != names.end()) return;
  const std::optional<std::string> guess = rbig::cli::closest_name(typed, names);
  throw CLI::ExtrasError(
      guess ? fmt::format("unknown command '{}'; did you mean '{}'?", typed, *guess)
            : fmt::format("unknown command '{}' (commands: {})", typed,
                          rbig::cli::join_names(names, ", ")),
      CLI::ExitCodes::ExtrasError);
}

int run(int argc, char** argv, bool json) {
  CLI::App app{
      "Rotation-Based Iterative Gaussianization: fit a density model to the rows of a CSV file, "
      "then score, sample, transform or invert with it.",
      "rbig"};
  app.set_version_flag(
      "--version", fmt::format("rbig {}\nmodel file format {} (reads {} to {})", rbig::kVersion,
                               rbig::kModelFormatVersion, rbig::kOldestReadableModelFormatVersion,
                               rbig::kModelFormatVersion));
  // Every command's help in one text: the source of the man page (help2man --help-option).
  app.set_help_all_flag("--help-all", "Print the help of every command");
  app.require_subcommand(1);
  rbig::cli::setup_fit(app);
  rbig::cli::setup_score(app);
  rbig::cli::setup_sample(app);
  rbig::cli::setup_transform(app);
  rbig::cli::setup_inverse(app);
  rbig::cli::setup_info(app);
  rbig::cli::setup_measures(app);
  rbig::cli::setup_report(app);
#ifdef RBIG_WITH_MPI
  rbig::cli::note_mpi_support(app);
#endif
  add_threads_options(app);
  app.footer(kFooter);  // after the subcommands, which would otherwise inherit it
  // Usage errors look like every other error, and point at the help of the command at fault.
  app.failure_message([](const CLI::App* failed, const CLI::Error& e) {
    std::vector<CLI::App*> selected = failed->get_subcommands();
    const std::string help =
        selected.empty() ? "rbig --help" : fmt::format("rbig {} --help", selected[0]->get_name());
    return fmt::format("rbig: {}\nRun '{}' for the accepted options.\n", e.what(), help);
  });

  try {
    check_command_name(app, argc, argv);
    read_load_aware_variable();
    app.parse(argc, argv);  // runs the selected subcommand's callback
  } catch (const rbig::cli::ExitStatus& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // Help and --version go to stdout with status 0; everything else is a usage error.
    if (app.exit(e, std::cout, std::cerr) == 0) return kOk;
    if (json) rbig::cli::print_json({{"error", e.what()}, {"exit", kUsage}});
    return kUsage;
  }
  std::cout.flush();
  if (!std::cout) throw rbig::Error("<stdout>: write failed");
  return kOk;
}

// The exit status of the exception being handled, after its message.
int report_current(bool json) {
  try {
    throw;
  } catch (const rbig::cli::Interrupted& e) {
    return fail(kSignalBase + e.signal_number, "interrupted", json);
  } catch (const rbig::Cancelled&) {
    // A library loop saw the flag our signal handler set (rbig::request_cancel).
    return fail(kSignalBase + rbig::cli::received_signal(), "interrupted", json);
  } catch (const rbig::Error& e) {
    return fail(kError, e.what(), json);
  } catch (const std::bad_alloc&) {
    // Not a bug: the data or a requested size (e.g. sample -n) does not fit in memory.
    return fail(kError, "out of memory", json);
  } catch (const std::exception& e) {
    return fail(kInternal, fmt::format("internal error: {}", e.what()), json);
  } catch (...) {
    return fail(kInternal, "internal error: unknown exception", json);
  }
}

}  // namespace

int main(int argc, char** argv) {
  rbig::cli::keep_freed_memory();
  rbig::cli::install_signal_handlers();
  const bool json = wants_json(argc, argv);
#ifdef RBIG_WITH_MPI
  std::optional<rbig::cli::MpiLaunch> mpi;
  try {
    mpi.emplace(argc, argv);
  } catch (...) {
    return report_current(json);
  }
  if (mpi->active() && argc > 1) {
    if (const std::optional<std::string> refusal =
            rbig::cli::mpi_refusal(argv[1], mpi->processes())) {
      return fail(kError, *refusal, json);
    }
  }
  if (mpi->active()) {
    // Under mpirun: an error every process agreed on ends each normally (process 0 prints it);
    // any other one may leave the others waiting in a collective call, so it ends them all.
    try {
      return run(argc, argv, json);
    } catch (const rbig::cli::AgreedError& e) {
      return fail(kError, e.what(), json);
    } catch (...) {
      rbig::cli::MpiLaunch::speak_alone();
      mpi->abort(report_current(json));
    }
  }
#endif
  try {
    return run(argc, argv, json);
  } catch (...) {
    return report_current(json);
  }
}
