#include <rbig/error.hpp>

#include <fmt/format.h>

#include <utility>

namespace rbig {
namespace {

std::string located(const std::string& path, std::size_t line, std::size_t column,
                    const std::string& reason) {
  if (line == 0 && column == 0) return fmt::format("{}: {}", path, reason);
  if (line == 0) return fmt::format("{}: column {} {}", path, column, reason);
  if (column == 0) return fmt::format("{}:{}: {}", path, line, reason);
  return fmt::format("{}:{}:{}: {}", path, line, column, reason);
}

}  // namespace

InputError::InputError(std::string path, std::size_t line, std::size_t column, std::string reason)
    : Error(located(path, line, column, reason)),
      path_(std::move(path)),
      line_(line),
      column_(column),
      reason_(std::move(reason)) {}

OptionError::OptionError(std::string field, std::string reason)
    : Error(fmt::format("{}: {}", field, reason)),
      field_(std::move(field)),
      reason_(std::move(reason)) {}

OptionError::OptionError(const std::string& message) : Error(message), reason_(message) {}

}  // namespace rbig
