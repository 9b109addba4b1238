// bench_perf: speed of fitting and scoring (issue 5). A plain timing program, not a test.
//
// Data: a correlated Gaussian sample (random covariance), cubed, so every layer has real
// non-Gaussianity to remove. Every fit runs exactly 5 layers of histogram marginals (or the
// --marginal kind; no Gaussian fallback) and PCA rotations. Each configuration runs in its own
// child process, so the peak RSS column is that configuration's own (getrusage of the child).
//
// Columns: fit seconds per layer (1 thread, from FitReport::layers), the same in ns per value
// (N·D) per layer, split into marginal fit / marginal transform / rotation (PCA + apply) timed by
// calling those public pieces on the same data; total fit seconds at 1 and 2 threads and their
// ratio (the speed-up); log_prob rows/s at 1 and 2 threads; peak RSS, and beyond the program's own
// per value of the data (8 bytes: the data; a fit adds one work copy, O(D²) and the model); and
// the ratio of one layer's time to the machine floor measured in the same process: two streaming
// passes over the N×D matrix
// (a sum, then an in-place scale) plus one Eigen GEMM N×D · D×D. Then the exponent k of fit
// time ∝ N^k (least squares of log time on log N over the D = 10 rows), the cost of Φ⁻¹ and
// Φ per call, and of the thread pool's look at the machine's load (one open/read/close of
// /proc/loadavg, as lib/src/core/machine_load.cpp does it).
//
//   bench_perf [--quick] [--only N D] [--load-look] [--marginal M] [--rotation R]
//     --quick: skip N = 10⁶;
//     --load-look: only the cost of that look;
//     --only N D: that one configuration (to repeat the noisy N = 10⁶ row);
//     --marginal M: fit that marginal kind instead of histogram (kde, spline: their layer costs)
//     --rotation R: that rotation kind instead of pca (random, ica, pursuit: their layer costs)

#include <rbig/marginal.hpp>
#include <rbig/model.hpp>
#include <rbig/rotation.hpp>

#include "support/normal_quantile.hpp"
#include "support/samplers.hpp"
#include "support/timing.hpp"

#include <boost/math/special_functions/erf.hpp>
#include <fmt/format.h>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

using rbig::Index;
using rbig::Matrix;
using rbig::Vector;
using rbig::bench::best_time;
using rbig::bench::Clock;
using rbig::bench::seconds_since;

