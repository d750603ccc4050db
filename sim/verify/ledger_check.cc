#include "sim/verify/ledger_check.h"

#include "ledger/block.h"
#include "ledger/state/sparse_merkle.h"
#include "ledger/verifier.h"
#include "workloads/execute.h"

namespace hlsim {

namespace {

std::string short_hex(const Hash256& h) { return h.hex().substr(0, 16); }

LedgerCheck fail(LedgerCheck r, Height h, const std::string& what) {
  r.ok = false;
  r.bad_height = h;
  r.failure = (h > 0 ? "block " + std::to_string(h) + ": " : std::string()) + what;
  return r;
}

}  // namespace

LedgerCheck check_ledger(const StoredLedger& ledger, Contract* contract) {
  LedgerCheck r;
  const bool have_roots = !ledger.state_roots.empty();
  if (have_roots && ledger.state_roots.size() != ledger.blocks.size()) {
    return fail(r, 0,
                "the ledger records " + std::to_string(ledger.state_roots.size()) +
                    " state roots for " + std::to_string(ledger.blocks.size()) + " blocks");
  }
  // Re-execution state: the world state and its tree after each height.
  std::unique_ptr<LedgerStore> state = make_memory_ledger_store();
  SparseMerkleTree tree;
  std::vector<Hash256> roots = {Hash256{}};  // roots[h]: re-executed root after block h
  Hash256 prev_hash;
  for (std::size_t i = 0; i < ledger.blocks.size(); ++i) {
    const Height h = static_cast<Height>(i + 1);
    std::optional<Block> block = Block::decode(ledger.blocks[i]);
    if (!block) return fail(r, h, "does not decode (a malformed or truncated encoding)");
    const BlockHeader& hd = block->header;
    if (hd.height != h) return fail(r, h, "header says height " + std::to_string(hd.height));
    if (hd.prev_hash != prev_hash) {
      return fail(r, h,
                  "prev_hash " + short_hex(hd.prev_hash) + " is not the hash of block " +
                      std::to_string(h - 1) + " (" + short_hex(prev_hash) + "): the chain breaks");
    }
    if (const BlockCheck c = check_block(*block); c != BlockCheck::kOk) {
      return fail(r, h, to_string(c));
    }
    if (!ledger.validators.empty() && (hd.proposer >= ledger.validators.size() ||
                                       ledger.validators[hd.proposer] != hd.proposer_key)) {
      return fail(r, h,
                  "proposer " + std::to_string(hd.proposer) +
                      " is not a validator signing with its registered key");
    }
    const std::vector<std::uint8_t> valid = verify_txs_parallel(block->txs);
    for (std::uint8_t v : valid) r.invalid_txs += v == 0 ? 1 : 0;
    r.txs += block->txs.size();

    // State commitments.
    if (hd.state.height >= h) return fail(r, h, to_string(BlockCheck::kBadStateHeight));
    if (contract != nullptr) {
      if (roots[hd.state.height] != hd.state.root) {
        return fail(r, h,
                    "commits to state root " + short_hex(hd.state.root) + " after height " +
                        std::to_string(hd.state.height) + ", but re-execution gives " +
                        short_hex(roots[hd.state.height]));
      }
      BlockExecution run = execute_block(*contract, *state, *block, valid);
      tree.apply(run.writes);
      roots.push_back(tree.root());
      if (Status s = state->commit_block(h, {}, run.writes, roots.back()); !s.ok()) {
        return fail(r, h, "re-execution failed: " + s.error().message);
      }
      if (have_roots && ledger.state_roots[i] != roots.back()) {
        return fail(r, h,
                    "recorded state root " + short_hex(ledger.state_roots[i]) +
                        " differs from re-execution (" + short_hex(roots.back()) + ")");
      }
    } else if (have_roots) {
      const Hash256 recorded =
          hd.state.height == 0 ? Hash256{} : ledger.state_roots[hd.state.height - 1];
      if (recorded != hd.state.root) {
        return fail(r, h,
                    "commits to state root " + short_hex(hd.state.root) + " after height " +
                        std::to_string(hd.state.height) + ", but the recorded root there is " +
                        short_hex(recorded));
      }
    }
    prev_hash = block->hash;
    ++r.blocks;
  }
  r.reexecuted = contract != nullptr;
  if (ledger.final_state) {
    SparseMerkleTree stored;
    for (const auto& [k, v] : *ledger.final_state) stored.put(k, v);
    const Hash256 expected = contract != nullptr ? roots.back()
                             : have_roots        ? ledger.state_roots.back()
                                                 : Hash256{};
    if ((contract != nullptr || have_roots) && stored.root() != expected) {
      return fail(r, 0,
                  "the stored world state (root " + short_hex(stored.root()) +
                      ") is not the state after block " + std::to_string(ledger.blocks.size()) +
                      " (" + short_hex(expected) + ")");
    }
  }
  return r;
}

}  // namespace hlsim
