// libFuzzer target: rbig::parse_npy on arbitrary bytes; the first byte's low bit selects
// drop_missing. Any rbig::Error is an accepted answer; a crash, a sanitizer report, another
// exception type or a table that breaks the documented contract is a bug.

#include <rbig/error.hpp>
#include <rbig/npy.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  rbig::NpyOptions options;
  options.drop_missing = (data[0] & 1) != 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const rbig::Table table = rbig::parse_npy(bytes, "fuzz.npy", options);
    // The contract: at least one row, one name per column, every value finite.
    if (table.values.rows() < 1 || table.values.cols() < 1) std::abort();
    if (static_cast<rbig::Index>(table.column_names.size()) != table.values.cols()) std::abort();
    if (!table.values.allFinite()) std::abort();
    if (table.dropped_rows < 0 || (!options.drop_missing && table.dropped_rows != 0)) std::abort();
    // What the writer makes of it reads back to the same values.
    std::ostringstream out;
    rbig::write_npy(out, table.values);
    const rbig::Table again = rbig::parse_npy(out.str(), "again.npy");
    if (again.values != table.values) std::abort();
  } catch (const rbig::Error&) {
    // A clear error is the right answer to bad input.
  }
  return 0;
}