namespace {

constexpr int kLayers = 5;

Matrix bench_data(Index n, Index dims) {
  Matrix x = rbig::bench::gaussian_sample(n, rbig::bench::random_covariance(dims, 1), 2);
  x = x.array().cube().matrix();  // element-wise, in place: no second N×D copy in the peak RSS
  return x;
}

// The issue-5 target is histogram + PCA; --marginal measures the others' layers the same way.
rbig::MarginalKind g_marginal = rbig::MarginalKind::Histogram;
rbig::RotationKind g_rotation = rbig::RotationKind::Pca;

rbig::Rotation stage_rotation(const Matrix& y) {
  switch (g_rotation) {
    case rbig::RotationKind::Pca:
      return rbig::Rotation::pca(y);
    case rbig::RotationKind::Random:
      return rbig::Rotation::random(y.cols(), 1);
    case rbig::RotationKind::Ica:
      return rbig::Rotation::ica(y, 1);
    case rbig::RotationKind::Pursuit:
      return rbig::Rotation::pursuit(y, rbig::Rotation::covariance(y), 1);
    case rbig::RotationKind::Sliced:
      return rbig::Rotation::sliced(y, 1);
  }
  return rbig::Rotation::pca(y);
}

rbig::FitOptions bench_options(int threads) {
  rbig::FitOptions options;
  options.marginal = g_marginal;
  options.rotation = g_rotation;
  options.layers = kLayers;
  options.gaussian_fallback = false;
  options.threads = threads;
  return options;
}

// Seconds of one pass over the data per stage of a layer, one thread, on a work copy of x.
struct Stages {
  double marginal_fit = 0.0;
  double marginal_transform = 0.0;
  double rotation = 0.0;
};

Stages time_stages(const Matrix& x) {
  const rbig::FitOptions options = bench_options(1);
  Stages best{1e300, 1e300, 1e300};
  for (int repeat = 0; repeat < 3; ++repeat) {
    Matrix work = x;
    std::vector<std::unique_ptr<rbig::MarginalTransform>> marginals;
    Clock::time_point start = Clock::now();
    for (Index d = 0; d < work.cols(); ++d) {
      marginals.push_back(rbig::make_marginal(g_marginal, options));
      marginals.back()->fit(work.col(d));
    }
    best.marginal_fit = std::min(best.marginal_fit, seconds_since(start));
    start = Clock::now();
    for (Index d = 0; d < work.cols(); ++d) {
      marginals[static_cast<size_t>(d)]->forward(work.col(d), work.col(d));
    }
    best.marginal_transform = std::min(best.marginal_transform, seconds_since(start));
    start = Clock::now();
    const rbig::Rotation rotation = stage_rotation(work);
    rotation.apply(work);
    best.rotation = std::min(best.rotation, seconds_since(start));
  }
  return best;
}

// The machine's floor for one layer: two streaming passes over N×D plus one N×D·D×D GEMM.
double floor_seconds(const Matrix& x) {
  Matrix work = x;
  Matrix product(x.rows(), x.cols());
  const Matrix rotation = rbig::bench::random_covariance(x.cols(), 9);
  double sink = 0.0;
  const double t = best_time(0.2, [&] {
    sink += work.sum();                       // pass 1: read
    work.array() = work.array() * 0.5 + 1.0;  // pass 2: read and write
    product.noalias() = work * rotation;      // GEMM of the layer's shape
  });
  if (sink == 42.0) std::puts("");  // keep the passes from being optimised away
  return t;
}

struct Row {
  Index n = 0;
  Index dims = 0;
  double layer_seconds = 0.0;  // 1 thread
  Stages stages;
  double fit_1 = 0.0;       // total fit seconds, 1 thread
  double fit_2 = 0.0;       // total fit seconds, 2 threads
  double log_prob_1 = 0.0;  // rows/s
  double log_prob_2 = 0.0;
  double floor = 0.0;
  double peak_rss_mb = 0.0;
  double start_rss_mb = 0.0;  // before the data: the program itself
};

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

Row run_configuration(Index n, Index dims) {
  Row row;
  row.n = n;
  row.dims = dims;
  row.start_rss_mb = peak_rss_mb();
  const Matrix x = bench_data(n, dims);
  const double min_seconds = 0.5;
  double layer_seconds = 1e300;
  row.fit_1 = best_time(min_seconds, [&] {
    const rbig::Model model = rbig::Model::fit(x, bench_options(1));
    double sum = 0.0;
    for (const rbig::LayerReport& layer : model.report().layers) sum += layer.seconds;
    const double layers = static_cast<double>(model.report().layers.size());
    layer_seconds = std::min(layer_seconds, sum / layers);
  });
  row.layer_seconds = layer_seconds;
  row.fit_2 = best_time(min_seconds, [&] { (void)rbig::Model::fit(x, bench_options(2)); });
  rbig::Model model = rbig::Model::fit(x, bench_options(1));
  const auto score = [&] { (void)model.log_prob(x); };
  row.log_prob_1 = static_cast<double>(n) / best_time(min_seconds, score);
  model.set_threads(2);
  row.log_prob_2 = static_cast<double>(n) / best_time(min_seconds, score);
  // Peak RSS of the data, fits and scoring, before the stage and floor timings add their buffers.
  row.peak_rss_mb = peak_rss_mb();
  row.stages = time_stages(x);
  row.floor = floor_seconds(x);
  return row;
}

// Runs one configuration in a child process (its own peak RSS) and reads its Row back.
Row run_in_child(Index n, Index dims) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) std::abort();
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid == 0) {
    close(pipe_fds[0]);
    const Row row = run_configuration(n, dims);
    const ssize_t written = write(pipe_fds[1], &row, sizeof row);
    _exit(written == static_cast<ssize_t>(sizeof row) ? 0 : 1);
  }
  close(pipe_fds[1]);
  Row row;
  const ssize_t got = read(pipe_fds[0], &row, sizeof row);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (got != static_cast<ssize_t>(sizeof row) || status != 0) {
    std::fprintf(stderr, "bench_perf: configuration N=%ld D=%ld failed\n", static_cast<long>(n),
                 static_cast<long>(dims));
    std::exit(1);
  }
  return row;
}

