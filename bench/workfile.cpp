// bench_workfile: a fit whose N×D matrices live in memory-mapped work files (FitOptions::work_file,
// rbig fit --work-file) against the same fit in memory: fit time, and peak resident memory against
// the size of the matrix. A plain measuring program, not a test.
//
// Data: D columns, column c = (z_c + 0.7·z_{c−1})³ with z_c standard normal draws from a stream
// of its own (seed + c), so that the data is generated column by column straight into the work
// file, never whole in memory, and is the same in both modes. The fit: histogram marginals,
// damping 1, PCA rotations, exactly --layers layers (or, with --validation, up to --layers layers
// with 10 % held out, which adds the split's two work files and the refit).
//
// Each mode runs in a child process of its own; after generating the data the child resets its
// peak RSS (/proc/self/clear_refs, 5) so that "peak" is the fit's own high-water mark (VmHWM,
// which counts the mapped file pages the process has mapped while they are mapped). The mapped
// mode writes its data into the page cache just before the fit, so it measures the fit with the
// files in the page cache. The model bytes of both modes are compared (a hash of each).
//
//   bench_workfile N D [--layers L] [--threads T] [--work PATH] [--validation] [--mode M]
//     --work PATH: the work file prefix (default ./bench_workfile.work; PATH.work etc. beside it)
//     --mode memory|mapped|both (default both)

#include <rbig/mapped_matrix.hpp>
#include <rbig/model.hpp>

#include "support/samplers.hpp"

#include <fmt/format.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <optional>
#include <string>

namespace {

using rbig::Index;
using rbig::Matrix;

struct Config {
  Index rows = 0;
  Index cols = 0;
  int layers = 5;
  int threads = 0;
  bool validation = false;
  std::string work = "bench_workfile.work";
  std::string mode = "both";
};

/// Fills column c of x (any N×D storage) as the header says.
void fill(Eigen::Ref<Matrix> x) {
  for (Index c = 0; c < x.cols(); ++c) {
    rbig::bench::Rng own(1000 + static_cast<std::uint64_t>(c));
    rbig::bench::Rng previous(1000 + static_cast<std::uint64_t>(c == 0 ? x.cols() - 1 : c - 1));
    for (Index i = 0; i < x.rows(); ++i) {
      const double z = own.normal() + 0.7 * previous.normal();
      x(i, c) = z * z * z;
    }
  }
}

/// A field of /proc/self/status in MiB (VmRSS, VmHWM).
double status_mib(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) / 1024.0;
  }
  return -1.0;
}

/// User + system CPU seconds of this process so far (the machine is shared: wall time is noisy).
double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

void reset_peak() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

rbig::FitOptions fit_options(const Config& config) {
  rbig::FitOptions options;
  options.marginal = rbig::MarginalKind::Histogram;
  options.damping = 1.0;
  options.gaussian_fallback = false;
  options.threads = config.threads;
  if (config.validation) {
    options.max_layers = config.layers;
  } else {
    options.layers = config.layers;
  }
  return options;
}

/// One mode in this (child) process: prints one table row.
void run(const Config& config, bool mapped) {
  using Clock = std::chrono::steady_clock;
  rbig::FitOptions options = fit_options(config);
  const auto start_data = Clock::now();
  std::optional<rbig::MappedMatrix> file;
  Matrix heap;
  if (mapped) {
    file.emplace(rbig::MappedMatrix::create(config.work, config.rows, config.cols));
    fill(file->view());
    options.work_file = config.work;
  } else {
    heap.resize(config.rows, config.cols);
    fill(heap);
  }
  const double data_seconds = std::chrono::duration<double>(Clock::now() - start_data).count();
  const rbig::ConstMatrixRef x =
      mapped ? rbig::ConstMatrixRef(file->view()) : rbig::ConstMatrixRef(heap);
  reset_peak();
  const double rss_before = status_mib("VmRSS");
  const double cpu_before = cpu_seconds();
  const auto start = Clock::now();
  const rbig::Model model = rbig::Model::fit(x, options);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = cpu_seconds() - cpu_before;
  const double peak = status_mib("VmHWM");
  const double matrix_mib = static_cast<double>(config.rows * config.cols) * 8.0 / 1048576.0;
  fmt::print(
      "| {} | {} | {} | {:.0f} | {:.1f} | {:.2f} | {:.2f} | {:.0f} | {:.0f} | {:.2f} | "
      "{:016x} |\n",
      mapped ? "mapped" : "memory", config.rows, config.cols, matrix_mib, data_seconds, seconds,
      cpu, rss_before, peak, matrix_mib / peak, std::hash<std::string>{}(model.to_bytes()));
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr,
                 "usage: bench_workfile N D [--layers L] [--threads T] [--work PATH] "
                 "[--validation] [--mode memory|mapped|both]\n");
    return 2;
  }
  Config config;
  config.rows = std::atoll(argv[1]);
  config.cols = std::atoll(argv[2]);
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (arg == "--layers")
      config.layers = std::stoi(value());
    else if (arg == "--threads")
      config.threads = std::stoi(value());
    else if (arg == "--work")
      config.work = value();
    else if (arg == "--mode")
      config.mode = value();
    else if (arg == "--validation")
      config.validation = true;
    else {
      std::fprintf(stderr, "bench_workfile: unknown argument %s\n", arg.c_str());
      return 2;
    }
  }
  fmt::print(
      "| mode | N | D | matrix MiB | data s | fit s | fit CPU s | RSS before MiB | "
      "peak MiB | matrix/peak | model hash |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|\n");
  std::fflush(stdout);
  for (const bool mapped : {false, true}) {
    if (config.mode != "both" && (config.mode == "mapped") != mapped) continue;
    const pid_t child = fork();
    if (child == 0) {
      try {
        run(config, mapped);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_workfile: %s\n", e.what());
        _exit(1);
      }
      _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return 1;
  }
  return 0;
}
