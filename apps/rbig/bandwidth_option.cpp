// --bandwidth: parsed once here for fit and the information measures.

#include "bandwidth_option.hpp"

#include "common.hpp"
#include "option_values.hpp"

#include <rbig/error.hpp>

#include <fmt/format.h>

namespace rbig::cli {

void parse_bandwidth(const std::string& text, FitOptions& options) {
  if (text == kAuto) return;
  double value = 0.0;
  if (CLI::detail::lexical_cast(text, value)) {
    options.bandwidth = value;
    return;
  }
  try {
    options.bandwidth_rule = parse_bandwidth_rule(text);
  } catch (const OptionError&) {
    throw OptionError("bandwidth",
                      fmt::format("expected a number of standard deviations, silverman, plugin, "
                                  "annealed or auto (got \"{}\")",
                                  text));
  }
}

CLI::Validator bandwidth_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        try {
          FitOptions options;
          parse_bandwidth(text, options);
          options.validate();
        } catch (const OptionError& e) {
          return option_reason(e, "bandwidth");
        }
        return {};
      },
      "");
}

}  // namespace rbig::cli
