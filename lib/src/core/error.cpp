#include <rbig/error.hpp>

#include <fmt/format.h>

namespace rbig {
namespace {

std::string located(const std::string& path, std::size_t line, std::size_t column,
                    const std::string& what) {
  if (line == 0) return fmt::format("{}: {}", path, what);
  if (column == 0) return fmt::format("{}:{}: {}", path, line, what);
  return fmt::format("{}:{}:{}: {}", path, line, column, what);
}

}  // namespace

InputError::InputError(std::string path, std::size_t line, std::size_t column,
                       const std::string& what)
    : Error(located(path, line, column, what)),
      path_(std::move(path)),
      line_(line),
      column_(column) {}

}  // namespace rbig
