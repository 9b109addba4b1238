// bench_mpi: the fit on K processes (rbig::mpi) — wall time, bytes and time of the reductions
// per layer, and the latency and bandwidth of MPI_Allreduce on this machine, for the projection
// in bench/README.md ("Fitting on several processes").
//
//   mpirun -np K bench_mpi [rows] [dims] [layers] [local|mpi] [bandwidth] [marginal] [tail]
//   (defaults 1000000 10 10 mpi, Silverman's bandwidth, kde, the data below)
//
// bytes_*: what process 0 sent; received_*: what a process got back, the most of any (all of
// every gather: the honest figure where gathers are involved, whose sent bytes are one share).
//
// "local" (with K = 1): Model::fit, the single-process fit without the MPI reducer, for the
// baseline. bandwidth: the kde's, in standard deviations of each column (0.005 puts every
// column's grid at its node cap, the most a kde layer sends, at any N), or a rule's name
// (silverman, plugin, annealed). marginal: kde, histogram or spline. tail: light (default),
// cauchy or contaminated (draw_row): data whose kde grids (and the plug-in rule's binning grid)
// reach their node caps, the most a kde layer can send.
//
// Each process draws only its own rows: row i is a function of (i, seed), so the data set is
// the same whatever K. One fixed configuration (kde, Silverman, no damping, pca, a fixed number
// of layers, no validation) so that the times compare the same work.

#include <rbig/mpi.hpp>

#include <fmt/format.h>

#include <mpi.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

double uniform(std::uint64_t key) {
  return (static_cast<double>(splitmix(key) >> 11) + 0.5) * 0x1.0p-53;
}

/// Row i: Gaussian draws g, each column but the first bent by the square of the previous draw
/// (not of the previous column: a chain of squares would overflow), the first exponentiated.
/// The shape of every column: the bent Gaussians below, Cauchy, or contaminated Gaussians.
enum class Tail { Light, Cauchy, Contaminated };

/// Row i: Gaussian draws g, each column but the first bent by the square of the previous draw
/// (not of the previous column: a chain of squares would overflow), the first exponentiated.
/// Cauchy: every column a Cauchy draw (tangent of a uniform angle) bent the same way; sums of
/// Cauchy columns are Cauchy, so every layer's columns span thousands of bandwidths.
/// Contaminated: every column Gaussian, but with probability 0.1 uniform on [−25, 25]: a range
/// of ~45 robust spreads, inside the plug-in rule's 64, with its binning grid at the node cap.
void draw_row(std::int64_t i, rbig::Index dims, Tail tail, double* out) {
  std::vector<double> g(static_cast<size_t>(dims));
  for (rbig::Index d = 0; d < dims; ++d) {
    const auto key = static_cast<std::uint64_t>(i) * 1000003ull + static_cast<std::uint64_t>(d);
    const double u1 = uniform(2 * key);
    const double u2 = uniform(2 * key + 1);
    g[static_cast<size_t>(d)] = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  for (rbig::Index d = 0; d < dims; ++d) {
    const auto key =
        static_cast<std::uint64_t>(i) * 1000003ull + 500000ull + static_cast<std::uint64_t>(d);
    const double u = uniform(key);
    const double bend =
        d > 0 ? 0.5 * g[static_cast<size_t>(d - 1)] * g[static_cast<size_t>(d - 1)] : 0.0;
    if (tail == Tail::Cauchy) {
      out[d] = std::tan(M_PI * (u - 0.5)) + bend;
    } else if (tail == Tail::Contaminated) {
      out[d] = u < 0.1 ? 500.0 * u - 25.0 : g[static_cast<size_t>(d)];
    } else {
      out[d] = d == 0 ? std::exp(0.5 * g[0]) : g[static_cast<size_t>(d)] + bend;
    }
  }
}

/// CPU seconds of this process so far (all its threads): on a shared machine, the work done,
/// whatever the wait for a core.
double cpu_seconds_now() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

/// Mean seconds of one MPI_Allreduce of `count` doubles (after a warm-up).
double allreduce_seconds(int count, int repeats) {
  std::vector<double> values(static_cast<size_t>(count), 1.0);
  MPI_Allreduce(MPI_IN_PLACE, values.data(), count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = seconds_now();
  for (int r = 0; r < repeats; ++r) {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), count, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  }
  return (seconds_now() - start) / repeats;
}

}  // namespace

