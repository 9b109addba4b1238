#pragma once
/// The exceptions rbig throws. The whole message is in what(): lower-case, names what is wrong,
/// where, the offending value and what is accepted, e.g.
/// `data.csv:12:3: expected a number, got "abc"`.
/// InputError and OptionError also keep their parts (location, field, reason) as data, so that a
/// caller can say the same thing in its own words without taking the message apart.

#include <cstddef>
#include <stdexcept>
#include <string>

namespace rbig {

/// Base of every error the library reports about its input, options, files or numerics.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Bad data in a file or matrix; line and column are 1-based, 0 when not applicable. what() is
/// the location, then the reason:
///   line and column  `data.csv:12:3: expected a number, got "abc"`
///   line only        `data.csv:1: no data rows after the header`
///   column only      `training data: column 3 is constant (every value is 5)`: a whole column,
///                    whose reason is a predicate ("is constant (every value is 5)")
///   neither          `data.csv: no data rows`
class InputError : public Error {
 public:
  InputError(std::string path, std::size_t line, std::size_t column, std::string reason);
  const std::string& path() const { return path_; }
  std::size_t line() const { return line_; }
  std::size_t column() const { return column_; }
  /// The message without its location: `expected a number, got "abc"`.
  const std::string& reason() const { return reason_; }

 private:
  std::string path_;
  std::size_t line_;
  std::size_t column_;
  std::string reason_;
};

/// An option outside its accepted range: `--bins: must be at least 2 (got 1)`.
class OptionError : public Error {
 public:
  /// what() is `field: reason`.
  OptionError(std::string field, std::string reason);
  /// A message that names no field apart: field() is empty and reason() is the whole message.
  explicit OptionError(const std::string& message);
  /// The option's name as the library spells it (`bins`), or empty.
  const std::string& field() const { return field_; }
  /// The message without `field: `: `must be at least 2 (got 1)`.
  const std::string& reason() const { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

/// A model file that cannot be read: wrong magic, unsupported version, truncated, checksum
/// mismatch.
class ModelFileError : public Error {
 public:
  using Error::Error;
};

/// Data whose dimensions do not match the model or the other operand.
class DimensionError : public Error {
 public:
  using Error::Error;
};

/// A numerical failure with its context:
/// `layer 7: covariance eigen-decomposition did not converge`.
class NumericalError : public Error {
 public:
  using Error::Error;
};

}  // namespace rbig
