// bench_density: held-out likelihood of the fitted density (issue 4). A plain program, not a test.
//
// For each data set and each combination of marginal (histogram, kde, spline) and rotation (pca,
// random), all other FitOptions at their defaults, it fits on the training split and prints the
// mean held-out log-likelihood (nats per sample and per dimension), the number of layers, the fit
// seconds and, where the true density is known, the KL gap: mean true log p − mean model log p
// over the test rows (an unbiased estimate of KL(p‖model) up to sampling noise).
//
// Data: ring, moons, banana, funnel, checkerboard, gmm8, gmm16 (synthetic, with a known density)
// and faithful, wine, breast_cancer, digits (data/); see density_sets.hpp.
//
//   bench_density [--only NAME] [--rows N] [--dump DIR] [--default] [--marginal M] [--rotation R]
//                 [--bandwidth B] [--validation F] [--damping A] [--max-layers N] [--radial]
//                 [--tree] [--coupling | --no-coupling] [--mixture | --no-mixture] [--splits S]
//     --default    one fit per data set with FitOptions{} (what `rbig fit` does without options:
//                  validation 0.1, marginal and damping chosen on it, the mixture first layer
//                  offered); the marginal column shows the choice, and stderr every candidate's
//                  validation score
//     --only NAME  one data set;  --rows N  synthetic training rows (default 20000; test = N/4)
//     --marginal M, --rotation R  only that method;  --bandwidth B  FitOptions::bandwidth (kde; a
//                  number of sd) or ::bandwidth_rule (silverman, plugin)
//     --validation F, --damping A, --max-layers N  FitOptions::validation, ::damping, ::max_layers
//                  for every fit (defaults here 0, 1, 100: the greedy training-set stopping rule,
//                  which were FitOptions' defaults when the tables in bench/README.md began); when
//                  given, they are appended to the marginal column, e.g. "kde --validation 0.1",
//                  and each validated fit also prints its best validation log p to stderr
//     --radial     FitOptions::radial for every fit (radial layers offered; "+ radial" in the
//                  marginal column, and the radial layers' count after the layer count)
//     --tree       FitOptions::tree for every fit (tree destructors offered; the tree layers'
//                  count after the layer count)
//     --coupling   FitOptions::coupling for every fit (conditional affine destructors offered;
//                  the coupling layers' count after the layer count)
//     --mixture, --no-mixture  FitOptions::mixture true (required: needs --default or
//                  --validation) or false (never) for every fit; without either, the library's
//                  default (offered where rows are held out). "(mixture K)" after the layer count
//                  when a mixture first layer was kept
//     --splits S   every set S times, split s = 0 … S−1 (rows "NAME #s"): 0 is the tables' split,
//                  s > 0 a fresh draw of a synthetic set or another shuffle of a real one; then a
//                  row "NAME: mean of S" per configuration with the mean test log p and KL gap
//                  ± their standard error. One split's score moves by ±0.3 nats on the small real
//                  sets from the validation-chosen depth alone; bench/paired_splits.py compares
//                  two runs split by split
//     --dump DIR   also write DIR/NAME_train.csv, NAME_test.csv (what the models see; NAME_sS_…
//                  for split S > 0) and, for the synthetic sets, NAME_test_logp.csv (true log p
//                  per test row), for bench/density_peers.py

#include <rbig/io.hpp>
#include <rbig/model.hpp>

#include "density_sets.hpp"
#include "support/timing.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

using rbig::Index;
using rbig::Matrix;
using rbig::Vector;
using rbig::bench::DataSet;

