#pragma once
/// Hints the command adds to the library's CSV errors, in the command's own vocabulary (options).

#include <rbig/error.hpp>

namespace rbig::cli {

/// The same error with a hint appended when a field that is not a number holds another common
/// delimiter (a tab, ';', '|' or a space) than the one in use: the file was probably read with
/// the wrong --delimiter. Otherwise a copy of the error.
InputError with_delimiter_hint(const InputError& error, char delimiter);

}  // namespace rbig::cli
