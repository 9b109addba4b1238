#include <rbig/error.hpp>
#include <rbig/io.hpp>

#include "support/files.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <cstdlib>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using rbig::CsvOptions;
using rbig::InputError;
using rbig::parse_csv;
using rbig::test::ScratchDir;

CsvOptions with_header(CsvOptions::Header header) {
  CsvOptions options;
  options.header = header;
  return options;
}

}  // namespace

TEST_CASE("csv reader: header names and values are read exactly") {
  const rbig::Table t = parse_csv("a,b,c\n1.5,-2,0.1\n3e2,+4,-0.25\n", "t.csv");
  CHECK(t.column_names == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(t.values.rows() == 2);
  REQUIRE(t.values.cols() == 3);
  // from_chars rounds correctly, so decimal text gives the same double as the literal.
  CHECK(t.values(0, 0) == 1.5);
  CHECK(t.values(0, 1) == -2.0);
  CHECK(t.values(0, 2) == 0.1);
  CHECK(t.values(1, 0) == 300.0);
  CHECK(t.values(1, 1) == 4.0);
  CHECK(t.values(1, 2) == -0.25);
}

TEST_CASE("csv reader: each field lands at its row and column") {
  // Values are row-major in the text and column-major in the matrix: check every cell.
  const int rows = 300;
  const int cols = 7;
  std::string text;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) text += fmt::format("{}{}", c == 0 ? "" : ",", r * cols + c);
    text += '\n';
  }
  const rbig::Table t = parse_csv(text, "grid.csv");
  REQUIRE(t.values.rows() == rows);
  REQUIRE(t.values.cols() == cols);
  int wrong = 0;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) wrong += t.values(r, c) != r * cols + c;
  }
  CHECK(wrong == 0);
}

TEST_CASE("csv reader: a numeric first row is data, not a header") {
  const rbig::Table t = parse_csv("1,2\n3,4\n", "t.csv");
  CHECK(t.column_names == std::vector<std::string>{"x1", "x2"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 0) == 1.0);
  CHECK(t.values(0, 1) == 2.0);
  CHECK(t.values(1, 1) == 4.0);
}

TEST_CASE("csv reader: one non-numeric field makes the first row a header") {
  const rbig::Table t = parse_csv("1,b\n3,4\n", "t.csv");
  CHECK(t.column_names == std::vector<std::string>{"1", "b"});
  REQUIRE(t.values.rows() == 1);
  CHECK(t.values(0, 0) == 3.0);
}

TEST_CASE("csv reader: Header::Yes takes a numeric first row as names") {
  const rbig::Table t = parse_csv("1,2\n3,4\n", "t.csv", with_header(CsvOptions::Header::Yes));
  CHECK(t.column_names == std::vector<std::string>{"1", "2"});
  REQUIRE(t.values.rows() == 1);
  CHECK(t.values(0, 1) == 4.0);
}

TEST_CASE("csv reader: Header::No reads a text first row as bad data") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2\n", "bad.csv", with_header(CsvOptions::Header::No)),
                       "bad.csv:1:1: expected a number, got \"a\"", InputError);
  const rbig::Table t = parse_csv("1,2\n", "t.csv", with_header(CsvOptions::Header::No));
  CHECK(t.column_names == std::vector<std::string>{"x1", "x2"});
}

TEST_CASE("csv reader: header names are trimmed and unquoted") {
  const rbig::Table t =
      parse_csv(" a ,\t\"b c\" , \"d,e\",\"say \"\"hi\"\"\",\"\"\n1,2,3,4,5\n", "t.csv");
  CHECK(t.column_names == std::vector<std::string>{"a", "b c", "d,e", "say \"hi\"", ""});
  CHECK(t.values.cols() == 5);
}

TEST_CASE("csv reader: quoted numbers in the first row are names") {
  const rbig::Table t = parse_csv("\"1\",\"2\"\n3,4\n", "t.csv");
  CHECK(t.column_names == std::vector<std::string>{"1", "2"});
  CHECK(t.values.rows() == 1);
}