namespace {

// --- output -----------------------------------------------------------------------------------

void write_matrix(const std::filesystem::path& path, const Matrix& x) {
  std::vector<std::string> names;
  for (Index c = 0; c < x.cols(); ++c) names.push_back(fmt::format("x{}", c + 1));
  rbig::write_file_atomically(path, [&](std::ostream& out) { rbig::write_csv(out, x, names); });
}

void dump(const std::filesystem::path& dir, const DataSet& set, const std::string& file_name) {
  std::filesystem::create_directories(dir);
  write_matrix(dir / (file_name + "_train.csv"), set.train);
  write_matrix(dir / (file_name + "_test.csv"), set.test);
  if (set.test_log_p) write_matrix(dir / (file_name + "_test_logp.csv"), *set.test_log_p);
}

struct Selection {
  bool library_default = false;  // --default
  std::optional<rbig::MarginalKind> marginal;
  std::optional<rbig::RotationKind> rotation;
  std::optional<double> bandwidth;
  std::optional<rbig::BandwidthRule> bandwidth_rule;
  std::optional<double> validation;
  std::optional<double> damping;
  std::optional<int> max_layers;
  bool radial = false;
  bool tree = false;
  std::optional<bool> coupling;  // --coupling, --no-coupling; empty: FitOptions' default
  std::optional<bool> mixture;   // --mixture, --no-mixture; empty: FitOptions' default
};

// " --mixture", " --no-mixture" or "": the flag given, for the configuration's name.
std::string mixture_flag(const Selection& selection) {
  if (!selection.mixture) return "";
  return *selection.mixture ? " --mixture" : " --no-mixture";
}

// " --coupling", " --no-coupling" or "".
std::string coupling_flag(const Selection& selection) {
  if (!selection.coupling) return "";
  return *selection.coupling ? " --coupling" : " --no-coupling";
}

// The marginal column: the method, then the non-default fitting-loop options that were given.
std::string configuration(rbig::MarginalKind marginal, const Selection& selection) {
  std::string name(rbig::to_string(marginal));
  if (marginal == rbig::MarginalKind::Kde && (selection.bandwidth || selection.bandwidth_rule)) {
    rbig::FitOptions given;
    given.bandwidth = selection.bandwidth;
    given.bandwidth_rule = selection.bandwidth_rule;
    name += " --bandwidth " + given.bandwidth_text();
  }
  if (selection.validation) name += fmt::format(" --validation {}", *selection.validation);
  if (selection.damping) name += fmt::format(" --damping {}", *selection.damping);
  if (selection.max_layers) name += fmt::format(" --max-layers {}", *selection.max_layers);
  if (selection.radial) name += " --radial";
  if (selection.tree) name += " --tree";
  return name + coupling_flag(selection) + mixture_flag(selection);
}

// One fitted configuration's scores, for the mean over splits.
struct Score {
  std::string configuration;
  Index dims = 0;
  double log_p = 0.0;
  std::optional<double> gap;
  double seconds = 0.0;
};

// Fits one configuration, prints its table row, and for validated fits the score on stderr.
Score report(const DataSet& set, const rbig::FitOptions& options, const std::string& name) {
  const Index dims = set.train.cols();
  const rbig::bench::Clock::time_point start = rbig::bench::Clock::now();
  const rbig::Model model = rbig::Model::fit(set.train, options);
  const double seconds = rbig::bench::seconds_since(start);
  const Vector log_p = model.log_prob(set.test);
  const double mean = log_p.mean();
  const std::string gap =
      set.test_log_p ? fmt::format("{:.4f}", set.test_log_p->mean() - mean) : "";
  const rbig::FitOptions& used = model.options();
  // Where the options left the choice to the fit, the column shows what it chose.
  std::string label = name;
  if (!options.marginal || !options.damping) {
    label = fmt::format("{}: {}, damping {}", name, rbig::to_string(*used.marginal), *used.damping);
    if (used.marginal == rbig::MarginalKind::Kde) label += ", bandwidth " + used.bandwidth_text();
  }
  const std::string rotation(rbig::to_string(used.rotation));
  std::string layers = std::to_string(model.layers().size());
  if (options.radial) {
    const auto radial = std::count_if(model.layers().begin(), model.layers().end(),
                                      [](const rbig::Layer& layer) { return layer.is_radial(); });
    layers += fmt::format(" ({} radial)", radial);
  }
  if (options.tree) {
    const auto tree = std::count_if(model.layers().begin(), model.layers().end(),
                                    [](const rbig::Layer& layer) { return layer.is_tree(); });
    layers += fmt::format(" ({} tree)", tree);
  }
  if (model.options().coupling.value_or(false)) {
    const auto coupling =
        std::count_if(model.layers().begin(), model.layers().end(),
                      [](const rbig::Layer& layer) { return layer.is_coupling(); });
    layers += fmt::format(" ({} coupling)", coupling);
  }
  if (model.layers().front().is_mixture())
    layers +=
        fmt::format(" (mixture {} + floor)", model.layers().front().mixture().components() - 1);
  if (!log_p.allFinite())
    std::fprintf(stderr, "  %s: a test row has no finite log p\n", set.name.c_str());
  std::printf("| %s | %ld | %s | %s | %.3f | %.3f | %s | %.2f | %s |\n", set.name.c_str(),
              static_cast<long>(dims), label.c_str(), rotation.c_str(), mean,
              mean / static_cast<double>(dims), layers.c_str(), seconds, gap.c_str());
  std::fflush(stdout);
  if (options.validation > 0.0) {
    // The score the depth (and the default's configuration) was chosen on.
    std::fprintf(stderr, "  %s %s: best validation log p %.3f; stop: %s; %s\n", set.name.c_str(),
                 label.c_str(), *model.report().layers.back().validation_log_prob,
                 std::string(rbig::to_string(model.report().stop)).c_str(),
                 model.report().message.c_str());
  }
  std::optional<double> true_gap;
  if (set.test_log_p) true_gap = set.test_log_p->mean() - mean;
  return {name, dims, mean, true_gap, seconds};
}

std::vector<Score> run(const DataSet& set, const Selection& selection) {
  const Index dims = set.train.cols();
  std::string truth;
  if (set.test_log_p) truth = fmt::format(" (true test log p {:.3f})", set.test_log_p->mean());
  std::fprintf(stderr, "%s: %ld train, %ld test rows, %ld dims%s\n", set.name.c_str(),
               static_cast<long>(set.train.rows()), static_cast<long>(set.test.rows()),
               static_cast<long>(dims), truth.c_str());
  if (selection.library_default) {
    rbig::FitOptions options;
    if (selection.max_layers) options.max_layers = *selection.max_layers;
    if (selection.rotation) options.rotation = *selection.rotation;
    options.bandwidth = selection.bandwidth;
    options.bandwidth_rule = selection.bandwidth_rule;
    options.damping = selection.damping;
    options.marginal = selection.marginal;
    options.radial = selection.radial;
    options.tree = selection.tree;
    options.coupling = selection.coupling;
    options.mixture = selection.mixture;
    std::string name = "default";
    if (selection.radial) name += " --radial";
    if (selection.tree) name += " --tree";
    return {report(set, options, name + coupling_flag(selection) + mixture_flag(selection))};
  }
  std::vector<Score> scores;
  for (rbig::MarginalKind marginal :
       {rbig::MarginalKind::Histogram, rbig::MarginalKind::Kde, rbig::MarginalKind::Spline}) {
    if (selection.marginal && marginal != *selection.marginal) continue;
    // pca and random unless --rotation names one (ica and pursuit only then).
    using Kinds = std::vector<rbig::RotationKind>;
    const Kinds rotations = selection.rotation
                                ? Kinds{*selection.rotation}
                                : Kinds{rbig::RotationKind::Pca, rbig::RotationKind::Random};
    for (rbig::RotationKind rotation : rotations) {
      rbig::FitOptions options;
      options.bandwidth = selection.bandwidth;
      options.bandwidth_rule = selection.bandwidth_rule;
      options.marginal = marginal;
      options.rotation = rotation;
      options.validation = selection.validation.value_or(0.0);
      options.damping = selection.damping.value_or(1.0);
      options.max_layers = selection.max_layers.value_or(100);
      options.radial = selection.radial;
      options.tree = selection.tree;
      options.coupling = selection.coupling;
      options.mixture = selection.mixture;
      scores.push_back(report(set, options, configuration(marginal, selection)));
    }
  }
  return scores;
}

// "mean ± standard error" of one score over the splits, with `digits` decimals (4 for KL gaps:
// the targets compare gaps of a few thousandths).
std::string mean_and_error(const std::vector<double>& values, int digits = 3) {
  const double n = static_cast<double>(values.size());
  double mean = 0.0;
  for (double v : values) mean += v / n;
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double error = values.size() > 1 ? std::sqrt(squares / (n - 1.0) / n) : 0.0;
  return fmt::format("{:.{}f} ± {:.{}f}", mean, digits, error, digits);
}

// The "NAME: mean of S" row of each configuration (scores[s][c]: split s, configuration c).
void print_means(const std::string& name, const std::vector<std::vector<Score>>& scores) {
  for (size_t c = 0; c < scores.front().size(); ++c) {
    std::vector<double> log_p, gap;
    double seconds = 0.0;
    for (const std::vector<Score>& split : scores) {
      log_p.push_back(split[c].log_p);
      if (split[c].gap) gap.push_back(*split[c].gap);
      seconds += split[c].seconds / static_cast<double>(scores.size());
    }
    const Score& first = scores.front()[c];
    std::printf("| %s: mean of %zu | %ld | %s | | %s | | | %.2f | %s |\n", name.c_str(),
                scores.size(), static_cast<long>(first.dims), first.configuration.c_str(),
                mean_and_error(log_p).c_str(), seconds,
                gap.empty() ? "" : mean_and_error(gap, 4).c_str());
  }
  std::fflush(stdout);
}

struct Arguments {
  std::string only;
  std::string dump_dir;
  Index rows = 20000;
  int splits = 0;  // 0: the tables' split only, rows named as before
  Selection selection;
};

// False on an unknown or incomplete argument (main prints the usage line).
bool parse_arguments(int argc, char** argv, Arguments& args) {
  Selection& selection = args.selection;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--only" && i + 1 < argc) {
      args.only = argv[++i];
    } else if (arg == "--radial") {
      selection.radial = true;
    } else if (arg == "--tree") {
      selection.tree = true;
    } else if (arg == "--coupling") {
      selection.coupling = true;
    } else if (arg == "--no-coupling") {
      selection.coupling = false;
    } else if (arg == "--mixture") {
      selection.mixture = true;
    } else if (arg == "--no-mixture") {
      selection.mixture = false;
    } else if (arg == "--default") {
      selection.library_default = true;
    } else if (arg == "--dump" && i + 1 < argc) {
      args.dump_dir = argv[++i];
    } else if (arg == "--marginal" && i + 1 < argc) {
      selection.marginal = rbig::parse_marginal_kind(argv[++i]);
    } else if (arg == "--rotation" && i + 1 < argc) {
      selection.rotation = rbig::parse_rotation_kind(argv[++i]);
    } else if (arg == "--bandwidth" && i + 1 < argc) {
      const std::string value = argv[++i];
      if (value == "silverman" || value == "plugin") {
        selection.bandwidth_rule = rbig::parse_bandwidth_rule(value);
      } else {
        selection.bandwidth = std::stod(value);
      }
    } else if (arg == "--validation" && i + 1 < argc) {
      selection.validation = std::stod(argv[++i]);
    } else if (arg == "--damping" && i + 1 < argc) {
      selection.damping = std::stod(argv[++i]);
    } else if (arg == "--max-layers" && i + 1 < argc) {
      selection.max_layers = std::stoi(argv[++i]);
    } else if (arg == "--rows" && i + 1 < argc) {
      args.rows = std::stol(argv[++i]);
    } else if (arg == "--splits" && i + 1 < argc) {
      args.splits = std::stoi(argv[++i]);
      if (args.splits < 1) return false;
    } else {
      return false;
    }
  }
  return true;
}

