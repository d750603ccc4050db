// Writes the binary seed corpora of the decoder fuzz targets (messages, ledger, payloads): one
// real encoding per decoder, made by the encoders from deterministic keys, prefixed with the
// selector byte of that decoder in the target's table. Run once by hand when a format or a
// table changes (`cmake --build --preset fuzz --target fuzz_seed_gen`, then
// `build/fuzz/fuzz/fuzz_seed_gen fuzz/corpus`); its output is committed.
//
// The selector numbers below follow the order of kDecoders in messages_fuzz.cc and
// payloads_fuzz.cc and of the switch in ledger_fuzz.cc.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "consensus/hotstuff/hotstuff_messages.h"
#include "consensus/pbft/pbft_messages.h"
#include "consensus/poa/poa_messages.h"
#include "consensus/raft/raft_messages.h"
#include "consensus/tendermint/tendermint_messages.h"
#include "ledger/block.h"
#include "ledger/crypto/signature.h"
#include "ledger/state/sparse_merkle.h"
#include "ledger/transaction.h"
#include "ledger/vote.h"
#include "workloads/claims/claims_payloads.h"
#include "workloads/claims/claims_state.h"
#include "workloads/consent/consent_payloads.h"
#include "workloads/consent/consent_state.h"
#include "workloads/credentials/credentials_payloads.h"
#include "workloads/credentials/credentials_state.h"
#include "workloads/ehr/ehr_payloads.h"
#include "workloads/ehr/ehr_state.h"
#include "workloads/smallbank/smallbank_payloads.h"
#include "workloads/smallbank/smallbank_state.h"
#include "workloads/supply/supply_payloads.h"
#include "workloads/supply/supply_state.h"
#include "workloads/ycsb/ycsb_payloads.h"