TEST_CASE(
    "csv reader: comments, blank lines, CRLF, BOM, blanks and '+' are "
    "accepted") {
  const std::string text =
      "\xEF\xBB\xBF# exported by a tool\r\n"
      "\r\n"
      "  x , y\r\n"
      "   # a comment after the header\r\n"
      " \t \r\n"
      " +1.25 ,\t-3 \r\n"
      "2,+4e-1";  // no final newline
  const rbig::Table t = parse_csv(text, "t.csv");
  CHECK(t.column_names == std::vector<std::string>{"x", "y"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 0) == 1.25);
  CHECK(t.values(0, 1) == -3.0);
  CHECK(t.values(1, 0) == 2.0);
  CHECK(t.values(1, 1) == 0.4);
}

TEST_CASE("csv reader: comments and blank lines after the data add no rows") {
  const rbig::Table t = parse_csv("a,b\n1,2\n# between\n3,4\n\n# end\n  \n\n", "t.csv");
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(1, 0) == 3.0);
  CHECK(t.values(1, 1) == 4.0);
}

TEST_CASE("csv reader: a BOM before a numeric first row still gives data") {
  const rbig::Table t = parse_csv(
      "\xEF\xBB\xBF"
      "5,6\n",
      "t.csv");
  CHECK(t.column_names == std::vector<std::string>{"x1", "x2"});
  CHECK(t.values(0, 0) == 5.0);
}

TEST_CASE("csv reader: other delimiters") {
  CsvOptions semicolon;
  semicolon.delimiter = ';';
  const rbig::Table a = parse_csv("p;q\n1.5;-2\n", "t.csv", semicolon);
  CHECK(a.column_names == std::vector<std::string>{"p", "q"});
  CHECK(a.values(0, 0) == 1.5);
  CHECK(a.values(0, 1) == -2.0);
  // A decimal comma is not a decimal point.
  CHECK_THROWS_WITH_AS(parse_csv("p;q\n1,5;2\n", "bad.csv", semicolon),
                       "bad.csv:2:1: expected a number, got \"1,5\"", InputError);
  CsvOptions tab;
  tab.delimiter = '\t';
  const rbig::Table b = parse_csv("p\tq\n1.5\t2\n", "t.csv", tab);
  CHECK(b.values(0, 0) == 1.5);
  CHECK(b.values(0, 1) == 2.0);
}

TEST_CASE("csv reader: a delimiter that can occur in a number is rejected") {
  CsvOptions dot;
  dot.delimiter = '.';
  CHECK_THROWS_WITH_AS(parse_csv("1.2\n", "t.csv", dot),
                       doctest::Contains("delimiter: must not be a digit, sign, '.', 'e', "
                                         "quote, NUL or line break (got '.')"),
                       rbig::OptionError);
}

TEST_CASE("csv reader: a field that is not a number names line, column and value") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b,c\n1,2,3\n4,abc,6\n", "bad.csv"),
                       "bad.csv:3:2: expected a number, got \"abc\"", InputError);
  // Trailing garbage, an inner blank, two signs, hex and a bare exponent are all rejected.
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,1.5x\n", "bad.csv"),
                       "bad.csv:2:2: expected a number, got \"1.5x\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a\n1 2\n", "bad.csv"),
                       "bad.csv:2:1: expected a number, got \"1 2\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a\n+-1\n", "bad.csv"),
                       "bad.csv:2:1: expected a number, got \"+-1\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a\n++1\n", "bad.csv"),
                       "bad.csv:2:1: expected a number, got \"++1\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a\n0x10\n", "bad.csv"),
                       "bad.csv:2:1: expected a number, got \"0x10\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a\n1e\n", "bad.csv"),
                       "bad.csv:2:1: expected a number, got \"1e\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a\n+\n", "bad.csv"), "bad.csv:2:1: expected a number, got \"+\"",
                       InputError);
}

TEST_CASE("csv reader: line numbers count skipped lines, BOM and CRLF") {
  const std::string text = "\xEF\xBB\xBF# c\r\n\r\nx,y\r\n#\r\n1,2\r\n3,?\r\n";
  CHECK_THROWS_WITH_AS(parse_csv(text, "bad.csv"), "bad.csv:6:2: expected a number, got \"?\"",
                       InputError);
}

