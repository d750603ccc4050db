// Fuzzes the execute-order-validate decoders and parsers: envelopes, read-write sets and
// endorsement policies (ledger/eov/).
//
// Input: one selector byte (modulo 3), then the input. Properties: no crash, leak or
// out-of-bounds read; envelopes and read-write sets ("nullopt on malformed, truncated or trailing
// input") re-encode to the same bytes, and a read-write set's encoded_size() is its length;
// judging any decoded envelope (hostile keys and signatures, public or naming a private data
// collection) never crashes; a read-write set's hashed form (private data) is canonical; a parsed
// policy's
// canonical text parses again to an equal policy, and the endorsers it chooses satisfy it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "ledger/eov/endorsement_check.h"
#include "ledger/eov/envelope.h"
#include "ledger/eov/policy.h"
#include "ledger/eov/private_data.h"
#include "ledger/eov/rwset.h"

namespace {

using hlsim::ByteView;
using hlsim::fuzz::check;
using hlsim::fuzz::round_trip;

const std::vector<std::string> kOrgs = {"hospital", "insurer", "regulator", "pharmacy"};

void fuzz_envelope(ByteView in) {
  const auto env = hlsim::Envelope::decode(in);
  round_trip(
      in, env, [](const hlsim::Envelope& e) { return e.encode(); }, "Envelope");
  if (!env) return;
  // Judge it as an ordered transaction whose payload it is.
  hlsim::Transaction tx;
  tx.client = env->proposal.client;
  tx.signer = env->proposal.signer;
  tx.payload.assign(in.begin(), in.end());
  const auto policy = hlsim::EndorsementPolicy::parse("OutOf(2, hospital, insurer)", kOrgs);
  check(policy.ok(), "fixed policy parses");
  std::vector<hlsim::PeerIdentity> peers(3);
  hlsim::Verifier verifier(hlsim::VerifyPolicy::kEveryNode);
  const hlsim::EnvelopeCheck c =
      hlsim::check_envelope(tx, true, env->channel, policy.value(), peers, kOrgs.size(), verifier);
  check(c.envelope.has_value(), "check_envelope decodes what decode accepted");
  // The same under a channel with one private data collection.
  const std::vector<const hlsim::EndorsementPolicy*> collections = {&policy.value()};
  const hlsim::EnvelopeCheck p = hlsim::check_envelope(
      tx, true, env->channel, hlsim::ChannelPolicies{&policy.value(), collections}, peers,
      kOrgs.size(), verifier);
  check(p.envelope.has_value(), "check_envelope decodes what decode accepted (collections)");
  if (env->collection != hlsim::kNoCollection && !hlsim::private_ref(env->proposal)) {
    check(p.code == hlsim::ValidationCode::kBadEnvelope, "a private envelope needs its reference");
  }
}

void fuzz_rwset(ByteView in) {
  hlsim::Reader r(in);
  auto rw = hlsim::RwSet::decode_from(r);
  if (rw && !r.done()) rw.reset();  // trailing bytes: not an exact encoding
  round_trip(
      in, rw, [](const hlsim::RwSet& s) { return s.encode(); }, "RwSet");
  if (!rw) return;
  check(rw->encoded_size() == in.size(), "RwSet::encoded_size");
  const hlsim::RwSet hashed = hlsim::hashed_rwset(3, *rw);
  const hlsim::Bytes bytes = hashed.encode();
  hlsim::Reader again(bytes);
  const auto decoded = hlsim::RwSet::decode_from(again);
  check(decoded && again.done() && *decoded == hashed, "hashed read-write set is canonical");
}

void fuzz_policy(ByteView in) {
  const std::string text(in.begin(), in.end());
  const auto p = hlsim::EndorsementPolicy::parse(text, kOrgs);
  if (!p.ok()) return;
  const auto again = hlsim::EndorsementPolicy::parse(p->to_string(kOrgs), kOrgs);
  check(again.ok() && again.value() == p.value(), "policy canonical text round trip");
  for (hlsim::OrgIndex preferred = 0; preferred < kOrgs.size(); ++preferred) {
    std::vector<bool> chosen(kOrgs.size(), false);
    for (const hlsim::OrgIndex o : p->choose_endorsers(preferred)) chosen[o] = true;
    check(p->satisfied(chosen), "chosen endorsers satisfy the policy");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const ByteView in(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      fuzz_envelope(in);
      break;
    case 1:
      fuzz_rwset(in);
      break;
    default:
      fuzz_policy(in);
      break;
  }
  return 0;
}
