// Reading CSV input (issue 6): missing files, bad fields, header, delimiter, missing values.

#include "support.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

// faithful.csv rewritten with another delimiter, line ending, BOM or quoting.
std::string faithful_variant(const std::string& delimiter, const std::string& newline, bool bom,
                             bool quote_numbers) {
  const std::vector<std::string> lines = split(read_text(kFaithful), '\n');
  std::string text = bom ? "\xEF\xBB\xBF" : "";
  for (const std::string& line : lines) {
    if (line.empty()) continue;
    std::vector<std::string> fields = split(line, ',');
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) text += delimiter;
      text += quote_numbers ? "\"" + fields[i] + "\"" : fields[i];
    }
    text += newline;
  }
  return text;
}

}  // namespace

TEST_CASE("a missing input file is an error naming the file") {
  TempDir dir;
  const std::string missing = dir / "no_such_file.csv";
  const Result fit = dir.run({"fit", missing, "-o", dir / "m.rbig"});
  CHECK(fit.status == 1);
  CHECK(contains(fit.err, "rbig: "));
  CHECK(contains(fit.err, "no_such_file.csv"));
  CHECK(!fs::exists(dir / "m.rbig"));

  const Result info = dir.run({"info", dir / "no_such_model.rbig"});
  CHECK(info.status == 1);
  CHECK(contains(info.err, "no_such_model.rbig"));
}

TEST_CASE("a bad CSV field is reported with its line and column") {
  TempDir dir;
  const std::string bad = dir / "bad.csv";
  write_text(bad, "1,2\n3,abc\n");
  const Result r = dir.run({"fit", bad, "-o", dir / "m.rbig"});
  CHECK(r.status == 1);
  CHECK(contains(r.err, "bad.csv:2:2"));
  CHECK(r.out.empty());
}

TEST_CASE("--header and --no-header decide about the first row") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string numbers = dir / "numbers.csv";
  write_text(numbers, "3.6,79\n1.8,54\n");
  const Result header = dir.run({"score", model, numbers, "--header"});
  REQUIRE(header.status == 0);
  CHECK(parse_csv(header.out).rows.size() == 1);
  const Result no_header = dir.run({"score", model, numbers, "--no-header"});
  REQUIRE(no_header.status == 0);
  CHECK(parse_csv(no_header.out).rows.size() == 2);
  const Result both = dir.run({"score", model, numbers, "--header", "--no-header"});
  CHECK(both.status == 2);
}

TEST_CASE("--delimiter: semicolon, tab, quoted numbers, BOM and CRLF give the same results") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const Result reference = dir.run({"score", model, kFaithful});
  REQUIRE(reference.status == 0);
  struct Variant {
    std::string file, delimiter_option, delimiter, newline;
    bool bom, quotes;
  };
  const std::vector<Variant> variants = {{"semicolon.csv", ";", ";", "\n", false, false},
                                         {"tab.tsv", "tab", "\t", "\n", false, false},
                                         {"tab2.tsv", "\\t", "\t", "\r\n", true, false},
                                         {"pipe.csv", "|", "|", "\r\n", false, true},
                                         {"excel.csv", ",", ",", "\r\n", true, true}};
  for (const Variant& v : variants) {
    const std::string path = dir / v.file;
    write_text(path, faithful_variant(v.delimiter, v.newline, v.bom, v.quotes));
    const Result score = dir.run({"score", model, path, "--delimiter", v.delimiter_option});
    INFO(v.file, ": ", score.err);
    CHECK(score.status == 0);
    CHECK(score.out == reference.out);
    // fit reads it too, to the same model bytes as the comma file.
    const std::string m = dir / (v.file + ".rbig");
    CHECK(dir.run({"fit", path, "-o", m, "-q", "--delimiter", v.delimiter_option}).status == 0);
    CHECK(read_text(m) == read_text(model));
  }
  // Without --delimiter a ';' file is one column of text: the message shows the field.
  check_fails(dir, {"score", model, dir / "semicolon.csv"}, 1,
              {"semicolon.csv:2:1: expected a number, got \"3.6;79\""});
}

TEST_CASE("--delimiter: a value that is not one usable character is a usage error") {
  TempDir dir;
  for (const char* bad : {"", "ab", "1", ".", "\"", "e"}) {
    CAPTURE(bad);
    check_fails(dir, {"fit", kFaithful, "-o", dir / "m.rbig", "--delimiter", bad}, 2,
                {"--delimiter"});
  }
  CHECK(!fs::exists(dir / "m.rbig"));
  const Result help = dir.run({"score", "--help"});
  for (const char* option : {"--delimiter", "--drop-missing"}) CHECK(contains(help.out, option));
  for (const char* command : {"fit", "entropy", "tc", "mi", "kld"}) {
    CAPTURE(command);
    CHECK(contains(dir.run({command, "--help"}).out, "--dequantize"));
  }
}