TEST_CASE("csv reader: the error carries path, line and column") {
  try {
    parse_csv("a,b\n1,2\n\n3,x\n", "bad.csv");
    FAIL("no exception");
  } catch (const InputError& e) {
    CHECK(e.path() == "bad.csv");
    CHECK(e.line() == 4);
    CHECK(e.column() == 2);
  }
}

TEST_CASE("csv reader: empty fields are reported") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2\n3,4\n\n5,\n", "bad.csv"),
                       "bad.csv:5:2: empty field (expected a number)", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b,c\n1, \t ,3\n", "bad.csv"),
                       "bad.csv:2:2: empty field (expected a number)", InputError);
  // Empty fields do not make a first row a header: the data error is reported.
  CHECK_THROWS_WITH_AS(parse_csv("1,,3\n", "bad.csv"),
                       "bad.csv:1:2: empty field (expected a number)", InputError);
}

TEST_CASE("csv reader: rows must have as many fields as the first row") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b,c,d\n1,2,3,4\n#\n\n1,2,3,4\n\n1,2,3\n", "bad.csv"),
                       "bad.csv:7:4: expected 4 fields like the first row, got 3", InputError);
  // The column is the first extra field of a long row, the first missing one of a short row.
  CHECK_THROWS_WITH_AS(parse_csv("1,2\n3,4,5\n", "bad.csv"),
                       "bad.csv:2:3: expected 2 fields like the first row, got 3", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2,\n", "bad.csv"),
                       "bad.csv:2:3: expected 2 fields like the first row, got 3", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1\n", "bad.csv"),
                       "bad.csv:2:2: expected 2 fields like the first row, got 1", InputError);
  // Quoted rows are counted by their fields, not by the delimiters inside quotes.
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"1,5\"\n", "bad.csv"),
                       "bad.csv:2:2: expected 2 fields like the first row, got 1", InputError);
}

TEST_CASE("csv reader: non-finite and out-of-range numbers are rejected") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2\ninf,3\n", "bad.csv"),
                       "bad.csv:3:1: expected a finite number, got \"inf\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,-Infinity\n", "bad.csv"),
                       "bad.csv:2:2: expected a finite number, got \"-Infinity\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,NaN\n", "bad.csv"),
                       "bad.csv:2:2: expected a finite number, got \"NaN\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a\n nan \n", "bad.csv"),
                       "bad.csv:2:1: expected a finite number, got \"nan\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1e999,0\n", "bad.csv"),
                       "bad.csv:2:1: expected a finite number, got \"1e999\" "
                       "(out of double range)",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n0,-1e999\n", "bad.csv"),
                       "bad.csv:2:2: expected a finite number, got \"-1e999\" "
                       "(out of double range)",
                       InputError);
  // Below half the smallest subnormal, from_chars reports underflow the same way.
  CHECK_THROWS_WITH_AS(parse_csv("a\n1e-400\n", "bad.csv"),
                       "bad.csv:2:1: expected a finite number, got \"1e-400\" "
                       "(out of double range)",
                       InputError);
  // A non-finite first row is numeric text, so it is reported rather than taken as a header.
  CHECK_THROWS_WITH_AS(parse_csv("inf,1\n", "bad.csv"),
                       "bad.csv:1:1: expected a finite number, got \"inf\"", InputError);
}

TEST_CASE("csv reader: the extremes of double are read exactly") {
  const rbig::Table t = parse_csv(
      "a\n1.7976931348623157e308\n-1.7976931348623157e+308\n5e-"
      "324\n2.2250738585072014e-308\n"
      "-0\n",
      "t.csv");
  REQUIRE(t.values.rows() == 5);
  CHECK(t.values(0, 0) == std::numeric_limits<double>::max());
  CHECK(t.values(1, 0) == -std::numeric_limits<double>::max());
  CHECK(t.values(2, 0) == std::numeric_limits<double>::denorm_min());
  CHECK(t.values(3, 0) == std::numeric_limits<double>::min());
  CHECK(t.values(4, 0) == 0.0);
  CHECK(std::signbit(t.values(4, 0)));
}

