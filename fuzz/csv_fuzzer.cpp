// libFuzzer target: rbig::parse_csv on arbitrary bytes, with every combination of options the
// first byte selects. Any rbig::Error is an accepted answer; a crash, a sanitizer report, another
// exception type or a table that breaks the documented contract is a bug.

#include <rbig/error.hpp>
#include <rbig/io.hpp>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t selector = data[0];
  rbig::CsvOptions options;
  constexpr char kDelimiters[] = {',', ';', '\t', '|'};
  options.delimiter = kDelimiters[selector & 3];
  options.header = static_cast<rbig::CsvOptions::Header>((selector >> 2) % 3);
  options.drop_missing = (selector & 0x20) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    const rbig::Table table = rbig::parse_csv(text, "fuzz.csv", options);
    // The contract: at least one row, one name per column, every value finite.
    if (table.values.rows() < 1) std::abort();
    if (static_cast<rbig::Index>(table.column_names.size()) != table.values.cols()) std::abort();
    if (!table.values.allFinite()) std::abort();
    if (table.dropped_rows < 0 || (!options.drop_missing && table.dropped_rows != 0)) std::abort();
  } catch (const rbig::Error&) {
    // A clear error is the right answer to bad input.
  }
  return 0;
}
