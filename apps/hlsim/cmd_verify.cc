// `hlsim verify PATH`: re-checks stored ledgers: a node's RocksDB directory, a run's ledger
// directory (<results>.ledger/ with node-<i>/ inside), or a results file's exported chain.
// Hash chain, Merkle roots, proposer membership and signatures, every transaction signature, and
// the state roots, re-derived by re-executing the run's workload contract (sim/verify).
// Exit 0 when everything holds; 1 naming the first bad block and what failed; 2 on bad input.
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/hlsim/commands.h"
#include "sim/verify/ledger_check.h"
#include "sim/verify/ledger_sources.h"

namespace hlsim::app {
namespace {

struct VerifyOptions {
  std::string path;
  bool json = false;
  bool no_reexecute = false;
};

int run_verify(const VerifyOptions& o) {
  auto ledgers = load_ledgers(o.path);
  if (!ledgers.ok()) {
    std::cerr << "hlsim: error: " << ledgers.error().message << "\n";
    return kExitBadInput;
  }
  bool all_ok = true;
  for (const LoadedLedger& l : ledgers.value()) {
    std::unique_ptr<Contract> contract;
    std::string state_note;
    if (!o.no_reexecute) {
      auto c = contract_from_scenario(l.scenario_yaml, data_dir());
      if (c.ok()) {
        contract = std::move(c.value());
      } else {
        state_note = "state not re-executed (" + c.error().message + ")";
      }
    }
    const LedgerCheck r = check_ledger(l.ledger, contract.get());
    all_ok = all_ok && r.ok;
    if (o.json) {
      nlohmann::json j{{"source", l.ledger.source},    {"ok", r.ok},
                       {"blocks", r.blocks},           {"txs", r.txs},
                       {"invalid_txs", r.invalid_txs}, {"state_reexecuted", r.reexecuted}};
      if (!r.ok) {
        j["bad_height"] = r.bad_height;
        j["failure"] = r.failure;
      }
      std::cout << j.dump() << "\n";
      continue;
    }
    if (r.ok) {
      std::cout << "ok    " << l.ledger.source << ": " << r.blocks << " blocks, " << r.txs
                << " transactions (" << r.invalid_txs
                << " with failing signatures, recorded invalid), hash chain, Merkle roots, "
                << "signatures and "
                << (r.reexecuted ? "re-executed state roots hold"
                                 : "the state commitments of the headers hold against the "
                                   "recorded roots; " +
                                       (state_note.empty() ? std::string("state not re-executed")
                                                           : state_note))
                << "\n";
    } else {
      std::cout << "FAIL  " << l.ledger.source << ": " << r.failure << " (" << r.blocks
                << " blocks before it hold)\n";
    }
  }
  return all_ok ? kExitOk : kExitFailed;
}

}  // namespace

Runner add_verify_command(CLI::App& app) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* cmd = app.add_subcommand(
      "verify", "Re-check a stored ledger: hash chain, Merkle roots, signatures and state roots");
  cmd->add_option("path", o->path,
                  "a node's RocksDB ledger directory, a run's <results>.ledger/ directory, or a "
                  "results file (.h5)")
      ->required();
  cmd->add_flag("--json", o->json, "one JSON object per ledger instead of text");
  cmd->add_flag("--no-reexecute", o->no_reexecute,
                "check state roots against the recorded ones only, without running the contract");
  return [o] { return run_verify(*o); };
}

}  // namespace hlsim::app