double ns_per_value(double seconds, const Row& row) {
  return seconds * 1e9 / (static_cast<double>(row.n) * static_cast<double>(row.dims));
}

// Peak memory beyond the program's own, per value of the data (the data itself is 8 bytes).
double bytes_per_value(const Row& r) {
  return (r.peak_rss_mb - r.start_rss_mb) * 1024.0 * 1024.0 /
         (static_cast<double>(r.n) * static_cast<double>(r.dims));
}

void print_row(const Row& r) {
  fmt::print(
      "| {:>7} | {:>3} | {:>8.4f} | {:>6.1f} | {:>5.1f} / {:>5.1f} / {:>5.1f} | {:>7.3f} | "
      "{:>7.3f} | {:>4.2f}× | {:>9.3g} | {:>9.3g} | {:>6.0f} | {:>5.1f} | {:>5.2f} |\n",
      r.n, r.dims, r.layer_seconds, ns_per_value(r.layer_seconds, r),
      ns_per_value(r.stages.marginal_fit, r), ns_per_value(r.stages.marginal_transform, r),
      ns_per_value(r.stages.rotation, r), r.fit_1, r.fit_2, r.fit_1 / r.fit_2, r.log_prob_1,
      r.log_prob_2, r.peak_rss_mb, bytes_per_value(r), r.layer_seconds / r.floor);
  std::fflush(stdout);
}

// Least-squares slope of log(time) on log(N).
double scaling_exponent(const std::vector<Row>& rows) {
  double mx = 0.0, my = 0.0;
  for (const Row& r : rows) {
    mx += std::log(static_cast<double>(r.n)) / static_cast<double>(rows.size());
    my += std::log(r.layer_seconds) / static_cast<double>(rows.size());
  }
  double sxy = 0.0, sxx = 0.0;
  for (const Row& r : rows) {
    const double dx = std::log(static_cast<double>(r.n)) - mx;
    sxy += dx * (std::log(r.layer_seconds) - my);
    sxx += dx * dx;
  }
  return sxy / sxx;
}

// Φ as the library computes it (lib/src/stats/normal.cpp, private): Boost's erfc in double
// precision. Out of line like the library's, so the timing includes the same call.
[[gnu::noinline]] double normal_cdf(double z) {
  using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  return 0.5 * boost::math::erfc(-z / 1.41421356237309504880, Policy());
}

