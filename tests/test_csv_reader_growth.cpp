// The reader sizes its matrix by what the text can hold, not by the first row alone (issue 15,
// item 8): a wide first row followed by short rows is a field-count error, not "out of memory".

#include <rbig/error.hpp>
#include <rbig/io.hpp>

#include <doctest/doctest.h>

#include <string>

TEST_CASE("csv reader: a 200,000-field first row then one-field rows names the short row") {
  // 800 KB of text; sizing rows × columns from the first row would ask for 320 GB.
  std::string text;
  for (int c = 0; c < 200000; ++c) text += c == 0 ? "1" : ",1";
  text += '\n';
  for (int r = 0; r < 200000; ++r) text += "1\n";
  CHECK_THROWS_WITH_AS(rbig::parse_csv(text, "f.csv"),
                       doctest::Contains("f.csv:2:2: expected 200000 fields like the first row, "
                                         "got 1"),
                       rbig::InputError);
}

TEST_CASE("csv reader: the densest files load whole (one-character fields, missing values)") {
  // Single-digit fields, with and without a final line break: 2 bytes per field.
  for (const bool final_newline : {false, true}) {
    std::string text;
    for (int r = 0; r < 1000; ++r) text += (r > 0 ? "\n" : "") + std::string("1,2,3");
    if (final_newline) text += '\n';
    const rbig::Table table = rbig::parse_csv(text, "dense.csv");
    CHECK(table.values.rows() == 1000);
    CHECK(table.values.cols() == 3);
    CHECK(table.values(999, 2) == 3.0);
  }
  // Rows of empty fields take 1 byte per field, the least a row of the first row's width can:
  // dropped, they leave the rows around them intact.
  rbig::CsvOptions options;
  options.drop_missing = true;
  std::string text = "1,2,3\n";
  for (int r = 0; r < 1000; ++r) text += ",,\n";
  text += "4,5,6";
  const rbig::Table table = rbig::parse_csv(text, "sparse.csv", options);
  CHECK(table.values.rows() == 2);
  CHECK(table.values(1, 2) == 6.0);
  CHECK(table.dropped_rows == 1000);
}

TEST_CASE("csv reader: a wide row after the first is still an error, and dropped rows are gone") {
  CHECK_THROWS_WITH_AS(rbig::parse_csv("1,2\n3,4,5\n", "w.csv"), doctest::Contains("w.csv:2:"),
                       rbig::InputError);
  rbig::CsvOptions options;
  options.drop_missing = true;
  const rbig::Table table = rbig::parse_csv("1,2\nNA,4\n5,6\n", "d.csv", options);
  CHECK(table.values.rows() == 2);
  CHECK(table.values(1, 0) == 5.0);
  CHECK(table.dropped_rows == 1);
}