int main(int argc, char** argv) {
  rbig::mpi::Session session(argc, argv);
  const int rank = session.rank();
  const int size = session.size();
  const std::int64_t rows = argc > 1 ? std::atoll(argv[1]) : 1000000;
  const rbig::Index dims = argc > 2 ? std::atoi(argv[2]) : 10;
  const int layers = argc > 3 ? std::atoi(argv[3]) : 10;
  const bool local = argc > 4 && std::string(argv[4]) == "local" && size == 1;
  const std::string tail_name = argc > 7 ? argv[7] : "light";
  const Tail tail = tail_name == "cauchy"         ? Tail::Cauchy
                    : tail_name == "contaminated" ? Tail::Contaminated
                                                  : Tail::Light;
  const std::int64_t first = rows * rank / size;
  const std::int64_t last = rows * (rank + 1) / size;
  rbig::Matrix part(last - first, dims);
  std::vector<double> row(static_cast<size_t>(dims));
  for (std::int64_t i = first; i < last; ++i) {
    draw_row(i, dims, tail, row.data());
    for (rbig::Index d = 0; d < dims; ++d) part(i - first, d) = row[static_cast<size_t>(d)];
  }
  rbig::FitOptions options;
  options.marginal = rbig::MarginalKind::Kde;
  options.damping = 1.0;
  options.layers = layers;
  options.threads = 1;
  if (argc > 5) {
    const std::string bandwidth = argv[5];
    if (bandwidth.find_first_not_of("0123456789.e-") == std::string::npos) {
      options.bandwidth = std::atof(argv[5]);
    } else {
      options.bandwidth_rule = rbig::parse_bandwidth_rule(bandwidth);
    }
  }
  if (argc > 6) options.marginal = rbig::parse_marginal_kind(argv[6]);
  MPI_Barrier(MPI_COMM_WORLD);
  const double start = seconds_now();
  const double cpu_start = cpu_seconds_now();
  rbig::mpi::Traffic traffic;
  // The bytes sent (and received) before each layer report: a layer's own bytes are the
  // differences.
  std::vector<double> bytes_at_report;
  std::vector<double> received_at_report;
  const rbig::FitObserver observer = [&](const rbig::LayerReport&) {
    bytes_at_report.push_back(traffic.bytes);
    received_at_report.push_back(traffic.received);
    return true;
  };
  const rbig::Model model = local ? rbig::Model::fit(part, options)
                                  : rbig::mpi::fit(part, first, options, observer, &traffic);
  const double fit_seconds = seconds_now() - start;
  // CPU seconds of the fit, the most of any process (a process waiting in a reduction spins:
  // that time is CPU too, and reduce_s_per_layer says how much of it there was).
  double cpu = cpu_seconds_now() - cpu_start;
  MPI_Allreduce(MPI_IN_PLACE, &cpu, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  // Latency (8 bytes) and bandwidth (1 MB) of the reduction itself.
  const double latency = allreduce_seconds(1, 2000);
  const double megabyte = allreduce_seconds(131072, 50);
  // Interval k (k ≥ 1) runs from report k to report k + 1: layer k's rotation and layer k + 1's
  // marginal fit, the bytes of one layer; the first interval also holds the data checks, the
  // calibration, layer 0 and layer 1's marginal fit.
  double first_interval = bytes_at_report.empty() ? traffic.bytes : bytes_at_report.front();
  double largest_layer = 0.0;
  bytes_at_report.push_back(traffic.bytes);
  for (size_t k = 1; k < bytes_at_report.size(); ++k)
    largest_layer = std::max(largest_layer, bytes_at_report[k] - bytes_at_report[k - 1]);
  // The bytes a process receives, the most of any process: what process 0 sends is its share of
  // a gather, while every process receives all of it (at K = 2 a gather looked half price).
  const double first_received =
      received_at_report.empty() ? traffic.received : received_at_report.front();
  double largest_received = 0.0;
  received_at_report.push_back(traffic.received);
  for (size_t k = 1; k < received_at_report.size(); ++k) {
    largest_received =
        std::max(largest_received, received_at_report[k] - received_at_report[k - 1]);
  }
  std::array<double, 3> most_received{traffic.received, first_received, largest_received};
  MPI_Allreduce(MPI_IN_PLACE, most_received.data(), 3, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  const auto [received, first_most, largest_most] = most_received;
  if (rank == 0) {
    const double per_layer = 1.0 / (layers + 1);  // layers + the closing marginal step
    fmt::print(
        "K={} mode={} N={} D={} marginal={} bandwidth={} layers={} fit_s={:.3f} cpu_s_max={:.3f} "
        "reductions_per_layer={:.0f} "
        "bytes_per_layer={:.0f} bytes_first_interval={:.0f} bytes_largest_layer={:.0f} "
        "received_per_layer={:.0f} received_first_interval={:.0f} received_largest_layer={:.0f} "
        "reduce_s_per_layer={:.5f} allreduce_8B_us={:.2f} "
        "allreduce_1MB_ms={:.3f} total_correlation={:.9f}\n",
        size, local ? "local" : "mpi", rows, dims, rbig::to_string(*options.marginal),
        options.bandwidth_text(), model.layers().size(), fit_seconds, cpu,
        static_cast<double>(traffic.calls) * per_layer, traffic.bytes * per_layer, first_interval,
        largest_layer, received * per_layer, first_most, largest_most, traffic.seconds * per_layer,
        latency * 1e6, megabyte * 1e3, model.report().total_correlation);
  }
  return 0;
}