// ns per call of Φ⁻¹ over probabilities spread like a layer's (uniform in (0, 1)).
void time_quantile() {
  const int count = 1 << 20;
  std::vector<double> p(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) p[static_cast<size_t>(i)] = (i + 0.5) / count;
  std::reverse(p.begin() + count / 3, p.end());  // not monotone: keep the branch predictor honest
  using Policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
  const auto boost_quantile = [](double v) {
    return -1.4142135623730951 * boost::math::erfc_inv(2.0 * v, Policy());
  };
  // The AS 241 timed here is a copy of the library's (support/normal_quantile.hpp): check that
  // it still computes Φ⁻¹ before quoting its speed (relative error ~1e-16 when intact).
  double worst = 0.0;
  for (size_t i = 0; i < p.size(); i += 997) {
    const double expected = boost_quantile(p[i]);
    const double error = std::abs(rbig::bench::as241::normal_quantile(p[i]) - expected);
    worst = std::max(worst, error / std::max(std::abs(expected), 1e-300));
  }
  if (worst > 1e-13) {
    std::fprintf(stderr, "bench_perf: the AS 241 copy is off by %g relative\n", worst);
    std::exit(1);
  }
  double sink = 0.0;
  const double boost_seconds = best_time(0.3, [&] {
    for (double v : p) sink += boost_quantile(v);
  });
  const double as241_seconds = best_time(0.3, [&] {
    for (double v : p) sink += rbig::bench::as241::normal_quantile(v);
  });
  const double cdf_seconds = best_time(0.3, [&] {
    for (double v : p) sink += normal_cdf(8.0 * v - 4.0);
  });
  fmt::print(
      "\nΦ⁻¹ per call: Boost erfc_inv {:.1f} ns, AS 241 {:.1f} ns; Φ (Boost erfc) {:.1f} "
      "ns{}\n",
      boost_seconds * 1e9 / count, as241_seconds * 1e9 / count, cdf_seconds * 1e9 / count,
      sink == 42.0 ? " " : "");
}

// µs per look of the thread pool at the machine's load: the same syscalls as the library's
// runnable_threads() (private), whose parse adds nanoseconds.
void time_load_look() {
  const int count = 10000;
  char text[128];
  long bytes = 0;
  const double seconds = best_time(0.3, [&] {
    for (int i = 0; i < count; ++i) {
      const int fd = ::open("/proc/loadavg", O_RDONLY | O_CLOEXEC);
      if (fd < 0) return;
      bytes += ::read(fd, text, sizeof text);
      ::close(fd);
    }
  });
  if (bytes <= 0) {
    fmt::print("\nload look: /proc/loadavg unreadable here\n");
    return;
  }
  fmt::print("\nload look (/proc/loadavg open/read/close): {:.2f} µs\n", seconds * 1e6 / count);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--marginal") == 0 && i + 1 < argc) {
      g_marginal = rbig::parse_marginal_kind(argv[++i]);
    } else if (std::strcmp(argv[i], "--rotation") == 0 && i + 1 < argc) {
      g_rotation = rbig::parse_rotation_kind(argv[++i]);
    } else {
      args.emplace_back(argv[i]);
    }
  }
  const bool quick = args.size() == 1 && args[0] == "--quick";
  const bool only = args.size() == 3 && args[0] == "--only";
  if (args.size() == 1 && args[0] == "--load-look") {
    time_load_look();
    return 0;
  }
  fmt::print(
      "| N | D | fit s/layer | ns/value/layer | stages ns/value: marginal fit / transform / "
      "rotation | fit s 1T | fit s 2T | speed-up | log_prob rows/s 1T | rows/s 2T | "
      "peak RSS MB | RSS bytes/value | layer / floor |\n");
  fmt::print("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
  if (only) {
    print_row(run_in_child(std::atol(args[1].c_str()), std::atol(args[2].c_str())));
    return 0;
  }
  std::vector<Row> by_n;
  for (Index n : {Index{1000}, Index{10000}, Index{100000}, Index{1000000}}) {
    if (quick && n > 100000) continue;
    by_n.push_back(run_in_child(n, 10));
    print_row(by_n.back());
  }
  for (Index dims : {Index{2}, Index{50}, Index{100}}) print_row(run_in_child(100000, dims));
  fmt::print("\nscaling exponent k (fit time per layer ∝ N^k, D = 10, N = {}…{}): {:.3f}\n",
             by_n.front().n, by_n.back().n, scaling_exponent(by_n));
  time_quantile();
  time_load_look();
  return 0;
}