namespace {

namespace fs = std::filesystem;
using namespace hlsim;  // NOLINT(google-build-using-namespace): a one-off tool

fs::path g_out;

void write_seed(const std::string& target, int selector, const std::string& name, ByteView body) {
  const fs::path dir = g_out / target;
  fs::create_directories(dir);
  char prefix[8];
  std::snprintf(prefix, sizeof prefix, "%02d-", selector);
  std::ofstream f(dir / (prefix + name), std::ios::binary);
  const auto sel = static_cast<char>(selector);
  f.write(&sel, 1);
  f.write(reinterpret_cast<const char*>(body.data()), static_cast<std::streamsize>(body.size()));
}
void write_seed(const std::string& target, int selector, const std::string& name,
                const std::string& body) {
  write_seed(target, selector, name, as_bytes(body));
}
void write_message(int selector, const std::string& name, const Message& m) {
  write_seed("messages", selector, name, m.view());
}

Hash256 hash_of(std::uint8_t b) {
  Hash256 h;
  h.bytes.fill(b);
  return h;
}

TxRef make_tx(const SigningKey& key, std::uint64_t nonce) {
  Transaction tx;
  tx.kind = 1;
  tx.client = 3;
  tx.nonce = nonce;
  tx.submit_ns = 1'000'000;
  tx.payload = Bytes{1, 2, 3, 4, 5};
  sign_tx(tx, key);
  return std::make_shared<const Transaction>(std::move(tx));
}

SignedVote make_vote(const SigningKey& key, std::uint8_t kind, Height height, std::uint64_t epoch,
                     const Hash256& block_hash) {
  SignedVote v;
  v.kind = kind;
  v.height = height;
  v.epoch = epoch;
  v.block_hash = block_hash;
  v.voter = 1;
  sign_vote(v, key);
  return v;
}

void ledger_and_messages() {
  const SigningKey ed = SigningKey::derive(7, "node-1");
  const SigningKey ec = SigningKey::derive(7, "node-2", SigScheme::kEcdsaP256);
  const std::vector<TxRef> txs = {make_tx(ed, 0), make_tx(ec, 1)};
  const BlockRef block = seal_block(1, Hash256{}, 1, 2, 5'000'000, txs, ed);
  const Bytes block_bytes = block->encode();
  const SignedVote vote = make_vote(ed, 1, 1, 2, block->hash);
  const SignedVote ec_vote = make_vote(ec, 2, 1, 2, block->hash);

  // ledger_fuzz: 0 transaction, 1 block, 2 vote, 3 state proof, 4 public key.
  write_seed("ledger", 0, "tx-ed25519", txs[0]->encode());
  write_seed("ledger", 0, "tx-ecdsa", txs[1]->encode());
  write_seed("ledger", 1, "block", block_bytes);
  write_seed("ledger", 2, "vote-ed25519", vote.encode());
  write_seed("ledger", 2, "vote-ecdsa", ec_vote.encode());
  SparseMerkleTree tree;
  for (int i = 0; i < 16; ++i) tree.put("key" + std::to_string(i), "value" + std::to_string(i));
  write_seed("ledger", 3, "proof-member", tree.prove("key3").encode());
  write_seed("ledger", 3, "proof-absent", tree.prove("nokey").encode());
  write_seed("ledger", 4, "p256-sec1", ec.public_key().view());

  // messages_fuzz, Raft (0-4).
  write_message(0, "raft-request-vote", encode_message(RequestVote{3, 1, 10, 2}));
  write_message(1, "raft-vote", encode_message(Vote{3, true}));
  AppendEntries ae{3, 1, 0, 0, 0, {ByteView(block_bytes)}};
  write_message(2, "raft-append-entries", encode_message(ae));
  write_message(3, "raft-append-reply", encode_message(AppendReply{3, true, 1, 1, false}));
  write_message(4, "raft-forward", encode_message(Forward{txs}));

  // PBFT (5-11).
  const SignedVote pp =
      make_vote(ed, pbft::vote_kind(pbft::PbftVoteKind::kPrePrepare), 1, 0, block->hash);
  const SignedVote prep =
      make_vote(ed, pbft::vote_kind(pbft::PbftVoteKind::kPrepare), 1, 0, block->hash);
  write_message(5, "pbft-pre-prepare", encode_message(pbft::PrePrepare{pp, block_bytes}));
  write_message(6, "pbft-prepare",
                pbft::encode_vote_message(pbft::PbftMessageType::kPrepare, prep));
  pbft::ViewChange vc;
  vc.new_view = 1;
  vc.certs.push_back(pbft::PreparedCert{pp, {prep}});
  vc.blocks.push_back(block_bytes);
  vc.auth = make_vote(ed, pbft::vote_kind(pbft::PbftVoteKind::kViewChange), 0, 1, Hash256{});
  const Message vc_msg = encode_message(vc);
  write_message(7, "pbft-view-change", vc_msg);
  const Message nv_msg = encode_message(pbft::NewView{1, {*vc_msg.body}, {pp}});
  write_message(8, "pbft-new-view", nv_msg);
  write_message(9, "pbft-forward", encode_message(pbft::Forward{txs}));
  write_message(10, "pbft-fetch", encode_message(pbft::Fetch{1, 2}));
  write_message(11, "pbft-fetch-reply",
                encode_message(pbft::FetchReply{1, {block_bytes}, {prep}, *nv_msg.body}));

  // HotStuff (12-17).
  hotstuff::QuorumCert qc{1, 1, block->hash, {vote}};
  write_message(12, "hotstuff-proposal",
                hotstuff::encode_message(hotstuff::Proposal{block_bytes, qc}));
  write_message(13, "hotstuff-vote", hotstuff::encode_message(vote));
  const SignedVote timeout = make_vote(ed, hotstuff::kTimeoutKind, 1, 2, block->hash);
  write_message(14, "hotstuff-new-view",
                hotstuff::encode_message(hotstuff::NewView{2, 1, qc, timeout, vote}));
  write_message(15, "hotstuff-tx-gossip", hotstuff::encode_message(hotstuff::TxGossip{txs}));
  write_message(16, "hotstuff-fetch", hotstuff::encode_message(hotstuff::Fetch{block->hash, 1, 0}));
  write_message(17, "hotstuff-fetch-reply",
                hotstuff::encode_message(hotstuff::FetchReply{qc, {block_bytes}}));

  // Tendermint (18-24).
  Proposal prop{1, 0, kNoRound, block_bytes, ed.sign(as_bytes("proposal"))};
  write_message(18, "tendermint-proposal", encode_proposal(prop));
  const SignedVote prevote = make_vote(ed, 1, 1, 0, block->hash);
  const SignedVote precommit = make_vote(ed, 2, 1, 0, block->hash);
  write_message(19, "tendermint-prevote", encode_vote(prevote));
  write_message(20, "tendermint-precommit", encode_vote(precommit));
  write_message(21, "tendermint-tx-gossip", encode_tx_gossip(txs));
  write_message(22, "tendermint-fetch", encode_fetch(1));
  write_message(23, "tendermint-commit-sync",
                encode_commit_sync(CommitSync{1, block_bytes, {precommit}}));
  write_seed("messages", 24, "tendermint-block-height", block_bytes);

  // Proof of authority (25-28).
  write_message(25, "poa-tx-gossip", encode_message(PoaTxGossip{txs}));
  write_message(26, "poa-fetch", encode_message(PoaFetch{1, 4}));
  write_message(27, "poa-fetch-reply", encode_message(PoaFetchReply{1, {block_bytes}}));
  write_message(28, "poa-block", encode_poa_block(*block));
}

void payloads() {
  const Bytes fill{9, 9, 9};
  // EHR (0-7).
  write_seed("payloads", 0, "ehr-record-write",
             ehr::encode(ehr::RecordWrite{7, 1, hash_of(3), "fhir://r/1",
                                          ehr::RecordType::kEmergency, fill}));
  write_seed("payloads", 1, "ehr-consent-grant",
             ehr::encode(ehr::ConsentGrant{7, 2, 1'000, 1, fill}));
  write_seed("payloads", 2, "ehr-consent-revoke", ehr::encode(ehr::ConsentRevoke{7, 2, 1, fill}));
  write_seed("payloads", 3, "ehr-access-request",
             ehr::encode(ehr::AccessRequest{7, 2, ehr::Purpose::kResearch, fill}));
  write_seed("payloads", 4, "ehr-record-state",
             ehr::encode_value(
                 ehr::RecordState{5, hash_of(1), "fhir://r/1", ehr::RecordType::kInpatient, fill}));
  write_seed("payloads", 5, "ehr-consent-state", ehr::encode_value(ehr::ConsentState{}));
  write_seed("payloads", 6, "ehr-audit", ehr::encode_value(ehr::AuditEntry{}));
  write_seed("payloads", 7, "ehr-seq", ehr::encode_seq(42));
  // Supply chain (8-19).
  write_seed("payloads", 8, "supply-commission",
             supply::encode(supply::Commission{1, 2, 1'000, {11, 12}, fill}));
  write_seed("payloads", 9, "supply-aggregate",
             supply::encode(supply::Aggregate{1, 20, {11, 12}, fill}));
  supply::Ship ship{1, 2, 77, {{20, 2, 0, 0}, {11, 0, 2, 1'000}, {12, 0, 2, 1'000}}, fill};
  write_seed("payloads", 10, "supply-ship", supply::encode(ship));
  write_seed("payloads", 11, "supply-receive", supply::encode(supply::Receive{2, 20, fill}));
  write_seed("payloads", 12, "supply-unpack", supply::encode(supply::Unpack{2, 20, fill}));
  write_seed("payloads", 13, "supply-dispense", supply::encode(supply::Dispense{3, 11, fill}));
  write_seed(
      "payloads", 14, "supply-decommission",
      supply::encode(supply::Decommission{1, 12, supply::DecommissionReason::kRecalled, fill}));
  write_seed("payloads", 15, "supply-verify", supply::encode(supply::Verify{3, 11, 2, fill}));
  write_seed("payloads", 16, "supply-subject", supply::encode(ship));
  supply::EpcState epc;
  epc.children = {1, 2};
  write_seed("payloads", 17, "supply-epc-state", supply::encode_value(epc));
  write_seed("payloads", 18, "supply-audit", supply::encode_value(supply::AuditEntry{}));
  write_seed("payloads", 19, "supply-seq", supply::encode_seq(3));
  // Claims (20-26).
  claims::Claim claim{0, 1, 7, 2, 30, {{99213, 1, 20, 12'500}}, fill};
  write_seed("payloads", 20, "claims-claim", claims::encode(claim));
  write_seed("payloads", 21, "claims-payment", claims::encode(claims::Payment{2, {{1, 0}}, fill}));
  write_seed("payloads", 22, "claims-enroll",
             claims::encode(claims::Enroll{7, 2, claims::Plan::kBasic, 100'000, fill}));
  write_seed("payloads", 23, "claims-record", claims::encode_value(claims::ClaimRecord{}));
  write_seed("payloads", 24, "claims-ref", claims::encode_value(claims::ClaimRef{1, 0}));
  write_seed("payloads", 25, "claims-enrolment", claims::encode_value(claims::Enrolment{}));
  write_seed("payloads", 26, "claims-cents", claims::encode_cents(12'345));
  // Credentials (27-31).
  write_seed("payloads", 27, "credentials-licence",
             credentials::encode(credentials::LicenceAction{5, 1, fill}));
  write_seed("payloads", 28, "credentials-verification",
             credentials::encode(credentials::Verification{5, 1, 2, fill}));
  write_seed("payloads", 29, "credentials-licence-state",
             credentials::encode_value(credentials::LicenceState{}));
  write_seed("payloads", 30, "credentials-audit",
             credentials::encode_value(credentials::VerificationAudit{}));
  write_seed("payloads", 31, "credentials-seq", credentials::encode_seq(4));
  // Consent (32-45).
  write_seed("payloads", 32, "consent-trial-register",
             consent::encode(consent::TrialRegister{1, 2, fill}));
  write_seed("payloads", 33, "consent-site-activate",
             consent::encode(consent::SiteActivate{1, 3, fill}));
  write_seed("payloads", 34, "consent-enrol", consent::encode(consent::Enrol{1, 9, 3, 1, fill}));
  write_seed("payloads", 35, "consent-amend", consent::encode(consent::Amend{1, 2, fill}));
  write_seed("payloads", 36, "consent-reconsent",
             consent::encode(consent::Reconsent{1, 9, 2, fill}));
  write_seed("payloads", 37, "consent-withdraw", consent::encode(consent::Withdraw{1, 9, fill}));
  write_seed("payloads", 38, "consent-viewer", consent::encode(consent::ViewerChange{1, 4, fill}));
  write_seed("payloads", 39, "consent-data-access",
             consent::encode(consent::DataAccess{1, 9, 4, 2, fill}));
  write_seed("payloads", 40, "consent-trial-state", consent::encode_value(consent::TrialState{}));
  write_seed("payloads", 41, "consent-site-state", consent::encode_value(consent::SiteState{}));
  write_seed("payloads", 42, "consent-participant-state",
             consent::encode_value(consent::ParticipantState{}));
  write_seed("payloads", 43, "consent-viewer-state", consent::encode_value(consent::ViewerState{}));
  write_seed("payloads", 44, "consent-audit", consent::encode_value(consent::AuditEntry{}));
  write_seed("payloads", 45, "consent-seq", consent::encode_seq(5));
  // YCSB (46-48).
  write_seed("payloads", 46, "ycsb-read", ycsb::encode(ycsb::Read{12}));
  write_seed("payloads", 47, "ycsb-update", ycsb::encode(ycsb::Update{12, 3, fill}));
  write_seed("payloads", 48, "ycsb-insert", ycsb::encode(ycsb::Insert{12, fill}));
  // Smallbank (49-55).
  for (std::uint16_t k = 0; k < smallbank::kKindCount; ++k) {
    write_seed("payloads", 49 + k, std::string("smallbank-") + smallbank::kind_name(k),
               smallbank::encode(static_cast<smallbank::Kind>(k), smallbank::Op{5, 6, -250}));
  }
  write_seed("payloads", 55, "smallbank-balance-state", smallbank::encode_balance(-1'000));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seed_gen <corpus folder>\n");
    return 2;
  }
  g_out = argv[1];
  ledger_and_messages();
  payloads();
  return 0;
}