TEST_CASE("csv reader: long garbage is cut in the message") {
  const std::string garbage = "a\n" + std::string(500, 'z') + "\n";
  const std::string cut = "bad.csv:2:1: expected a number, got \"" + std::string(40, 'z') + "\"...";
  CHECK_THROWS_WITH_AS(parse_csv(garbage, "bad.csv"), cut.c_str(), InputError);
  // Control bytes are escaped; a multi-byte character is not split.
  CHECK_THROWS_WITH_AS(parse_csv("a\n1\x01\n", "bad.csv"),
                       "bad.csv:2:1: expected a number, got \"1\\x01\"", InputError);
  const std::string accents = "a\n" + std::string(39, 'a') + "\xC3\xA9\xC3\xA9\n";
  const std::string before =
      "bad.csv:2:1: expected a number, got \"" + std::string(39, 'a') + "\"...";
  CHECK_THROWS_WITH_AS(parse_csv(accents, "bad.csv"), before.c_str(), InputError);
}

TEST_CASE("csv reader: a bad quoted header is reported at its column") {
  CHECK_THROWS_WITH_AS(parse_csv("a,\"b\n1,2\n", "bad.csv"),
                       "bad.csv:1:2: quoted field has no closing quote (expected \"text\")",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_csv("\"a\"x,b\n1,2\n", "bad.csv"),
                       "bad.csv:1:1: expected the delimiter ',' after a quoted field, got "
                       "\"x\"",
                       InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,\"2\n", "bad.csv"),
                       "bad.csv:2:2: quoted field has no closing quote (expected \"text\")",
                       InputError);
}

TEST_CASE("csv reader: text without data rows is an error") {
  const char* const cases[] = {"", "\n\n", "# only a comment\n", "\xEF\xBB\xBF", "\r\n"};
  for (const char* text : cases) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(parse_csv(text, "bad.csv"), "bad.csv: no data rows", InputError);
  }
  // A header alone: the message names the header's line.
  for (const char* text : {"a,b\n", "a,b\n# c\n\n",
                           "\xEF\xBB\xBF"
                           "a,b\r\n"}) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(parse_csv(text, "bad.csv"), "bad.csv:1: no data rows after the header",
                         InputError);
  }
  CHECK_THROWS_WITH_AS(parse_csv("# c\n1,2\n", "bad.csv", with_header(CsvOptions::Header::Yes)),
                       "bad.csv:2: no data rows after the header", InputError);
}

