#pragma once
/// The fit on several processes with MPI (the optional rbig::mpi component: `find_package(rbig
/// COMPONENTS mpi)`, target `rbig::mpi`).
///
/// Each process holds a contiguous part of the rows, in process order, and calls rbig::mpi::fit
/// with it; every per-layer statistic (column moments, covariance, grid counts, entropy and
/// held-out log-likelihood sums, exact order statistics) is combined with MPI_Allreduce, and every
/// process gets the same model. A layer exchanges O(D² + D·bins) numbers, whatever the number of
/// rows.
///
///   rbig::mpi::Session mpi(argc, argv);             // MPI_Init … MPI_Finalize
///   const rbig::Matrix part = my_rows();            // rows [first, first + part.rows())
///   const rbig::Index first = rbig::mpi::rows_before(part.rows());
///   rbig::Model model = rbig::mpi::fit(part, first, options);
///   if (mpi.rank() == 0) model.save("model.rbig");
///
/// Supported: every marginal kind and bandwidth rule, damping, the Gaussian fallback, the model
/// selection over candidates, validation rows (chosen by global row index), the pca and random
/// rotations. The ica and pursuit rotations and an explicit validation set throw OptionError.
/// The model is the same bytes whatever the number of processes (every sum runs over fixed
/// global row blocks and is added exactly; a process may hold no rows at all); see README.md,
/// "Fitting on several processes".

#include <rbig/model.hpp>
#include <rbig/options.hpp>
#include <rbig/types.hpp>

#include <string>

namespace rbig::mpi {

/// MPI_Init (if not yet initialised) and MPI_Finalize (if this object initialised it).
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  int rank() const;
  int size() const;

 private:
  bool owner_ = false;
};

/// What a fit's reductions exchanged, summed over the calls of this process.
struct Traffic {
  long calls = 0;         // collective reductions
  double bytes = 0.0;     // bytes this process contributed to them
  double received = 0.0;  // bytes it got back: the result of each reduction, all of a gather
  double seconds = 0.0;   // wall time inside them (waiting for slower processes included)
};

/// Model::fit over the rows of all processes of MPI_COMM_WORLD; `rows` are this process's,
/// rows [first_row, first_row + rows.rows()) of all. Collective: every process calls it with the
/// same options (and gets the same model, or the same exception). traffic: if given, set at the
/// end, and before each call of the observer to the traffic so far (bench_mpi's bytes per layer).
Model fit(ConstMatrixRef rows, Index first_row, const FitOptions& options,
          const FitObserver& observer = {}, Traffic* traffic = nullptr);

/// Σ of `count` over the processes before this one (MPI_Exscan; 0 on the first).
Index rows_before(Index count);
/// Σ of `count` over all processes.
Index total(Index count);
/// The smallest and largest of `value` over all processes.
Index minimum(Index value);
Index maximum(Index value);

/// An error that ends every process with the same message and exit status.
struct Failure {
  int status = 0;  // 0: no failure
  std::string message;
};
/// Collective: the failure of the lowest-numbered process that has one (status != 0), or
/// status 0 when none has.
Failure agree_on_failure(const Failure& mine);

}  // namespace rbig::mpi