// Rejects a bad --validation / --damping / --max-layers before any data set is built.
bool selection_is_valid(const Selection& selection) {
  rbig::FitOptions check;
  if (selection.validation) check.validation = *selection.validation;
  if (selection.damping) check.damping = *selection.damping;
  if (selection.max_layers) check.max_layers = *selection.max_layers;
  check.bandwidth = selection.bandwidth;
  try {
    check.validate();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_density: %s\n", e.what());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Arguments args;
  if (!parse_arguments(argc, argv, args)) {
    std::fprintf(stderr,
                 "usage: bench_density [--only NAME] [--rows N] [--dump DIR] [--default] "
                 "[--marginal M] [--rotation R] [--bandwidth B] [--validation F] [--damping A] "
                 "[--max-layers N] [--radial] [--tree] [--coupling | --no-coupling] [--mixture | "
                 "--no-mixture] "
                 "[--splits S]\n");
    return 2;
  }
  if (!selection_is_valid(args.selection)) return 2;
  std::printf(
      "| data | D | marginal | rotation | test log p (nats) | per dim | layers | fit s | "
      "KL gap |\n");
  std::printf("|---|---:|---|---|---:|---:|---:|---:|---:|\n");
  const auto names = rbig::bench::density_sets(args.rows, 0);
  for (size_t index = 0; index < names.size(); ++index) {
    const std::string& name = names[index].first;
    if (!args.only.empty() && name != args.only) continue;
    std::vector<std::vector<Score>> scores;
    for (int split = 0; split < std::max(args.splits, 1); ++split) {
      DataSet set =
          rbig::bench::density_sets(args.rows, static_cast<std::uint64_t>(split))[index].second();
      // Split s is dumped as NAME_sS_train.csv …, the tables' split as NAME_train.csv.
      if (!args.dump_dir.empty())
        dump(args.dump_dir, set, split > 0 ? fmt::format("{}_s{}", name, split) : name);
      if (args.splits > 0) set.name += fmt::format(" #{}", split);
      scores.push_back(run(set, args.selection));
    }
    if (args.splits > 0) print_means(name, scores);
  }
  return 0;
}