TEST_CASE("csv reader: read_csv reads a file and names it in errors") {
  const ScratchDir dir;
  const fs::path good = dir.write("good.csv", "u,v\r\n1,2\r\n3,4");
  const rbig::Table t = rbig::read_csv(good);
  CHECK(t.column_names == std::vector<std::string>{"u", "v"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(1, 1) == 4.0);

  const fs::path bad = dir.write("bad.csv", "u,v\n1,2\n3,w\n");
  const std::string bad_message = bad.string() + ":3:2: expected a number, got \"w\"";
  CHECK_THROWS_WITH_AS(rbig::read_csv(bad), bad_message.c_str(), InputError);
  const fs::path empty = dir.write("empty.csv", "");
  const std::string empty_message = empty.string() + ": no data rows";
  CHECK_THROWS_WITH_AS(rbig::read_csv(empty), empty_message.c_str(), InputError);
}

TEST_CASE("csv reader: a pipe larger than the first read buffer is read whole") {
  // /dev/fd/N names the read end of a pipe: no size is known in advance, and no mapping.
  std::string text = "p,q\n";
  const int rows = 20000;  // about 200 kB, several times the first 64 kB buffer
  for (int i = 0; i < rows; ++i) text += fmt::format("{},{}\n", i, 0.5 * i);
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  // Room for the whole text, so the write completes before anyone reads.
  REQUIRE(::fcntl(fds[1], F_SETPIPE_SZ, 1 << 20) >= static_cast<int>(text.size()));
  REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(fds[1]);
  const rbig::Table t = rbig::read_csv(fmt::format("/dev/fd/{}", fds[0]));
  ::close(fds[0]);
  CHECK(t.column_names == std::vector<std::string>{"p", "q"});
  REQUIRE(t.values.rows() == rows);
  CHECK(t.values(0, 0) == 0.0);
  CHECK(t.values(rows - 1, 0) == rows - 1);
  CHECK(t.values(rows - 1, 1) == 0.5 * (rows - 1));
}

TEST_CASE("csv reader: a file that cannot be opened is reported with the reason") {
  const ScratchDir dir;
  const fs::path missing = dir.path() / "missing.csv";
  const std::string missing_message =
      missing.string() + ": cannot open file: No such file or directory";
  CHECK_THROWS_WITH_AS(rbig::read_csv(missing), missing_message.c_str(), InputError);
  const std::string directory_message = dir.path().string() + ": cannot open file: Is a directory";
  CHECK_THROWS_WITH_AS(rbig::read_csv(dir.path()), directory_message.c_str(), InputError);
}

TEST_CASE("csv reader: the bundled data sets load with their shapes and names") {
  const fs::path data = RBIG_DATA_DIR;
  const rbig::Table faithful = rbig::read_csv(data / "faithful.csv");
  CHECK(faithful.column_names == std::vector<std::string>{"eruptions", "waiting"});
  CHECK(faithful.values.rows() == 272);
  CHECK(faithful.values.cols() == 2);
  CHECK(faithful.values(0, 0) == 3.6);  // first data row: 3.6,79
  CHECK(faithful.values(0, 1) == 79.0);
  CHECK(faithful.values(271, 0) == 4.467);  // last row: 4.467,74
  CHECK(faithful.values(271, 1) == 74.0);

  const rbig::Table iris = rbig::read_csv(data / "iris.csv");
  CHECK(iris.values.rows() == 150);
  CHECK(iris.values.cols() == 4);
  CHECK(iris.column_names.front() == "sepal_length");

  const rbig::Table wine = rbig::read_csv(data / "wine.csv");
  CHECK(wine.values.rows() == 178);
  CHECK(wine.values.cols() == 13);
  CHECK(wine.values(0, 12) == 1065.0);
}

TEST_CASE("csv reader: quoted data fields are numbers, and may hold the delimiter in names") {
  const rbig::Table t = parse_csv("\"a,b\";\"c\"\n\"1.5\";2\n 3 ;\" -4e1 \"\n", "t.csv", [] {
    CsvOptions o;
    o.delimiter = ';';
    return o;
  }());
  CHECK(t.column_names == std::vector<std::string>{"a,b", "c"});
  REQUIRE(t.values.rows() == 2);
  CHECK(t.values(0, 0) == 1.5);
  CHECK(t.values(0, 1) == 2.0);
  CHECK(t.values(1, 0) == 3.0);
  CHECK(t.values(1, 1) == -40.0);
  // A quoted field is still checked like any other.
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"1\",\"x\"\n", "bad.csv"),
                       "bad.csv:2:2: expected a number, got \"x\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n\"1\",\"\"\n", "bad.csv"),
                       "bad.csv:2:2: empty field (expected a number)", InputError);
}

TEST_CASE("csv reader: tab and other delimiters, with quotes and CRLF") {
  CsvOptions tab;
  tab.delimiter = '\t';
  const rbig::Table t = parse_csv("\"x y\"\t\"z\"\r\n1\t\"2\"\r\n", "t.tsv", tab);
  CHECK(t.column_names == std::vector<std::string>{"x y", "z"});
  CHECK(t.values(0, 1) == 2.0);
  CsvOptions pipe;
  pipe.delimiter = '|';
  CHECK(parse_csv("1|2|3\n", "t.csv", pipe).values.cols() == 3);
  // An empty first field of a tab-separated row is empty, not skipped as a blank.
  CHECK_THROWS_WITH_AS(parse_csv("a\tb\n\t\"2\"\n", "bad.tsv", tab),
                       "bad.tsv:2:1: empty field (expected a number)", InputError);
  // With the wrong delimiter a ';' file is one column of text: reported at the first data field.
  CHECK_THROWS_WITH_AS(parse_csv("a;b\n1;2\n", "bad.csv"),
                       "bad.csv:2:1: expected a number, got \"1;2\"", InputError);
}

