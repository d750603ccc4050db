// Distributed sweeps: `mpirun -np K hlsim sweep sweep.yaml` spreads the runs over K ranks (on one
// machine or a cluster) and rank 0 gathers them into the one results file.
//
// Rank 0 plans (it alone reads the earlier results file and parts folder, so only it needs the
// output's file system) and broadcasts the indices of the runs left; rank r runs every K-th of
// them from position r, each rank on its own TBB arena. A worker sends each finished run to rank
// 0 as it finishes — its part file's bytes with its status — and rank 0 stores it as a part file
// of its own, so an interrupted distributed sweep resumes like a local one. Rank 0 runs its share
// too; a thread of it polls for incoming runs (MPI_Iprobe every 20 ms, so that it does not spin
// on a core the simulations need). Requires MPI_THREAD_SERIALIZED; all MPI calls of a process
// are serialised by one mutex.
#pragma once

#include <atomic>
#include <functional>

#include "sim/sweep/sweep_runner.h"

namespace hlsim::app {

// True when hlsim was built with MPI and started by mpirun (or another launcher) with more than
// one rank.
bool mpi_sweep_requested();
// The rank count a launcher (mpirun) started this process with; 0 when not under one. Under a
// launcher with several ranks but without MPI support every rank would run the whole sweep and
// race on the output, so hlsim sweep refuses that.
int mpi_launcher_ranks();

struct MpiSweepOutcome {
  bool root = false;  // this process is rank 0 and holds the whole outcome
  int ranks = 1;
  Result<SweepOutcome> outcome = SweepOutcome{};
};

// Runs the sweep across the ranks (see above). On rank 0 the outcome covers every planned run;
// on the others only `root == false` matters (they have nothing left to do).
MpiSweepOutcome run_sweep_mpi(const SweepSpec& spec, const SweepPlan& plan,
                              const SweepRunnerOptions& options, const std::atomic<bool>* interrupt,
                              const std::function<void(const SweepProgress&)>& progress);

// Ends MPI (every rank, after rank 0 has written the file).
void finish_mpi();

}  // namespace hlsim::app
