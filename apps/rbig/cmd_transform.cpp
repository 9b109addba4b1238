// rbig transform / rbig inverse: maps rows to the latent space of a model (z = G(x)) and back.
// Both share this file: they differ only in the direction of the map.

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
#include <vector>

namespace rbig::cli {
namespace {

struct TransformCommand {
  bool inverse = false;  // false: x -> z, true: z -> x
  std::string model;
  std::string data;
  std::string output;
  CsvInput csv;
};

#ifdef RBIG_WITH_MPI
// Under mpirun: each process maps its part of DATA; process 0 writes every row in order.
int run_transform_distributed(const TransformCommand& cmd) {
  const auto [model, part] = load_model_and_part(cmd.model, cmd.data, cmd.csv, cmd.output);
  Matrix mapped;
  collectively([&, &model = model, &part = part] {
    mapped = in_part(part, cmd.data, [&] {
      return cmd.inverse ? model.inverse(part.table.values) : model.transform(part.table.values);
    });
  });
  check_interrupted();
  // Process 0 holds the header, if the file has one.
  write_output_in_order(
      cmd.output, mapped,
      part.table.has_header ? part.table.column_names : std::vector<std::string>{});
  if (speaks() && !cmd.output.empty() && !is_stdout(cmd.output)) {
    summary(
        fmt::format("wrote {}: {} rows x {} columns", cmd.output, part.total_rows, mapped.cols()));
  }
  return 0;
}
#endif

int run_transform(const TransformCommand& cmd) {
#ifdef RBIG_WITH_MPI
  if (distributed()) return run_transform_distributed(cmd);
#endif
  const auto [model, table] = load_model_and_data(cmd.model, cmd.data, cmd.csv, cmd.output);
  const Matrix mapped = cmd.inverse ? model.inverse(table.values) : model.transform(table.values);
  check_interrupted();
  // The input's header names the same columns in the other space; no header in, none out.
  write_output(cmd.output, mapped,
               table.has_header ? table.column_names : std::vector<std::string>{});
  if (!cmd.output.empty() && !is_stdout(cmd.output)) {
    summary(
        fmt::format("wrote {}: {} rows x {} columns", cmd.output, mapped.rows(), mapped.cols()));
  }
  return 0;
}

void setup(CLI::App& app, bool inverse) {
  auto cmd = std::make_shared<TransformCommand>();
  cmd->inverse = inverse;
  CLI::App* sub =
      inverse ? app.add_subcommand("inverse", "Map latent rows z back to data space: x = G^-1(z)")
              : app.add_subcommand("transform", "Map data rows x to the latent space: z = G(x)");

  sub->add_option("MODEL", cmd->model, "Model file written by rbig fit")->required();
  sub->add_option(inverse ? "LATENT" : "DATA", cmd->data,
                  inverse ? "CSV or .npy of latent rows, e.g. from rbig transform (- for stdin)"
                          : "CSV or .npy with one column per model dimension (- for stdin)")
      ->required();
  sub->add_option("-o,--output", cmd->output,
                  "Write the CSV (the input's header, if it had one), or .npy by its extension, "
                  "here (atomically; - for stdout) and a summary line on stdout");
  add_csv_input_flags(*sub, cmd->csv);
  add_quiet_flag(*sub);
  sub->footer(std::string(inverse
                              ? "Example:\n  rbig inverse faithful.rbig latent.csv -o restored.csv"
                              : "Example:\n  rbig transform faithful.rbig data/faithful.csv -o "
                                "latent.csv") +
              "\n\nUnder mpirun (built with RBIG_MPI) each process maps its part of the rows (CSV "
              "or .npy);\nprocess 0 writes one output in row order, the same bytes as one "
              "process.");

  sub->callback([cmd] {
    if (const int status = run_transform(*cmd); status != 0) throw ExitStatus(status);
  });
}

}  // namespace

void setup_transform(CLI::App& app) { setup(app, false); }
void setup_inverse(CLI::App& app) { setup(app, true); }

}  // namespace rbig::cli
