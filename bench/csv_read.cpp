// bench_csv: how fast rbig::read_csv loads a large numeric CSV file (issue 5: "a 1,000,000 × 10
// CSV file (about 190 MB) loads in a few seconds").
//
// Writes N rows × D columns of standard normal draws with rbig::write_csv (shortest round-trip
// form, what `rbig transform` writes: about 19 bytes a field), then reads the file back
// `repeats` times and reports the best time, MB/s and rows/s; checks the values read back equal
// the values written, bit for bit. The file lives in the system temporary folder and is removed.
//
//   bench_csv [--rows N] [--cols D] [--repeats R]      defaults 1000000, 10, 3

#include <rbig/io.hpp>

#include "support/samplers.hpp"
#include "support/timing.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  long rows = 1'000'000;
  long cols = 10;
  int repeats = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) {
      rows = std::stol(argv[++i]);
    } else if (arg == "--cols" && i + 1 < argc) {
      cols = std::stol(argv[++i]);
    } else if (arg == "--repeats" && i + 1 < argc) {
      repeats = std::stoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: bench_csv [--rows N] [--cols D] [--repeats R]\n");
      return 2;
    }
  }
  if (rows < 1 || cols < 1 || repeats < 1) {
    std::fprintf(stderr, "bench_csv: --rows, --cols and --repeats must be at least 1\n");
    return 2;
  }
  rbig::Matrix values(rows, cols);
  rbig::bench::Rng rng(7);
  for (rbig::Index c = 0; c < cols; ++c) {
    for (rbig::Index r = 0; r < rows; ++r) values(r, c) = rng.normal();
  }
  std::vector<std::string> names;
  for (long c = 0; c < cols; ++c) names.push_back("x" + std::to_string(c + 1));
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("rbig_bench_csv_" + std::to_string(rows) + ".csv");
  {
    std::ofstream out(path, std::ios::binary);
    rbig::write_csv(out, values, names);
  }
  const double megabytes = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  double best = 1e300;
  bool same = true;
  for (int k = 0; k < repeats; ++k) {
    const rbig::bench::Clock::time_point start = rbig::bench::Clock::now();
    const rbig::Table table = rbig::read_csv(path);
    best = std::min(best, rbig::bench::seconds_since(start));
    same = same && table.values == values;
  }
  std::filesystem::remove(path);
  std::printf("| rows | cols | file MB | best read s (of %d) | MB/s | rows/s | values equal |\n",
              repeats);
  std::printf("|---:|---:|---:|---:|---:|---:|---|\n");
  std::printf("| %ld | %ld | %.1f | %.3f | %.0f | %.3g | %s |\n", rows, cols, megabytes, best,
              megabytes / best, static_cast<double>(rows) / best, same ? "yes" : "NO");
  return same ? 0 : 1;
}