TEST_CASE("csv reader: missing values are errors naming line and column by default") {
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2\n3,NA\n", "bad.csv"),
                       "bad.csv:3:2: missing value \"NA\" (expected a finite number)", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n n/a ,2\n", "bad.csv"),
                       "bad.csv:2:1: missing value \"n/a\" (expected a finite number)", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,NULL\n", "bad.csv"),
                       "bad.csv:2:2: missing value \"NULL\" (expected a finite number)",
                       InputError);
  // NA in a numeric first row does not make it a header.
  CHECK_THROWS_WITH_AS(parse_csv("1,NA\n2,3\n", "bad.csv"),
                       "bad.csv:1:2: missing value \"NA\" (expected a finite number)", InputError);
  // "NAN2" or "nab" are not missing-value markers, just bad text.
  CHECK_THROWS_WITH_AS(parse_csv("a\nnab\n", "bad.csv"),
                       "bad.csv:2:1: expected a number, got \"nab\"", InputError);
}

TEST_CASE("csv reader: drop_missing drops rows with a missing value and counts them") {
  CsvOptions drop;
  drop.drop_missing = true;
  const rbig::Table t = parse_csv(
      "a,b\n1,2\n,3\nNA,4\n5,nan\n6,inf\n7,-Infinity\n8,\"\"\n9,10\nN/A,null\n", "t.csv", drop);
  CHECK(t.dropped_rows == 7);
  REQUIRE(t.values.rows() == 2);
  REQUIRE(t.values.cols() == 2);
  CHECK(t.values(0, 0) == 1.0);
  CHECK(t.values(0, 1) == 2.0);
  CHECK(t.values(1, 0) == 9.0);
  CHECK(t.values(1, 1) == 10.0);
  // Nothing dropped: the count is zero and the values are those read without the option.
  const rbig::Table full = parse_csv("a,b\n1,2\n3,4\n", "t.csv", drop);
  CHECK(full.dropped_rows == 0);
  CHECK(full.values == parse_csv("a,b\n1,2\n3,4\n", "t.csv").values);
  // A first row with a missing value is dropped data, not a header.
  const rbig::Table first = parse_csv("NA,1\n2,3\n", "t.csv", drop);
  CHECK(first.column_names == std::vector<std::string>{"x1", "x2"});
  CHECK(first.dropped_rows == 1);
  CHECK(first.values.rows() == 1);
}

TEST_CASE("csv reader: drop_missing still reports bad fields and a file left empty") {
  CsvOptions drop;
  drop.drop_missing = true;
  // A bad field after a missing one in the same row is still an error.
  CHECK_THROWS_WITH_AS(parse_csv("a,b,c\n1,2,3\nNA,x,3\n", "bad.csv", drop),
                       "bad.csv:3:2: expected a number, got \"x\"", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\n1,2\nNA,2,3\n", "bad.csv", drop),
                       "bad.csv:3:3: expected 2 fields like the first row, got 3", InputError);
  // Out of range is not a missing value: the number was given, it just does not fit.
  CHECK_THROWS_WITH_AS(parse_csv("a\n1e999\n2\n", "bad.csv", drop),
                       doctest::Contains("bad.csv:2:1: expected a finite number, got \"1e999\""),
                       InputError);
  CHECK_THROWS_WITH_AS(parse_csv("a,b\nNA,1\n2,\n", "bad.csv", drop),
                       "bad.csv: no data rows left: all 2 rows hold a missing value", InputError);
}

