// `hlsim report RESULTS.h5 -o DIR`: plots (PNG and SVG), figures.csv and an index.html showing
// them, from the results file of a run or a sweep. The work is done by analysis/report.py in the
// source tree (data_dir()), run by the Debian Python, which has h5py, pandas and matplotlib from
// the distribution; this command starts it and passes its exit status on:
//   0 written; 2 bad input (missing file, not a results file, output directory not writable);
//   1 any other failure (a Python package missing, a plot failed); 130 interrupted.
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "apps/hlsim/commands.h"

extern char** environ;

namespace hlsim::app {
namespace {

// The report needs python3-h5py, python3-pandas and python3-matplotlib, which are installed for
// the system interpreter only (a python3 found first on PATH, e.g. a pyenv one, lacks them).
constexpr const char* kPython = "/usr/bin/python3";
constexpr const char* kPackages = "python3 python3-h5py python3-pandas python3-matplotlib";

struct ReportOptions {
  std::string results;
  std::string output = "report";
  bool quiet = false;
  bool traceback = false;
};

// Runs argv[0] with argv and waits for it. While it runs, SIGINT and SIGQUIT are ignored here, as
// system() does: a Ctrl-C reaches the child too, and its exit status says what happened.
// Returns the wait status, or -1 with errno-style `error` set when the child could not start.
int spawn_and_wait(std::vector<std::string> args, int& error) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 1);
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  error = posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), environ);
  if (error != 0) return -1;
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  struct sigaction old_int {};
  struct sigaction old_quit {};
  sigaction(SIGINT, &ignore, &old_int);
  sigaction(SIGQUIT, &ignore, &old_quit);
  int status = 0;
  pid_t waited = 0;
  do {
    waited = waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  const int wait_errno = errno;
  sigaction(SIGINT, &old_int, nullptr);
  sigaction(SIGQUIT, &old_quit, nullptr);
  if (waited < 0) {
    error = wait_errno;
    return -1;
  }
  return status;
}

int run_report(const ReportOptions& o) {
  namespace fs = std::filesystem;
  if (::access(kPython, X_OK) != 0) {
    std::cerr << "hlsim: error: report needs " << kPython << " (Debian packages: " << kPackages
              << ")\n";
    return kExitFailed;
  }
  const std::string script = (fs::path(data_dir()) / "analysis" / "report.py").string();
  std::error_code ec;
  if (!fs::is_regular_file(script, ec)) {
    std::cerr << "hlsim: error: " << script
              << ": report script not found (set HLSIM_DATA_DIR to the hlsim source tree)\n";
    return kExitFailed;
  }
  // -E: PYTHONPATH / PYTHONHOME set for another interpreter must not reach the system one.
  std::vector<std::string> args{kPython, "-E", script, "-o", o.output};
  if (o.quiet) args.emplace_back("--quiet");
  if (o.traceback) args.emplace_back("--traceback");
  args.emplace_back("--");  // the results path may start with '-'
  args.push_back(o.results);
  int error = 0;
  const int status = spawn_and_wait(std::move(args), error);
  if (status < 0) {
    std::cerr << "hlsim: error: cannot run " << kPython << " " << script << ": "
              << std::strerror(error) << "\n";
    return kExitFailed;
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGINT) return kExitInterrupted;
    std::cerr << "hlsim: error: the report (" << script << ") was killed by signal " << sig << "\n";
  }
  return kExitFailed;
}

}  // namespace

Runner add_report_command(CLI::App& app) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Plots (PNG, SVG) and an index.html from a results file: throughput over time with fault "
      "windows, latency CDFs, messages per block, protocol comparison, sweep curves");
  cmd->add_option("results", o->results, "results file (.h5) of hlsim run or a sweep")->required();
  cmd->add_option("-o,--output", o->output, "output directory, created if needed")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", o->quiet, "print nothing on success");
  cmd->add_flag("--traceback", o->traceback,
                "on a failure, print the Python traceback (for bug reports)");
  return [o] { return run_report(*o); };
}

}  // namespace hlsim::app
