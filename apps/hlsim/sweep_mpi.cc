// Distributed sweeps over MPI (sweep_mpi.h). Without HLSIM_WITH_MPI only the stubs at the end.
#include "apps/hlsim/sweep_mpi.h"

#include <cstdlib>
#include <string>

#ifdef HLSIM_WITH_MPI
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "sim/results/h5_writer.h"
#endif

namespace hlsim::app {
namespace {

// The number of ranks the launcher started, from its environment (0 when not under one).
int launcher_ranks() {
  for (const char* var : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"}) {
    if (const char* v = std::getenv(var)) return std::atoi(v);
  }
  return 0;
}

}  // namespace

#ifdef HLSIM_WITH_MPI
namespace {

namespace fs = std::filesystem;

constexpr int kTagRun = 1;   // a finished run (encoded below)
constexpr int kTagDone = 2;  // a worker has no more runs

std::mutex g_mpi;  // every MPI call of this process

void put_u64(std::string& out, std::uint64_t v) { out.append(reinterpret_cast<char*>(&v), 8); }
void put_text(std::string& out, const std::string& s) {
  put_u64(out, s.size());
  out += s;
}

// Reads what put_* wrote; false when the message is cut short.
struct Reader {
  const std::string& in;
  std::size_t at = 0;
  bool u64(std::uint64_t& v) {
    if (in.size() - at < 8) return false;
    std::memcpy(&v, in.data() + at, 8);
    at += 8;
    return true;
  }
  bool text(std::string& s) {
    std::uint64_t n = 0;
    if (!u64(n) || in.size() - at < n) return false;
    s.assign(in, at, n);
    at += n;
    return true;
  }
};

std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// A finished run as a message: index, status, detail, fingerprint, the part file's bytes.
std::string encode_run(std::size_t index, const SweepEntry& e) {
  std::string out;
  put_u64(out, index);
  put_text(out, e.status);
  put_text(out, e.detail);
  put_text(out, e.fingerprint);
  put_text(out, e.stored ? read_file(e.stored->file) : std::string());
  return out;
}

}  // namespace

bool mpi_sweep_requested() { return launcher_ranks() > 1; }

MpiSweepOutcome run_sweep_mpi(const SweepSpec& spec, const SweepPlan& plan,
                              const SweepRunnerOptions& options, const std::atomic<bool>* interrupt,
                              const std::function<void(const SweepProgress&)>& progress) {
  MpiSweepOutcome result;
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  int rank = 0;
  int size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  result.root = rank == 0;
  result.ranks = size;
  if (provided < MPI_THREAD_SERIALIZED) {
    if (rank == 0) {
      result.outcome = Error{
          "hlsim sweep: the MPI library does not allow calls from several "
          "threads (MPI_THREAD_SERIALIZED)"};
    }
    return result;
  }

  // Rank 0 plans; everyone learns the runs left (a negative count: rank 0 failed to plan).
  SweepOutcome planned;
  std::vector<std::uint64_t> pending;
  std::int64_t count = 0;
  if (rank == 0) {
    auto p = plan_sweep(spec, plan, options);
    if (!p.ok()) {
      result.outcome = p.error();
      count = -1;
    } else {
      planned = std::move(p.value());
      for (const SweepRun& r : plan.runs) {
        const SweepEntry& e = planned.entries[r.index];
        if (!e.stored && e.status != "error") pending.push_back(r.index);
      }
      count = static_cast<std::int64_t>(pending.size());
    }
  }
  MPI_Bcast(&count, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
  if (count < 0) return result;
  pending.resize(static_cast<std::size_t>(count));
  if (count > 0)
    MPI_Bcast(pending.data(), static_cast<int>(count), MPI_UINT64_T, 0, MPI_COMM_WORLD);
  std::vector<int> owner(plan.runs.size(), -1);
  for (std::size_t k = 0; k < pending.size(); ++k) owner[pending[k]] = static_cast<int>(k % size);

  SweepRunnerOptions mine = options;
  mine.mine = [&](std::size_t index) { return owner[index] == rank; };

  if (rank != 0) {
    // A worker: plans against a scratch output (its fingerprints; nothing to reuse), runs its
    // share and sends each run to rank 0, then says it is done.
    const fs::path scratch =
        fs::temp_directory_path() /
        ("hlsim-sweep-rank" + std::to_string(rank) + "-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::create_directories(scratch, ec);
    SweepSpec local = spec;
    local.output = (scratch / "worker.h5").string();
    auto p = plan_sweep(local, plan, mine);
    if (p.ok()) {
      mine.on_finished = [&](std::size_t index, const SweepEntry& e) {
        const std::string msg = encode_run(index, e);
        {
          const std::lock_guard lock(g_mpi);
          MPI_Send(msg.data(), static_cast<int>(msg.size()), MPI_BYTE, 0, kTagRun, MPI_COMM_WORLD);
        }
        if (e.stored) fs::remove(e.stored->file, ec);
      };
      (void)run_planned(local, plan, mine, p.value(), interrupt, {});
    }
    {
      const std::lock_guard lock(g_mpi);
      MPI_Send(nullptr, 0, MPI_BYTE, 0, kTagDone, MPI_COMM_WORLD);
    }
    fs::remove_all(scratch, ec);
    return result;
  }

  // Rank 0: its own share on the arena, the workers' runs on a polling thread.
  std::mutex state;  // planned.entries and the progress counts
  // Progress over every rank's runs, by count (rank 0 does not know the workers' run lengths).
  std::size_t own_done = 0, own_failed = 0, received = 0, received_failed = 0;
  auto report = [&] {
    if (!progress) return;
    SweepProgress p;
    p.reused = planned.reused;
    p.to_run = pending.size();
    p.done = own_done + received;
    p.failed = own_failed + received_failed;
    p.sim_s_done = static_cast<double>(p.done);
    p.sim_s_total = static_cast<double>(p.to_run);
    progress(p);
  };
  std::size_t workers_done = 0;
  std::thread receiver([&] {
    while (workers_done + 1 < static_cast<std::size_t>(size)) {
      MPI_Status st;
      int flag = 0;
      std::string msg;
      {
        const std::lock_guard lock(g_mpi);
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (flag) {
          int bytes = 0;
          MPI_Get_count(&st, MPI_BYTE, &bytes);
          msg.resize(static_cast<std::size_t>(bytes));
          MPI_Recv(msg.data(), bytes, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE);
        }
      }
      if (!flag) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        continue;
      }
      if (st.MPI_TAG == kTagDone) {
        ++workers_done;
        continue;
      }
      Reader in{msg};
      std::uint64_t index = 0;
      SweepEntry e;
      std::string bytes;
      if (!in.u64(index) || !in.text(e.status) || !in.text(e.detail) || !in.text(e.fingerprint) ||
          !in.text(bytes) || index >= plan.runs.size()) {
        continue;  // a message this version did not write: dropped, the run stays not-run
      }
      if (!bytes.empty()) {
        const std::string part = sweep_part_path(spec.output, e.fingerprint);
        if (Status w = write_text_atomically(part, bytes); w.ok()) {
          e.stored = StoredRun{part, "runs/0"};
        } else {
          e.status = "error";
          e.detail = w.error().message;
        }
      }
      const std::lock_guard lock(state);
      planned.entries[index] = std::move(e);
      ++received;
      if (planned.entries[index].status == "error") {
        ++planned.errors;
        ++received_failed;
      } else {
        ++planned.ran;
      }
      report();
    }
  });
  std::error_code ec;
  fs::create_directories(sweep_parts_dir(spec.output), ec);
  const Status own = run_planned(spec, plan, mine, planned, interrupt, [&](const SweepProgress& p) {
    const std::lock_guard lock(state);
    own_done = p.done;
    own_failed = p.failed;
    report();
  });
  receiver.join();
  planned.jobs = mine.jobs;
  planned.interrupted = interrupt != nullptr && interrupt->load();
  if (!own.ok()) {
    result.outcome = own.error();
  } else {
    result.outcome = std::move(planned);
  }
  return result;
}

void finish_mpi() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (initialized && !finalized) MPI_Finalize();
}

#else  // !HLSIM_WITH_MPI

bool mpi_sweep_requested() { return false; }

MpiSweepOutcome run_sweep_mpi(const SweepSpec& /*spec*/, const SweepPlan& /*plan*/,
                              const SweepRunnerOptions& /*options*/,
                              const std::atomic<bool>* /*interrupt*/,
                              const std::function<void(const SweepProgress&)>& /*progress*/) {
  MpiSweepOutcome r;
  r.root = true;
  r.outcome = Error{"hlsim was built without MPI support (install libopenmpi-dev and rebuild)"};
  return r;
}

void finish_mpi() {}

#endif

int mpi_launcher_ranks() { return launcher_ranks(); }

}  // namespace hlsim::app