TEST_CASE("csv reader: a 1 MB line is read, and a 1 MB bad field is cut in the message") {
  // 100,000 columns of 10 bytes: one line of about 1 MB.
  const int columns = 100000;
  std::string header;
  std::string row;
  for (int c = 0; c < columns; ++c) {
    header += fmt::format("{}c{:07d}", c == 0 ? "" : ",", c);
    row += fmt::format("{}{:.6f}", c == 0 ? "" : ",", 0.5 + c);
  }
  REQUIRE(row.size() > 1000000);
  const rbig::Table t = parse_csv(header + "\n" + row + "\n" + row + "\n", "wide.csv");
  REQUIRE(t.values.cols() == columns);
  REQUIRE(t.values.rows() == 2);
  CHECK(t.column_names.back() == "c0099999");
  CHECK(t.values(1, columns - 1) == 0.5 + (columns - 1));

  const std::string field(1 << 20, '7');  // 1 MB of digits: a number beyond double range
  CHECK_THROWS_WITH_AS(parse_csv("a\n" + field + "\n", "bad.csv"),
                       ("bad.csv:2:1: expected a finite number, got \"" + std::string(40, '7') +
                        "\"... (out of double range)")
                           .c_str(),
                       InputError);
  const std::string text(1 << 20, 'q');
  CHECK_THROWS_WITH_AS(parse_csv("a\n" + text + "\n", "bad.csv"),
                       doctest::Contains("bad.csv:2:1: expected a number, got \"qqqq"), InputError);
}

TEST_CASE("csv reader: a delimiter that makes rows ambiguous is an OptionError") {
  for (const char delimiter : {'1', '-', '+', 'e', 'E', '"', '\n', '\r', '\0'}) {
    CsvOptions options;
    options.delimiter = delimiter;
    CAPTURE(static_cast<int>(delimiter));
    CHECK_THROWS_WITH_AS(parse_csv("1\n", "t.csv", options), doctest::Contains("delimiter: "),
                         rbig::OptionError);
  }
}

TEST_CASE("csv reader: plain rows (one sweep of from_chars) and decorated rows read the same") {
  // The plain rows take the fast path; the same numbers with blanks, a '+', quotes or a CR take
  // the general one. Both must give the values of std::strtod, bit for bit.
  const std::vector<std::string> numbers = {"0.1",    "-2.5e-3", "12345678901234567",
                                            "1e-310", "7",       ".5",
                                            "-0",     "3.",      "1.7976931348623157e308"};
  std::string plain, decorated;
  for (std::size_t r = 0; r < numbers.size(); ++r) {
    const std::string& a = numbers[r];
    const std::string& b = numbers[(r + 4) % numbers.size()];
    plain += a + "," + b + "\n";
    const std::string signed_b = b.front() == '-' ? b : "+" + b;
    decorated += (r % 2 == 0 ? " " + a + "\t," : "\"" + a + "\",") + signed_b + " \r\n";
  }
  const rbig::Table fast = parse_csv(plain, "plain.csv", with_header(CsvOptions::Header::No));
  const rbig::Table general =
      parse_csv(decorated, "decorated.csv", with_header(CsvOptions::Header::No));
  REQUIRE(fast.values.rows() == static_cast<Eigen::Index>(numbers.size()));
  REQUIRE(general.values.rows() == fast.values.rows());
  for (Eigen::Index r = 0; r < fast.values.rows(); ++r) {
    for (Eigen::Index c = 0; c < 2; ++c) {
      const std::string& text =
          numbers[(static_cast<std::size_t>(r) + 4 * static_cast<std::size_t>(c)) % numbers.size()];
      const double expected = std::strtod(text.c_str(), nullptr);
      CHECK(std::signbit(fast.values(r, c)) == std::signbit(expected));
      CHECK(fast.values(r, c) == expected);
      CHECK(general.values(r, c) == expected);
    }
  }
  // A plain-looking row with a field too few or too many still names line and column.
  CHECK_THROWS_WITH_AS(parse_csv("1,2\n3\n", "short.csv", with_header(CsvOptions::Header::No)),
                       "short.csv:2:2: expected 2 fields like the first row, got 1", InputError);
  CHECK_THROWS_WITH_AS(parse_csv("1,2\n3,4,5\n", "long.csv", with_header(CsvOptions::Header::No)),
                       "long.csv:2:3: expected 2 fields like the first row, got 3", InputError);
}
