#pragma once
/// The rbig subcommands. Each setup_* adds one subcommand to the application, binds its options
/// to a command struct and sets a callback that runs it; errors are thrown, never caught here
/// (main.cpp maps them to exit codes).

#include <CLI/CLI.hpp>

namespace rbig::cli {

void setup_fit(CLI::App& app);
void setup_score(CLI::App& app);
void setup_sample(CLI::App& app);
void setup_transform(CLI::App& app);
void setup_inverse(CLI::App& app);
void setup_info(CLI::App& app);
void setup_measures(CLI::App& app);
void setup_report(CLI::App& app);

/// Thrown by a subcommand callback whose run_* returned a non-zero status without an exception;
/// main.cpp returns the status.
using ExitStatus = CLI::RuntimeError;

}  // namespace rbig::cli
