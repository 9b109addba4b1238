// One process's part of a CSV file (io.hpp, read_csv_part_bytes / parse_csv_part): the parts of
// 1…5 processes hold every data row once, in order, and errors name the line of the whole file.

#include <rbig/error.hpp>
#include <rbig/io.hpp>

#include "support/files.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>

using namespace rbig;

namespace {

std::string numbered_rows(int rows, const char* line_end) {
  std::string text = std::string("a,b") + line_end + "# a comment" + line_end;
  for (int i = 0; i < rows; ++i) text += fmt::format("{},{}{}", i, 0.5 * i, line_end);
  return text;
}

}  // namespace

TEST_CASE("csv part: the parts of K processes hold every row once, in order, header once") {
  const test::ScratchDir dir("csv_part");
  for (const char* line_end : {"\n", "\r\n"}) {
    const auto path = dir.write("rows.csv", numbered_rows(37, line_end));
    for (int parts = 1; parts <= 5; ++parts) {
      CAPTURE(parts);
      std::vector<double> first_column;
      std::size_t lines_before = 0;
      for (int part = 0; part < parts; ++part) {
        const CsvPart bytes = read_csv_part_bytes(path, part, parts);
        const Table table = parse_csv_part(bytes, lines_before, path.string());
        CHECK(table.values.cols() == 2);
        for (Index r = 0; r < table.values.rows(); ++r) first_column.push_back(table.values(r, 0));
        lines_before += bytes.lines;
      }
      REQUIRE(first_column.size() == 37);
      for (size_t i = 0; i < first_column.size(); ++i) CHECK(first_column[i] == double(i));
      CHECK(lines_before == 39);
    }
  }
}

TEST_CASE("csv part: a bad field in a later part names its line in the whole file") {
  const test::ScratchDir dir("csv_part_bad");
  std::string text = numbered_rows(30, "\n");
  text.replace(text.find("\n25,"), 4, "\n25x,");  // line 28: header, comment, then rows 0…
  const auto path = dir.write("bad.csv", text);
  std::size_t lines_before = 0;
  std::string message;
  for (int part = 0; part < 3; ++part) {
    const CsvPart bytes = read_csv_part_bytes(path, part, 3);
    try {
      parse_csv_part(bytes, lines_before, path.string());
    } catch (const InputError& e) {
      message = e.what();
      CHECK(part == 2);
    }
    lines_before += bytes.lines;
  }
  CHECK(message.find("bad.csv:28:1") != std::string::npos);
}

TEST_CASE("csv part: a missing file is an InputError naming it") {
  CHECK_THROWS_WITH_AS(read_csv_part_bytes("/nonexistent/rows.csv", 0, 2),
                       doctest::Contains("/nonexistent/rows.csv"), InputError);
}
