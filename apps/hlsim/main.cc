// hlsim: a deterministic discrete-event simulator for permissioned healthcare ledgers.
#include <cstdio>
#include <map>

#include "apps/hlsim/commands.h"
#include "sim/kernel/version.h"

int main(int argc, char** argv) {
  CLI::App app{"hlsim " + std::string(hlsim::kVersion) +
               ": simulate permissioned healthcare ledgers (consensus x workload x hardware)"};
  app.set_version_flag("--version", std::string(hlsim::kVersion));
  app.require_subcommand(1);
  std::map<const CLI::App*, hlsim::app::Runner> runners;
  auto add = [&](hlsim::app::Runner (*f)(CLI::App&)) {
    const std::size_t before = app.get_subcommands({}).size();
    hlsim::app::Runner r = f(app);
    runners[app.get_subcommands({})[before]] = std::move(r);
  };
  add(hlsim::app::add_run_command);
  add(hlsim::app::add_list_command);
  add(hlsim::app::add_crypto_command);
  add(hlsim::app::add_verify_command);
  add(hlsim::app::add_calibrate_command);
  add(hlsim::app::add_fuzz_command);
  add(hlsim::app::add_sweep_command);
  add(hlsim::app::add_size_command);
  add(hlsim::app::add_report_command);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : hlsim::app::kExitBadInput;
  }
  for (auto* sub : app.get_subcommands()) {
    auto it = runners.find(sub);
    if (it != runners.end()) return it->second();
  }
  return hlsim::app::kExitBadInput;
}
