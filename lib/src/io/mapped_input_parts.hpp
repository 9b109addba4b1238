#pragma once
// read_csv_mapped with the size of its parts as a parameter, for tests that cut small files into
// many parts.

#include <rbig/mapped_input.hpp>

#include <cstdint>

namespace rbig::detail {

MappedTable read_csv_mapped(const std::filesystem::path& path,
                            const std::filesystem::path& work_path, const CsvOptions& options,
                            std::uint64_t part_bytes);

}  // namespace rbig::detail
