// Data that is hard to model (issue 6): too few rows, constant or tied columns, extreme
// magnitudes, more columns than rows.

#include "support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace rbig::cli_test;

TEST_CASE("too few rows or a constant column: the message names the file, column and rule") {
  TempDir dir;
  write_text(dir / "one_row.csv", "a,b\n1,2\n");
  check_fails(dir, {"fit", dir / "one_row.csv", "-o", dir / "m.rbig"}, 1,
              {"one_row.csv: need at least 2 rows to fit (got 1)"});
  write_text(dir / "dropped.csv", "a,b\n1,2\nNA,3\n");
  check_fails(dir, {"fit", dir / "dropped.csv", "-o", dir / "m.rbig", "--drop-missing"}, 1,
              {"dropped.csv: need at least 2 rows to fit (got 1)"});
  write_text(dir / "const.csv", "u;v;\"w x\"\n1;2;5\n2;5;5\n4;1;5\n");
  check_fails(dir, {"fit", dir / "const.csv", "-o", dir / "m.rbig", "--delimiter", ";"}, 1,
              {"const.csv: column 3 (\"w x\") is constant (every value is 5)"});
  write_text(dir / "few.csv", "a,b\n1,2\n2,1\n3,3\n");
  check_fails(dir, {"tc", dir / "few.csv"}, 1, {"needs at least 10 rows (got 3)"});
  CHECK(!fs::exists(dir / "m.rbig"));
}

TEST_CASE("--dequantize: integer data gets a finite, seed-determined model") {
  TempDir dir;
  // 400 rows of small integers, heavily tied (5, 2 and 10 distinct values), y depends on x.
  std::string text = "x,y,z\n";
  for (int i = 0; i < 400; ++i) {
    const int x = (i * 7) % 5;
    text += std::to_string(x) + "," + std::to_string((x + i / 3) % 2) + "," +
            std::to_string((i * 13) % 10) + "\n";
  }
  write_text(dir / "ints.csv", text);
  const std::string a = dir / "a.rbig";
  const std::string b = dir / "b.rbig";
  const std::string c = dir / "c.rbig";
  REQUIRE(dir.run({"fit", dir / "ints.csv", "-o", a, "-q", "--dequantize", "--seed", "4"}).status ==
          0);
  REQUIRE(dir.run({"fit", dir / "ints.csv", "-o", b, "-q", "--dequantize", "--seed", "4"}).status ==
          0);
  REQUIRE(dir.run({"fit", dir / "ints.csv", "-o", c, "-q", "--dequantize", "--seed", "5"}).status ==
          0);
  CHECK(read_text(a) == read_text(b));
  CHECK(read_text(a) != read_text(c));
  const Result score = dir.run({"score", a, dir / "ints.csv", "--json"});
  REQUIRE(score.status == 0);
  const double mean = parse_json_object(score.out)["mean_log_prob"].get<double>();
  CHECK(std::isfinite(mean));
  // A density of the dequantized data is at most a few nats per dimension, not a spike.
  CHECK(mean < 3.0);
  for (const char* measure : {"entropy", "tc"}) {
    const Result first = dir.run({measure, dir / "ints.csv", "--dequantize", "--json"});
    const Result second = dir.run({measure, dir / "ints.csv", "--dequantize", "--json"});
    INFO(measure, ": ", first.err);
    REQUIRE(first.status == 0);
    CHECK(first.out == second.out);
  }
}

TEST_CASE("extreme magnitudes and more columns than rows: finite results or a clear error") {
  TempDir dir;
  std::string extreme = "tiny,huge,mid\n";
  std::string wide;
  for (int i = 0; i < 200; ++i) {
    const double u = std::sin(1.0 + i * 0.7) + 0.1 * (i % 7);
    const double v = std::cos(2.0 + i * 1.3) + 0.01 * i;
    extreme +=
        std::to_string(u) + "e-300," + std::to_string(v) + "e300," + std::to_string(u * v) + "\n";
  }
  for (int i = 0; i < 8; ++i) {  // 8 rows, 20 columns
    for (int j = 0; j < 20; ++j)
      wide += (j ? "," : "") + std::to_string(std::sin(i * 20.0 + j * 3.1));
    wide += "\n";
  }
  write_text(dir / "extreme.csv", extreme);
  write_text(dir / "wide.csv", wide);
  // Columns of 1e-300 and 1e300 side by side fit with every marginal (moments by scaled sums,
  // lib/src/moments.hpp), and the entropy is finite.
  for (const std::string marginal : {"kde", "histogram", "spline", "gaussian"}) {
    const Result fit =
        dir.run({"fit", dir / "extreme.csv", "-o", dir / "m.rbig", "--marginal", marginal, "-q"});
    INFO(marginal, ": ", fit.err);
    CHECK(fit.status == 0);
  }
  const Result entropy = dir.run({"entropy", dir / "extreme.csv", "--json"});
  REQUIRE(entropy.status == 0);
  CHECK(std::isfinite(parse_json_object(entropy.out)["entropy"].get<double>()));
  for (const std::string name : {"extreme.csv", "wide.csv"}) {
    const std::string data = dir / name;
    const std::string model = dir / (name + ".rbig");
    const Result fit = dir.run({"fit", data, "-o", model, "-q"});
    INFO(name, " fit: ", fit.err);
    REQUIRE(fit.status == (name == "extreme.csv" ? 0 : 1));
    if (fit.status == 1) {
      // Refused: a one-line message, and no model file.
      CHECK(fit.err.rfind("rbig: ", 0) == 0);
      CHECK(!fs::exists(model));
      continue;
    }
    // Each command answers with finite numbers only, or refuses with a message and no output.
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"score", model, data}, {"transform", model, data}, {"sample", model, "-n", "50"}}) {
      const Result r = dir.run(args);
      INFO(args[0], ": ", r.err);
      REQUIRE((r.status == 0 || r.status == 1));
      if (r.status == 0) {
        CHECK(all_finite(r.out));
      } else {
        CHECK(r.err.rfind("rbig: ", 0) == 0);
        CHECK(r.out.empty());
      }
    }
  }
}
