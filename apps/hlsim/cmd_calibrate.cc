// `hlsim calibrate -o PROFILE.yaml [--name N] [--repeats N] [--quick] [--dir DIR]`: measures this
// host's cost of every HardwareProfile operation (signatures, hashing, AES-GCM, contract
// execution, RocksDB reads and writes, fsync, messages) and writes them as a hardware profile that
// scenarios can name (`nodes.profile: PROFILE.yaml`). How each figure is measured:
// sim/calibrate/calibrate.h and the comments in the written file.
//
// Progress goes to stderr, one line per figure. The profile is written atomically
// (PROFILE.tmp-<pid> then rename) only once every figure is measured. Exit 0 on success; 2 for bad
// arguments, an unwritable output path or an unusable --dir (checked before measuring; nothing is
// written); 1 when a measurement fails (an I/O error, a self-check), with nothing written.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "apps/hlsim/commands.h"
#include "sim/calibrate/calibrate.h"
#include "sim/results/h5_writer.h"

namespace hlsim::app {
namespace {

namespace fs = std::filesystem;

struct CalibrateOptions {
  std::string output;
  std::string name;
  std::string dir;
  int repeats = 0;  // 0: the mode's default
  bool quick = false;
};

int fail(const std::string& message) {
  std::cerr << "hlsim: error: " << message << "\n";
  return kExitBadInput;
}

// Whether a file can be created beside `path` (where the atomic write puts its temporary): an
// Error says why not, so a long measurement is not wasted on a path that cannot be written.
Status check_writable(const std::string& path) {
  const fs::path p(path);
  std::error_code ec;
  if (fs::is_directory(p, ec)) return Error{"-o " + path + ": is a directory"};
  const fs::path parent = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(parent, ec)) {
    return Error{"-o " + path + ": directory '" + parent.string() + "' does not exist"};
  }
  const std::string probe = path + ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream out(probe, std::ios::binary | std::ios::trunc);
    if (!out) return Error{"-o " + path + ": cannot write in '" + parent.string() + "'"};
  }
  fs::remove(probe, ec);
  return Status::Ok();
}

// The command line, re-assembled for the profile's header comment.
std::string command_line(const CalibrateOptions& o) {
  std::string c = "hlsim calibrate -o " + o.output;
  if (o.quick) c += " --quick";
  if (o.repeats > 0) c += " --repeats " + std::to_string(o.repeats);
  if (!o.name.empty()) c += " --name " + o.name;
  if (!o.dir.empty()) c += " --dir " + o.dir;
  return c;
}

int run_calibrate(const CalibrateOptions& o) {
  if (Status w = check_writable(o.output); !w.ok()) return fail(w.error().message);
  if (!o.dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(o.dir, ec)) return fail("--dir " + o.dir + ": not a directory");
    if (::access(o.dir.c_str(), W_OK) != 0) return fail("--dir " + o.dir + ": not writable");
  }
  CalibrationOptions options = o.quick ? CalibrationOptions::quick() : CalibrationOptions{};
  if (o.repeats > 0) options.repeats = o.repeats;
  options.scratch_dir = o.dir;
  options.on_figure = [](const CalibratedFigure& f) {
    std::fprintf(stderr, "  %-24s %10s ns  (IQR %s\u2013%s)\n", f.field.c_str(),
                 format_ns(f.ns.median).c_str(), format_ns(f.ns.p25).c_str(),
                 format_ns(f.ns.p75).c_str());
  };
  std::fprintf(stderr,
               "hlsim calibrate: medians of %d repeats of single-threaded batches >= %g ms\n",
               options.repeats, options.min_batch_ms);
  Result<Calibration> c = run_calibration(options);
  if (!c.ok()) {
    std::cerr << "hlsim: error: " << c.error().message << " (nothing written)\n";
    return kExitFailed;
  }
  if (c->scratch_fs == "tmpfs") {
    std::fprintf(stderr,
                 "hlsim calibrate: note: %s is tmpfs, so block_fsync_ns and the storage figures "
                 "measure memory, not a disk; use --dir on the ledger's disk\n",
                 c->scratch_dir.c_str());
  }
  const std::string name = o.name.empty() ? "calibrated-" + c->host : o.name;
  if (Status w = write_text_atomically(o.output, calibration_yaml(*c, name, command_line(o)));
      !w.ok()) {
    return fail(w.error().message);
  }
  std::fprintf(stderr, "hlsim calibrate: wrote %s (profile '%s')\n", o.output.c_str(),
               name.c_str());
  return kExitOk;
}

}  // namespace

Runner add_calibrate_command(CLI::App& app) {
  auto o = std::make_shared<CalibrateOptions>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate",
      "Measure this host's cost of each simulated operation and write a hardware profile");
  cmd->add_option("-o,--output", o->output, "Profile to write (YAML, written atomically)")
      ->required();
  cmd->add_option("--name", o->name, "Profile name (default: calibrated-<hostname>)");
  cmd->add_option("--repeats", o->repeats, "Repeats per figure (default 15; with --quick 5)")
      ->check(CLI::Range(1, 1000));
  cmd->add_flag("--quick", o->quick,
                "Short batches (>= 3 ms) and 5 repeats: seconds, for CI; noisier figures");
  cmd->add_option("--dir", o->dir,
                  "Directory for the RocksDB and fsync measurements (default: the system "
                  "temporary directory); use the disk the ledger would live on");
  return [o] { return run_calibrate(*o); };
}

}  // namespace hlsim::app
