#pragma once
/// NumPy's .npy files in and out (format versions 1.0, 2.0 and 3.0).
///
/// In: a 2-D array (rows × columns) or a 1-D array (one column), C or Fortran order, of
/// float64 or float32, or of an integer type (converted to double), either byte order. Every
/// value must be finite unless drop_missing is set, which drops the rows holding NaN or ±inf
/// (NumPy's missing value). A malformed file is an InputError naming the byte offset where it
/// goes wrong: `x.npy: byte 23: header: expected 'fortran_order' to be True or False, got "1"`.
/// Out: little-endian float64, C order, version 1.0 (2.0 when the header needs it), the header
/// padded so the data starts on a 64-byte boundary, as numpy.save writes it.

#include <rbig/io.hpp>
#include <rbig/types.hpp>

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

namespace rbig {

struct NpyOptions {
  /// Drop every row holding NaN or ±inf instead of throwing; Table::dropped_rows counts them.
  bool drop_missing = false;
};

/// True when the path ends in ".npy" (any case): the CLI chooses NPY over CSV by this.
bool is_npy_path(const std::filesystem::path& path);
/// True when bytes start with NPY's magic string "\x93NUMPY".
bool has_npy_magic(std::string_view bytes);

/// Reads an .npy file; Table::column_names are x1..xD (NPY has no column names).
Table read_npy(const std::filesystem::path& path, const NpyOptions& options = {});
/// Rows [R·part/parts, R·(part+1)/parts) of the R rows of an .npy file split among `parts`
/// processes (part 0-based): reads the header and only those rows' bytes. Errors name the row
/// and byte of the whole file; the header's checks are read_npy's.
Table read_npy_part(const std::filesystem::path& path, int part, int parts,
                    const NpyOptions& options = {});
/// Parses the bytes of an .npy file; source names them in error messages.
Table parse_npy(std::string_view bytes, const std::string& source, const NpyOptions& options = {});

/// Writes values as a 2-D array (rows × columns), or as a 1-D array when one_dimensional is set
/// and values has one column (e.g. one log-density per row).
void write_npy(std::ostream& out, ConstMatrixRef values, bool one_dimensional = false);
/// write_npy in parts, for an array written piece by piece (the rows of several processes): the
/// header of a rows × columns array (1-D when one_dimensional and columns is 1), then the bytes of
/// each piece's rows in order.
void write_npy_header(std::ostream& out, Index rows, Index columns, bool one_dimensional = false);
void write_npy_rows(std::ostream& out, ConstMatrixRef values);

}  // namespace rbig
