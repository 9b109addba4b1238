#pragma once
/// Option values that are a number or the word "auto" (the library's empty choice), shared by
/// fit and the information measures so that `--bins auto` means the same in both.

#include "common.hpp"

#include <rbig/error.hpp>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <optional>
#include <string>
#include <type_traits>

namespace rbig::cli {

inline constexpr const char* kAuto = "auto";

/// "expected an integer or \"auto\" (got \"x\")"; "a number" for floating-point T.
template <typename T>
std::string number_or_auto_expected(const std::string& text) {
  return fmt::format("expected {} or \"auto\" (got \"{}\")",
                     std::is_integral_v<T> ? "an integer" : "a number", text);
}

/// Empty for "auto", else the number; throws OptionError naming option when text is neither.
template <typename T>
std::optional<T> parse_number_or_auto(const std::string& option, const std::string& text) {
  if (text == kAuto) return std::nullopt;
  T value{};
  if (!CLI::detail::lexical_cast(text, value)) {
    throw OptionError(option, number_or_auto_expected<T>(text));
  }
  return value;
}

/// The value is checked by FitOptions::validate through `set`, or is the word "auto".
template <typename T, typename Set>
CLI::Validator number_or_auto_validator(const std::string& field, Set set) {
  CLI::Validator number = fit_option_validator<T>(field, set);
  return CLI::Validator(
      [number](std::string& text) -> std::string {
        if (text == kAuto) return {};
        T value{};
        if (!CLI::detail::lexical_cast(text, value)) return number_or_auto_expected<T>(text);
        return number(text);
      },
      "");
}

}  // namespace rbig::cli
