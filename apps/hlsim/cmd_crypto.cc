// `hlsim crypto keygen|sign|verify|hash`: the ledger's own crypto, callable from the shell, so it
// can be checked against published test vectors and other tools. Ed25519 (RFC 8032) and SHA-256.
//   keygen  [--seed N] [--identity S]        the key a run with seed N gives identity S
//   sign    --key HEX32 --msg HEX            signature of msg under the private key seed
//   verify  --pub HEX32 --msg HEX --sig HEX  {"valid": true|false}
//   verify  --batch FILE.jsonl               one line per input: {"alg","pub","msg","sig"}
//   hash    --msg HEX                        SHA-256
// Output is JSON, one object per line. Exit 0 when every input was processed (whatever the
// verdicts), 2 on malformed input, naming the line.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/hlsim/commands.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/sha256.h"
#include "sim/kernel/result.h"

namespace hlsim::app {
namespace {

struct CryptoOptions {
  std::string action;
  std::uint64_t seed = 1;
  std::string identity = "validator-0";
  std::string key_hex, pub_hex, msg_hex, sig_hex, batch_path;
};

template <std::size_t N>
bool fixed_hex(const std::string& hex, std::array<std::uint8_t, N>& out) {
  Bytes b;
  if (!from_hex(hex, b) || b.size() != N) return false;
  std::copy(b.begin(), b.end(), out.begin());
  return true;
}

int fail(const std::string& message) {
  std::cerr << "hlsim: error: " << message << "\n";
  return kExitBadInput;
}

// Verifies one (pub, msg, sig) given as hex; an Error names the bad field.
Result<bool> verify_hex(const std::string& pub_hex, const std::string& msg_hex,
                        const std::string& sig_hex) {
  PublicKey pub;
  Signature sig;
  Bytes msg;
  if (!fixed_hex(pub_hex, pub.bytes)) return Error{"pub: expected 64 hex digits (32 bytes)"};
  if (!from_hex(msg_hex, msg)) return Error{"msg: expected hex (an even number of digits)"};
  if (!fixed_hex(sig_hex, sig.bytes)) return Error{"sig: expected 128 hex digits (64 bytes)"};
  return ed25519_verify(pub, msg, sig);
}

int verify_batch(const std::string& path) {
  std::ifstream in(path);
  if (!in) return fail(path + ": cannot open");
  std::string line;
  std::vector<std::string> out;  // printed only when the whole file is well-formed
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = path + ":" + std::to_string(number) + ": ";
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
      return fail(where + "not a JSON object");
    }
    if (!j.is_object()) return fail(where + "not a JSON object");
    for (const char* field : {"alg", "pub", "msg", "sig"}) {
      if (!j.contains(field) || !j[field].is_string()) {
        return fail(where + "field '" + field + "' missing or not a string");
      }
    }
    const std::string alg = j["alg"];
    if (alg != "ed25519") {
      return fail(where + "alg: '" + alg + "' is not supported (this build verifies ed25519)");
    }
    auto valid = verify_hex(j["pub"], j["msg"], j["sig"]);
    if (!valid.ok()) return fail(where + valid.error().message);
    out.push_back(nlohmann::json{{"line", number}, {"valid", valid.value()}}.dump());
  }
  for (const auto& o : out) std::cout << o << "\n";
  return kExitOk;
}

int run_crypto(const CryptoOptions& o) {
  if (o.action == "keygen") {
    const auto seed = SigningKey::derive_seed(o.seed, o.identity);
    const SigningKey key = SigningKey::from_seed(seed);
    std::cout << nlohmann::json{{"alg", "ed25519"},
                                {"seed", o.seed},
                                {"identity", o.identity},
                                {"key", to_hex(ByteView(seed.data(), seed.size()))},
                                {"pub", to_hex(key.public_key().view())}}
                     .dump()
              << "\n";
    return kExitOk;
  }
  if (o.action == "hash") {
    Bytes msg;
    if (!from_hex(o.msg_hex, msg)) return fail("--msg: expected hex (an even number of digits)");
    std::cout << nlohmann::json{{"sha256", sha256(msg).hex()}}.dump() << "\n";
    return kExitOk;
  }
  if (o.action == "sign") {
    std::array<std::uint8_t, 32> seed{};
    Bytes msg;
    if (!fixed_hex(o.key_hex, seed)) return fail("--key: expected 64 hex digits (a 32-byte seed)");
    if (!from_hex(o.msg_hex, msg)) return fail("--msg: expected hex (an even number of digits)");
    const SigningKey key = SigningKey::from_seed(seed);
    std::cout << nlohmann::json{{"alg", "ed25519"},
                                {"pub", to_hex(key.public_key().view())},
                                {"sig", to_hex(key.sign(msg).view())}}
                     .dump()
              << "\n";
    return kExitOk;
  }
  // verify
  if (!o.batch_path.empty()) return verify_batch(o.batch_path);
  auto valid = verify_hex(o.pub_hex, o.msg_hex, o.sig_hex);
  if (!valid.ok()) return fail("--" + valid.error().message);
  std::cout << nlohmann::json{{"valid", valid.value()}}.dump() << "\n";
  return kExitOk;
}

}  // namespace

Runner add_crypto_command(CLI::App& app) {
  auto o = std::make_shared<CryptoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "crypto", "The ledger's Ed25519 / SHA-256, for checking against test vectors and tools");
  cmd->add_option("action", o->action, "keygen, sign, verify or hash")
      ->required()
      ->check(CLI::IsMember({"keygen", "sign", "verify", "hash"}));
  cmd->add_option("--seed", o->seed, "keygen: run seed");
  cmd->add_option("--identity", o->identity, "keygen: identity (e.g. validator-0, client-3)");
  cmd->add_option("--key", o->key_hex, "sign: 32-byte private key seed, hex");
  cmd->add_option("--pub", o->pub_hex, "verify: 32-byte public key, hex");
  cmd->add_option("--msg", o->msg_hex, "sign, verify, hash: message, hex (may be empty)");
  cmd->add_option("--sig", o->sig_hex, "verify: 64-byte signature, hex");
  cmd->add_option("--batch", o->batch_path,
                  "verify: JSON lines {\"alg\": \"ed25519\", \"pub\", \"msg\", \"sig\"} (hex)");
  return [o] { return run_crypto(*o); };
}

}  // namespace hlsim::app
