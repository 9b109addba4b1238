#pragma once
/// The exceptions rbig throws. The whole message is in what(): lower-case, names what is wrong,
/// where, the offending value and what is accepted, e.g. `data.csv:12:3: expected a number, got "abc"`.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace rbig {

/// Base of every error the library reports about its input, options, files or numerics.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Bad data in a file or matrix; line and column are 1-based, 0 when not applicable.
class InputError : public Error {
 public:
  InputError(std::string path, std::size_t line, std::size_t column, const std::string& what);
  const std::string& path() const { return path_; }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }

 private:
  std::string path_;
  std::size_t line_;
  std::size_t column_;
};

/// An option outside its accepted range: `--bins: must be at least 2 (got 1)`.
class OptionError : public Error {
 public:
  using Error::Error;
};

/// A model file that cannot be read: wrong magic, unsupported version, truncated, checksum mismatch.
class ModelFileError : public Error {
 public:
  using Error::Error;
};

/// Data whose dimensions do not match the model or the other operand.
class DimensionError : public Error {
 public:
  using Error::Error;
};

/// A numerical failure with its context: `layer 7: covariance eigen-decomposition did not converge`.
class NumericalError : public Error {
 public:
  using Error::Error;
};

}  // namespace rbig
