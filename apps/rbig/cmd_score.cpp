// rbig score: per-row log-density of a CSV under a fitted model.

#include "commands.hpp"
#include "common.hpp"
#include "console.hpp"
#ifdef RBIG_WITH_MPI
#include "mpi_rows.hpp"
#endif

#include <rbig/model.hpp>

#include <fmt/format.h>

#include <memory>
#include <string>

namespace rbig::cli {
namespace {

struct ScoreCommand {
  std::string model;
  std::string data;
  std::string output;
  CsvInput csv;
  bool json = false;
};

void print_result(const ScoreCommand& cmd, Index n, double mean) {
  if (cmd.json) {
    print_json({{"command", "score"}, {"mean_log_prob", mean}, {"unit", "nats"}, {"n", n}});
  } else if (!cmd.output.empty() && !is_stdout(cmd.output)) {
    summary(fmt::format("wrote {}: {} rows, mean log-density {:.6g} nats", cmd.output, n, mean));
  }
}

#ifdef RBIG_WITH_MPI
// Under mpirun: each process scores its part of DATA; process 0 writes every row in order.
int run_score_distributed(const ScoreCommand& cmd) {
  const auto [model, part] = load_model_and_part(cmd.model, cmd.data, cmd.csv, cmd.output);
  Vector log_prob;
  collectively([&, &model = model, &part = part] {
    log_prob = in_part(part, cmd.data, [&] { return model.log_prob(part.table.values); });
  });
  check_interrupted();
  const Index n = part.total_rows;
  // Partial sums added across processes: the mean may differ from one process's in the last bits.
  const double mean = sum_over_processes(log_prob.sum()) / static_cast<double>(n);
  if (!cmd.output.empty() || !cmd.json) write_output_in_order(cmd.output, log_prob, "log_prob");
  if (speaks()) print_result(cmd, n, mean);
  return 0;
}
#endif

int run_score(const ScoreCommand& cmd) {
  if (cmd.json && is_stdout(cmd.output)) {
    throw CLI::ValidationError("--json", "cannot share standard output with -o -: give -o FILE");
  }
#ifdef RBIG_WITH_MPI
  if (distributed()) return run_score_distributed(cmd);
#endif
  const auto [model, table] = load_model_and_data(cmd.model, cmd.data, cmd.csv, cmd.output);
  const Vector log_prob = model.log_prob(table.values);
  check_interrupted();
  const Index n = log_prob.size();
  const double mean = log_prob.mean();  // NaN (JSON null) for an empty table

  // Without -o the CSV is the result, unless --json asked for the summary only.
  if (!cmd.output.empty() || !cmd.json) write_output(cmd.output, log_prob, "log_prob");
  print_result(cmd, n, mean);
  return 0;
}

}  // namespace

void setup_score(CLI::App& app) {
  auto cmd = std::make_shared<ScoreCommand>();
  CLI::App* sub = app.add_subcommand("score", "Log-density (nats) of each row of a CSV file");

  sub->add_option("MODEL", cmd->model, "Model file written by rbig fit")->required();
  sub->add_option("DATA", cmd->data,
                  "CSV or .npy with one column per model dimension (- for stdin)")
      ->required();
  sub->add_option("-o,--output", cmd->output,
                  "Write the log_prob CSV, or a 1-D .npy by its extension, here (atomically; - "
                  "for stdout) and a summary line on stdout");
  add_csv_input_flags(*sub, cmd->csv);
  sub->add_flag("--json", cmd->json,
                "Print one JSON object {mean_log_prob, unit, n} instead of the summary; "
                "per-row values go only to -o FILE");
  add_quiet_flag(*sub);
  sub->footer(
      "Example:\n"
      "  rbig score faithful.rbig data/faithful.csv -o scores.csv --json\n"
      "\nUnder mpirun (built with RBIG_MPI) each process scores its part of DATA (CSV or .npy); "
      "process 0 writes one\n"
      "output in row order, the same bytes as one process:\n"
      "  mpirun -np 4 rbig score big.rbig big.csv -o scores.csv --threads 1");

  sub->callback([cmd] {
    if (const int status = run_score(*cmd); status != 0) throw ExitStatus(status);
  });
}

}  // namespace rbig::cli
