// rbig sample: draws new rows from a fitted model.

#include "commands.hpp"
#include "common.hpp"
#include "console.hpp"
#ifdef RBIG_WITH_MPI
#include "mpi_rows.hpp"
#endif

#include <rbig/model.hpp>

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace rbig::cli {
namespace {

struct SampleCommand {
  std::string model;
  std::string output;
  Index n = 0;
  std::uint64_t seed = 0;          // fixed, so that a repeated command repeats its output
  std::vector<std::string> names;  // --names: the header line; none by default
};

// -n must be a positive count that fits Index (CLI11 2.1.2 saturates larger values silently).
CLI::Validator positive_count() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        Index value = 0;
        const char* end = text.data() + text.size();
        const std::from_chars_result parsed = std::from_chars(text.data(), end, value);
        if (!text.empty() && parsed.ec == std::errc() && parsed.ptr == end && value >= 1) return {};
        return fmt::format("must be an integer from 1 to {} (got {})",
                           std::numeric_limits<Index>::max(), text);
      },
      "");
}

void check_names(const SampleCommand& cmd, const Model& model) {
  if (!cmd.names.empty() && static_cast<Index>(cmd.names.size()) != model.dims()) {
    throw CLI::ValidationError("--names", fmt::format("{} names for a model of {} dimensions",
                                                      cmd.names.size(), model.dims()));
  }
}

#ifdef RBIG_WITH_MPI
// Under mpirun: process k of K draws rows [n·k/K, n·(k+1)/K) of the one-process sample (a row's
// draw depends on its index and the seed only: the output is the same for every K); process 0
// writes them all in order.
int run_sample_distributed(const SampleCommand& cmd) {
  std::optional<Model> model;
  collectively([&] {
    if (!cmd.output.empty() && speaks()) check_output_folder(cmd.output, {cmd.model});
    model.emplace(Model::load(cmd.model));
  });
  check_names(cmd, *model);  // the same verdict everywhere: every process read the same model
  check_interrupted();
  const RowRange rows = process_rows(cmd.n);
  Matrix draws;
  collectively([&] { draws = model->sample_rows(rows.first, rows.count, cmd.seed); });
  check_interrupted();
  write_output_in_order(cmd.output, draws, cmd.names);
  if (speaks() && !cmd.output.empty() && !is_stdout(cmd.output)) {
    summary(fmt::format("wrote {}: {} rows x {} columns", cmd.output, cmd.n, draws.cols()));
  }
  return 0;
}
#endif

int run_sample(const SampleCommand& cmd) {
#ifdef RBIG_WITH_MPI
  if (distributed()) return run_sample_distributed(cmd);
#endif
  if (!cmd.output.empty()) check_output_folder(cmd.output, {cmd.model});
  const Model model = Model::load(cmd.model);
  check_names(cmd, model);
  check_interrupted();
  const Matrix draws = model.sample(cmd.n, cmd.seed);
  check_interrupted();
  // No header unless --names: the model file holds no column names, and x1..xD would be made up.
  write_output(cmd.output, draws, cmd.names);
  if (!cmd.output.empty() && !is_stdout(cmd.output)) {
    summary(fmt::format("wrote {}: {} rows x {} columns", cmd.output, draws.rows(), draws.cols()));
  }
  return 0;
}

}  // namespace

void setup_sample(CLI::App& app) {
  auto cmd = std::make_shared<SampleCommand>();
  CLI::App* sub = app.add_subcommand("sample", "Draw new rows from a fitted model");

  sub->add_option("MODEL", cmd->model, "Model file written by rbig fit")->required();
  sub->add_option("-n", cmd->n, "Number of rows to draw")->required()->check(positive_count());
  sub->add_option("--seed", cmd->seed, "Random seed; the same seed gives the same rows")
      ->check(seed_validator())
      ->capture_default_str();
  sub->add_option("-o,--output", cmd->output,
                  "Write the CSV (no header: a model holds no column names), or .npy by its "
                  "extension, here (atomically; - for stdout) and a summary line on stdout");
  sub->add_option("--names", cmd->names,
                  "Header to write, one name per dimension, e.g. the training data's: "
                  "--names eruptions,waiting (default: no header)")
      ->delimiter(',')
      ->type_name("NAME,...");
  add_quiet_flag(*sub);
  sub->footer(
      "Example:\n"
      "  rbig sample faithful.rbig -n 1000 --seed 42 -o draws.csv\n"
      "\nUnder mpirun (built with RBIG_MPI) each process draws its share of the -n rows; process 0 "
      "writes one\n"
      "output in row order, the same bytes as one process:\n"
      "  mpirun -np 4 rbig sample big.rbig -n 100000000 -o draws.npy --threads 1");

  sub->callback([cmd] {
    if (const int status = run_sample(*cmd); status != 0) throw ExitStatus(status);
  });
}

}  // namespace rbig::cli
