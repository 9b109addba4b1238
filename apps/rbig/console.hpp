#pragma once
/// What the rbig command says besides its results: warnings and notes on stderr (silenced by -q),
/// the one-line summary of a file it wrote (stdout, silenced by -q), and, with --json, errors as
/// one JSON object on stdout too.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <utility>

namespace rbig::cli {

/// The version of the JSON layout documented in docs/json.md; every JSON object carries it as
/// "schema". Raised when a key is renamed or removed or changes meaning (adding keys does not).
inline constexpr int kJsonSchema = 1;

/// -q, --quiet: nothing on stdout or stderr but errors and the result asked for.
void set_quiet(bool quiet);
bool quiet();
/// Adds -q,--quiet to a command; extra says what else it silences in that command's help.
void add_quiet_flag(CLI::App& app, const std::string& extra = "");

/// `rbig: warning: <message>` on stderr unless -q.
void warn(const std::string& message);
template <typename... Args>
void warn(fmt::format_string<Args...> format, Args&&... args) {
  warn(fmt::format(format, std::forward<Args>(args)...));
}
/// `rbig: <message>` on stderr unless -q (information, not a problem).
void note(const std::string& message);

/// The summary line of a result written to a file (`wrote z.csv: ...`) on stdout, unless -q. The
/// one rule: a result written to a file gets a summary on stdout; a result written to stdout
/// (no -o, or -o -) gets nothing else there.
void summary(const std::string& line);

/// True when path means standard output ("-").
bool is_stdout(const std::string& path);

/// Text that starts at column indent (after a label) wrapped at width columns, continuation
/// lines indented by indent spaces; a word longer than a line stays whole.
std::string wrap(const std::string& text, std::size_t width, std::size_t indent);

}  // namespace rbig::cli
