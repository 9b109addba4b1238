// rbig: command-line front end of the rbig library. This is the only place that catches
// exceptions: each kind maps to one exit status, documented in the help footer.

#include "commands.hpp"
#include "common.hpp"

#include <rbig/cancel.hpp>
#include <rbig/error.hpp>
#include <rbig/version.hpp>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <new>
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
    "\n"
    "Example:\n"
    "  rbig fit data/faithful.csv -o faithful.rbig && rbig score faithful.rbig data/faithful.csv\n"
    "Run 'rbig COMMAND --help' for the options of one command.";

int run(int argc, char** argv) {
  CLI::App app{
      "Rotation-Based Iterative Gaussianization: fit a density model to the rows of a CSV file, "
      "then score, sample, transform or invert with it.",
      "rbig"};
  app.set_version_flag("--version", fmt::format("rbig {}", rbig::kVersion));
  app.require_subcommand(1);
  rbig::cli::setup_fit(app);
  rbig::cli::setup_score(app);
  rbig::cli::setup_sample(app);
  rbig::cli::setup_transform(app);
  rbig::cli::setup_inverse(app);
  rbig::cli::setup_info(app);
  rbig::cli::setup_measures(app);
  app.footer(kFooter);  // after the subcommands, which would otherwise inherit it
  // Usage errors look like every other error, and point at the help of the command at fault.
  app.failure_message([](const CLI::App* failed, const CLI::Error& e) {
    std::vector<CLI::App*> selected = failed->get_subcommands();
    const std::string help =
        selected.empty() ? "rbig --help" : fmt::format("rbig {} --help", selected[0]->get_name());
    return fmt::format("rbig: {}\nRun '{}' for the accepted options.\n", e.what(), help);
  });

  try {
    app.parse(argc, argv);  // runs the selected subcommand's callback
  } catch (const rbig::cli::ExitStatus& e) {
    return e.get_exit_code();
  } catch (const CLI::ParseError& e) {
    // Help and --version go to stdout with status 0; everything else is a usage error.
    return app.exit(e, std::cout, std::cerr) == 0 ? kOk : kUsage;
  }
  std::cout.flush();
  if (!std::cout) throw rbig::Error("<stdout>: write failed");
  return kOk;
}

}  // namespace

int main(int argc, char** argv) {
  rbig::cli::install_signal_handlers();
  try {
    return run(argc, argv);
  } catch (const rbig::cli::Interrupted& e) {
    std::fputs("rbig: interrupted\n", stderr);
    return kSignalBase + e.signal_number;
  } catch (const rbig::Cancelled&) {
    // A library loop saw the flag our signal handler set (rbig::request_cancel).
    std::fputs("rbig: interrupted\n", stderr);
    return kSignalBase + rbig::cli::received_signal();
  } catch (const rbig::Error& e) {
    fmt::print(stderr, "rbig: {}\n", e.what());
    return kError;
  } catch (const std::bad_alloc&) {
    // Not a bug: the data or a requested size (e.g. sample -n) does not fit in memory.
    std::fputs("rbig: out of memory\n", stderr);
    return kError;
  } catch (const std::exception& e) {
    fmt::print(stderr, "rbig: internal error: {}\n", e.what());
    return kInternal;
  } catch (...) {
    std::fputs("rbig: internal error: unknown exception\n", stderr);
    return kInternal;
  }
}
