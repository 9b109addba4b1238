// MappedMatrix: values survive the page trimming; files are created, refused, replaced and
// removed as mapped_matrix.hpp says; reading CSV and NPY into one gives read_csv / read_npy's
// table; a fit with FitOptions::work_file gives the same model bytes as in memory.

#include <rbig/error.hpp>
#include <rbig/mapped_input.hpp>
#include <rbig/mapped_matrix.hpp>
#include <rbig/model.hpp>
#include <rbig/npy.hpp>

#include "io/mapped_input_parts.hpp"
#include "io/mapped_registry.hpp"
#include "support/files.hpp"
#include "support/known_distributions.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace rbig;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> files_in(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("mapped matrix: values written stay after the pages are dropped; the file goes away") {
  const test::ScratchDir dir("mapped");
  const fs::path path = dir.path() / "m.work";
  {
    MappedMatrix m = MappedMatrix::create(path, 1000, 3);
    CHECK(m.rows() == 1000);
    CHECK(m.cols() == 3);
    CHECK(fs::exists(path));
    CHECK(MappedMatrix::is_work_file(path));
    const Matrix expected = test::gaussian_sample(1000, Matrix::Identity(3, 3), 4);
    m.view() = expected;
    m.release_pages();  // the next reads come back from the page cache
    CHECK(Matrix(m.view()) == expected);
    // The values start page-aligned, so columns line up in memory as in a Matrix.
    CHECK(reinterpret_cast<std::uintptr_t>(m.view().data()) % 4096 == 0);
    MappedMatrix moved = std::move(m);
    CHECK(Matrix(moved.view()) == expected);
    moved.shrink_rows(10);
    CHECK(moved.rows() == 10);
    CHECK_THROWS_AS(moved.shrink_rows(11), Error);
  }
  CHECK(!fs::exists(path));
}

TEST_CASE(
    "mapped matrix: refuses a file that is not a work file or is in use, replaces a stale one") {
  const test::ScratchDir dir("mapped");
  const fs::path other = dir.write("notes.txt", "keep me\n");
  CHECK_THROWS_WITH_AS(MappedMatrix::create(other, 10, 2),
                       doctest::Contains("notes.txt: exists and is not an rbig work file"), Error);
  CHECK(test::read_bytes(other) == "keep me\n");

  const fs::path path = dir.path() / "w";
  {
    const MappedMatrix live = MappedMatrix::create(path, 10, 2);
    CHECK_THROWS_WITH_AS(MappedMatrix::create(path, 10, 2),
                         doctest::Contains("is the work file of a running fit"), Error);
  }
  // A work file whose process was killed: its header is there, no lock holds it.
  test::write_bytes(path, "RBIG-WORK-FILE 1\n10 2\n");
  {
    const MappedMatrix replaced = MappedMatrix::create(path, 4, 4);
    CHECK(replaced.rows() == 4);
  }
  CHECK(files_in(dir.path()) == std::vector<std::string>{"notes.txt"});
  CHECK_THROWS_WITH_AS(MappedMatrix::create(dir.path() / "no/such/dir", 1, 1),
                       doctest::Contains("no/such/dir: cannot create the work file"), Error);
}

TEST_CASE("mapped input: CSV read in small parts gives read_csv's table and line numbers") {
  const test::ScratchDir dir("mapped");
  std::string text =
      "\xEF\xBB\xBF"
      "a,b,c\n# a comment\n";
  for (int i = 0; i < 60; ++i) {
    text += fmt::format("{},{}.5,{}\n", i, i * 3 % 7, i % 2 ? "-1e-3" : "2");
    if (i % 17 == 0) text += "\n  # indented comment\n";
  }
  text += "1,NA,3\n7,8,9\n";
  const fs::path csv = dir.write("data.csv", text);
  CsvOptions options;
  options.drop_missing = true;
  const Table expected = read_csv(csv, options);
  for (std::uint64_t part_bytes : {std::uint64_t{7}, std::uint64_t{64}, std::uint64_t{1} << 20}) {
    CAPTURE(part_bytes);
    const MappedTable got = detail::read_csv_mapped(csv, dir.path() / "w", options, part_bytes);
    CHECK(got.column_names == expected.column_names);
    CHECK(got.has_header == expected.has_header);
    CHECK(got.dropped_rows == expected.dropped_rows);
    CHECK(Matrix(got.values.view()) == expected.values);
  }
  // A bad field in a later part is named by its line in the whole file, as read_csv names it.
  text += "4,x,6\n";
  const fs::path bad = dir.write("bad.csv", text);
  std::string message;
  try {
    read_csv(bad);
  } catch (const InputError& e) {
    message = e.what();
  }
  REQUIRE(message.find("bad.csv:") != std::string::npos);
  CHECK_THROWS_WITH_AS(detail::read_csv_mapped(bad, dir.path() / "w", {}, 64), message.c_str(),
                       InputError);
  CHECK(files_in(dir.path()) == std::vector<std::string>{"bad.csv", "data.csv"});
}

