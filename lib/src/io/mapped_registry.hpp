#pragma once
// The live MappedMatrix objects of this process, so that a pass given only a ConstMatrixRef can
// tell that it views a whole mapped matrix and read its file with pread instead of touching the
// mapping (fit/work_columns.hpp): the caller's data in `rbig fit --work-file` is such a matrix.

#include <rbig/mapped_matrix.hpp>
#include <rbig/types.hpp>

namespace rbig::detail {

/// MappedMatrix keeps the registry up to date as it is created, moved and closed.
void register_mapped(const MappedMatrix* matrix);
void move_mapped(const MappedMatrix* from, const MappedMatrix* to);
void unregister_mapped(const MappedMatrix* matrix);

/// The live MappedMatrix whose whole view() x is (same data, rows and columns), or null. Valid
/// while that matrix lives and is not moved.
const MappedMatrix* find_mapped(ConstMatrixRef x);

}  // namespace rbig::detail