TEST_CASE("bad CSV files are refused with file, line and column") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  struct Case {
    std::string name, text, message;
  };
  const std::string wide_row(1 << 20, '9');
  const std::vector<Case> cases = {
      {"empty.csv", "", "empty.csv: no data rows"},
      {"blank.csv", "\n# nothing\n\n", "blank.csv: no data rows"},
      {"header_only.csv", "eruptions,waiting\n",
       "header_only.csv:1: no data rows after the header"},
      {"ragged_short.csv", "a,b\n1,2\n3\n",
       "ragged_short.csv:3:2: expected 2 fields like the first row, got 1"},
      {"ragged_long.csv", "a,b\n1,2\n3,4,5\n",
       "ragged_long.csv:3:3: expected 2 fields like the first row, got 3"},
      {"text.csv", "a,b\n1,2\n3,abc\n", "text.csv:3:2: expected a number, got \"abc\""},
      {"range.csv", "a,b\n1,2\n1e400,2\n",
       "range.csv:3:1: expected a finite number, got \"1e400\" (out of double range)"},
      {"tiny.csv", "a,b\n1,2\n1e-400,2\n",
       "tiny.csv:3:1: expected a finite number, got \"1e-400\" (out of double range)"},
      {"nan.csv", "a,b\n1,2\n3,NaN\n", "nan.csv:3:2: expected a finite number, got \"NaN\""},
      {"inf.csv", "a,b\n1,2\n-inf,2\n", "inf.csv:3:1: expected a finite number, got \"-inf\""},
      {"na.csv", "a,b\n1,2\n3,NA\n", "na.csv:3:2: missing value \"NA\" (expected a finite number)"},
      {"hole.csv", "a,b\r\n1,2\r\n,2\r\n", "hole.csv:3:1: empty field (expected a number)"},
      {"quote.csv", "a,b\n1,\"2\n", "quote.csv:2:2: quoted field has no closing quote"},
      {"long.csv", "a\n" + wide_row + "\n", "long.csv:2:1: expected a finite number, got \"9999"},
      {"binary.csv", std::string("a,b\n\x00\x01,\xff\n", 10),
       "binary.csv:2:1: expected a number, got \"\\x00\\x01\""},
  };
  for (const Case& c : cases) {
    const std::string path = dir / c.name;
    write_text(path, c.text);
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{"fit", path, "-o", dir / "new.rbig"},
                                               {"score", model, path},
                                               {"transform", model, path},
                                               {"tc", path}}) {
      check_fails(dir, args, 1, {c.message});
    }
  }
  CHECK(!fs::exists(dir / "new.rbig"));
}

TEST_CASE("--drop-missing drops rows with missing values and says how many on stderr") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const std::string holes = dir / "holes.csv";
  write_text(holes, "eruptions,waiting\n3.6,79\nNA,54\n3.333,\n1.8,nan\n2.283,62\n4.533,inf\n");
  const Result r = dir.run({"score", model, holes, "--drop-missing"});
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  CHECK(contains(r.err, "holes.csv: dropped 4 of 6 rows with a missing value"));
  CHECK(parse_csv(r.out).rows.size() == 2);
  CHECK(all_finite(r.out));
  // fit too: a model of the complete rows of faithful.csv with holes punched in.
  std::string text = read_text(kFaithful);
  text += "NA,70\n2.5,\n";
  write_text(dir / "faithful_holes.csv", text);
  const Result fit =
      dir.run({"fit", dir / "faithful_holes.csv", "-o", dir / "h.rbig", "--drop-missing"});
  CHECK(fit.status == 0);
  CHECK(contains(fit.err, "dropped 2 of 274 rows"));
  CHECK(read_text(dir / "h.rbig") == read_text(model));
  // Nothing left is an error; a bad field is still reported.
  write_text(dir / "all_na.csv", "a,b\nNA,1\n2,\n");
  check_fails(dir, {"fit", dir / "all_na.csv", "-o", dir / "m.rbig", "--drop-missing"}, 1,
              {"all_na.csv: no data rows left: all 2 rows hold a missing value"});
  write_text(dir / "mixed.csv", "a,b\n1,2\nNA,x\n");
  check_fails(dir, {"tc", dir / "mixed.csv", "--drop-missing"}, 1,
              {"mixed.csv:3:2: expected a number, got \"x\""});
}