TEST_CASE("mapped input: NPY in C and Fortran order, float32 and dropped rows as read_npy") {
  const test::ScratchDir dir("mapped");
  Matrix values = test::gaussian_sample(50, Matrix::Identity(3, 3), 9);
  values(7, 1) = std::numeric_limits<double>::quiet_NaN();
  std::ostringstream out;
  write_npy(out, values);
  const fs::path c_order = dir.write("c.npy", out.str());
  NpyOptions options;
  options.drop_missing = true;
  const Table expected = read_npy(c_order, options);
  const MappedTable got = read_npy_mapped(c_order, dir.path() / "w", options);
  CHECK(got.dropped_rows == 1);
  CHECK(Matrix(got.values.view()) == expected.values);
  CHECK_THROWS_WITH_AS(read_npy_mapped(c_order, dir.path() / "w2"),
                       doctest::Contains("row 8, column 2"), InputError);
  // A Fortran-order float32 array, header written by hand as numpy.save would.
  const std::string dict = "{'descr': '<f4', 'fortran_order': True, 'shape': (4, 2), }";
  std::string header = "\x93NUMPY\x01";
  header += '\0';
  const std::size_t total = (10 + dict.size() + 1 + 63) / 64 * 64;  // numpy's 64-byte padding
  std::string padded = dict + std::string(total - 10 - dict.size() - 1, ' ') + "\n";
  header += static_cast<char>(padded.size());
  header += '\0';
  std::string bytes = header + padded;
  for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f, 7.f, 8.5f}) {
    bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
  }
  const fs::path fortran = dir.write("f.npy", bytes);
  const MappedTable small = read_npy_mapped(fortran, dir.path() / "w3");
  CHECK(Matrix(small.values.view()) == read_npy(fortran).values);
  CHECK(small.values.view()(3, 1) == 8.5);
}

TEST_CASE("mapped matrix: row blocks and columns read and written with pread/pwrite match view()") {
  const test::ScratchDir dir("mapped");
  MappedMatrix m = MappedMatrix::create(dir.path() / "m.work", 1000, 3);
  const Matrix expected = test::gaussian_sample(1000, Matrix::Identity(3, 3), 5);
  m.view() = expected;
  Matrix rows(7, 3);
  m.read_rows(993, rows);
  CHECK(rows == expected.bottomRows(7));
  Vector column(1000);
  m.read_column(2, column);
  CHECK(column == expected.col(2));
  const Matrix block = Matrix::Constant(5, 3, 2.5);
  m.write_rows(10, block);
  CHECK(Matrix(m.view().middleRows(10, 5)) == block);  // the mapping sees what pwrite wrote
  m.write_column(0, Vector::LinSpaced(1000, 0.0, 1.0));
  CHECK(Vector(m.view().col(0)) == Vector::LinSpaced(1000, 0.0, 1.0));
  // The registry finds the whole view, after a move too, and nothing else.
  CHECK(detail::find_mapped(m.view()) == &m);
  MappedMatrix moved = std::move(m);
  CHECK(detail::find_mapped(moved.view()) == &moved);
  CHECK(detail::find_mapped(moved.view().topRows(10)) == nullptr);
  CHECK(detail::find_mapped(expected) == nullptr);
}

TEST_CASE(
    "mapped fit: FitOptions::work_file gives the in-memory model's bytes and leaves no file") {
  const test::ScratchDir dir("mapped");
  const Matrix x = test::two_moons_sample(9000, 0.1, 3);  // 8,000+ training rows: screening
  const auto fit_both = [&](FitOptions options, const Matrix* validation) {
    const std::string memory = validation ? Model::fit(x, *validation, options).to_bytes()
                                          : Model::fit(x, options).to_bytes();
    MappedMatrix data = MappedMatrix::create(dir.path() / "data", x.rows(), x.cols());
    data.view() = x;
    options.work_file = (dir.path() / "data").string();
    const Model model = validation ? Model::fit(data.view(), *validation, options)
                                   : Model::fit(data.view(), options);
    CHECK(model.options().work_file.empty());
    CHECK(files_in(dir.path()) == std::vector<std::string>{"data"});
    return memory == model.to_bytes();
  };
  FitOptions quick;  // the default selection, kept short
  quick.max_layers = 3;
  quick.validation_patience = 2;
  CHECK(fit_both(quick, nullptr));
  const Matrix held_out = test::two_moons_sample(300, 0.1, 4);
  CHECK(fit_both(quick, &held_out));
  for (MarginalKind marginal :
       {MarginalKind::Histogram, MarginalKind::Gaussian, MarginalKind::Kde, MarginalKind::Spline}) {
    for (RotationKind rotation :
         {RotationKind::Pca, RotationKind::Random, RotationKind::Ica, RotationKind::Pursuit}) {
      CAPTURE(to_string(marginal));
      CAPTURE(to_string(rotation));
      FitOptions options;
      options.marginal = marginal;
      options.rotation = rotation;
      options.damping = 0.5;
      options.max_layers = 2;
      // The mixture offer with a work file is in the two fits above: 16 more K sweeps would
      // only cost time (minutes under the sanitizers).
      options.mixture = false;
      CHECK(fit_both(options, nullptr));
    }
  }
  FitOptions radial;
  radial.radial = true;
  radial.work_file = (dir.path() / "w").string();
  CHECK_THROWS_WITH_AS(Model::fit(x, radial), doctest::Contains("work_file"), OptionError);
}
