// `hlsim crypto keygen|sign|verify|hash`: the ledger's own crypto, callable from the shell, so it
// can be checked against published test vectors and other tools (e.g. `openssl dgst -verify`).
// Ed25519 (RFC 8032), ECDSA P-256 with SHA-256 (DER signatures, RFC 6979 nonces) and SHA-256.
//   keygen  [--alg A] [--seed N] [--identity S]    the key a run with seed N gives identity S
//   sign    [--alg A] --key HEX32 --msg HEX        signature of msg (key: Ed25519 seed or ECDSA
//                                                  scalar)
//   verify  [--alg A] --pub HEX --msg HEX --sig HEX    {"valid": true|false}
//   verify  --batch FILE.jsonl   one line per input: {"alg", "pub", "msg", "sig"} (hex)
//   hash    --msg HEX                              SHA-256
// ECDSA public keys may be uncompressed SEC1 (65 bytes, 04...) or DER SubjectPublicKeyInfo.
// Output is JSON, one object per line. Input that is not what it must be (not JSON, a missing
// field, bad hex, an unknown alg) is malformed: exit 2 naming the line, nothing printed. A key or
// signature that parses as hex but is not a valid key or signature of its scheme is a verdict:
// "valid": false with a "reason". Exit 0 when every input was processed, whatever the verdicts.
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "apps/hlsim/commands.h"
#include "ledger/crypto/ecdsa_p256.h"
#include "ledger/crypto/ed25519.h"
#include "ledger/crypto/sha256.h"
#include "ledger/crypto/signature.h"
#include "sim/kernel/result.h"

namespace hlsim::app {
namespace {

struct CryptoOptions {
  std::string action;
  std::string alg = "ed25519";
  std::uint64_t seed = 1;
  std::string identity = "validator-0";
  std::string key_hex, pub_hex, msg_hex, sig_hex, batch_path;
};

int fail(const std::string& message) {
  std::cerr << "hlsim: error: " << message << "\n";
  return kExitBadInput;
}

struct Verdict {
  bool valid = false;
  std::string reason;  // why not valid, when the inputs are not a key / signature of the scheme

  nlohmann::ordered_json json() const {
    nlohmann::ordered_json j{{"valid", valid}};
    if (!reason.empty()) j["reason"] = reason;
    return j;
  }
};

// Verifies one (pub, msg, sig) given as hex under `alg`; an Error names the malformed field.
Result<Verdict> verify_hex(const std::string& alg, const std::string& pub_hex,
                           const std::string& msg_hex, const std::string& sig_hex) {
  const std::optional<SigScheme> scheme = parse_sig_scheme(alg);
  if (!scheme) return Error{"alg: '" + alg + "' is not one of ed25519, ecdsa-p256"};
  Bytes pub, msg, sig;
  if (!from_hex(pub_hex, pub)) return Error{"pub: expected hex (an even number of digits)"};
  if (!from_hex(msg_hex, msg)) return Error{"msg: expected hex (an even number of digits)"};
  if (!from_hex(sig_hex, sig)) return Error{"sig: expected hex (an even number of digits)"};
  if (*scheme == SigScheme::kEd25519) {
    if (pub.size() != ed25519::kPublicKeyBytes) {
      return Verdict{false,
                     "public key: Ed25519 keys are 32 bytes, got " + std::to_string(pub.size())};
    }
    if (sig.size() != ed25519::kSignatureBytes) {
      return Verdict{
          false, "signature: Ed25519 signatures are 64 bytes, got " + std::to_string(sig.size())};
    }
    return Verdict{ed25519::verify(pub, msg, sig), ""};
  }
  const auto key = ecdsa_p256::parse_public_key(pub);
  if (!key) {
    return Verdict{false,
                   "public key: not a P-256 point as uncompressed SEC1 or SubjectPublicKeyInfo"};
  }
  return Verdict{ecdsa_p256::verify(*key, msg, sig), ""};
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
    auto verdict = verify_hex(j["alg"], j["pub"], j["msg"], j["sig"]);
    if (!verdict.ok()) return fail(where + verdict.error().message);
    nlohmann::ordered_json result{{"line", number}};
    result.update(verdict->json());
    out.push_back(result.dump());
  }
  for (const auto& o : out) std::cout << o << "\n";
  return kExitOk;
}

// The private key bytes `keygen` prints for `scheme`: the Ed25519 seed or the ECDSA scalar.
std::array<std::uint8_t, 32> derived_secret(SigScheme scheme, std::uint64_t seed,
                                            const std::string& identity) {
  if (scheme == SigScheme::kEd25519) return ed25519::PrivateKey::derive_seed(seed, identity);
  return ecdsa_p256::PrivateKey::derive_scalar(seed, identity);
}

int run_crypto(const CryptoOptions& o) {
  const std::optional<SigScheme> scheme = parse_sig_scheme(o.alg);
  if (!scheme) return fail("--alg: '" + o.alg + "' is not one of ed25519, ecdsa-p256");
  if (o.action == "keygen") {
    const auto secret = derived_secret(*scheme, o.seed, o.identity);
    const SigningKey key = SigningKey::derive(o.seed, o.identity, *scheme);
    std::cout << nlohmann::json{{"alg", o.alg},
                                {"seed", o.seed},
                                {"identity", o.identity},
                                {"key", to_hex(ByteView(secret.data(), secret.size()))},
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
    Bytes secret, msg;
    if (!from_hex(o.key_hex, secret) || secret.size() != 32) {
      return fail("--key: expected 64 hex digits (a 32-byte Ed25519 seed or ECDSA scalar)");
    }
    if (!from_hex(o.msg_hex, msg)) return fail("--msg: expected hex (an even number of digits)");
    std::array<std::uint8_t, 32> raw{};
    std::copy(secret.begin(), secret.end(), raw.begin());
    std::optional<SigningKey> key;
    if (*scheme == SigScheme::kEd25519) {
      key = SigningKey::ed25519_from_seed(raw);
    } else {
      key = SigningKey::ecdsa_p256_from_scalar(raw);
      if (!key) return fail("--key: not a P-256 private scalar (it must be in 1..n-1)");
    }
    std::cout << nlohmann::json{{"alg", o.alg},
                                {"pub", to_hex(key->public_key().view())},
                                {"sig", to_hex(key->sign(msg).view())}}
                     .dump()
              << "\n";
    return kExitOk;
  }
  // verify
  if (!o.batch_path.empty()) return verify_batch(o.batch_path);
  auto verdict = verify_hex(o.alg, o.pub_hex, o.msg_hex, o.sig_hex);
  if (!verdict.ok()) return fail("--" + verdict.error().message);
  std::cout << verdict->json().dump() << "\n";
  return kExitOk;
}

}  // namespace

Runner add_crypto_command(CLI::App& app) {
  auto o = std::make_shared<CryptoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "crypto",
      "The ledger's Ed25519 / ECDSA P-256 / SHA-256, for checking against test vectors and tools");
  cmd->add_option("action", o->action, "keygen, sign, verify or hash")
      ->required()
      ->check(CLI::IsMember({"keygen", "sign", "verify", "hash"}));
  cmd->add_option("--alg", o->alg, "keygen, sign, verify: ed25519 (default) or ecdsa-p256");
  cmd->add_option("--seed", o->seed, "keygen: run seed");
  cmd->add_option("--identity", o->identity, "keygen: identity (e.g. validator-0, client-3)");
  cmd->add_option("--key", o->key_hex,
                  "sign: 32-byte private key, hex (Ed25519 seed or ECDSA big-endian scalar)");
  cmd->add_option("--pub", o->pub_hex,
                  "verify: public key, hex (Ed25519: 32 bytes; ECDSA: SEC1 04|X|Y or DER SPKI)");
  cmd->add_option("--msg", o->msg_hex, "sign, verify, hash: message, hex (may be empty)");
  cmd->add_option("--sig", o->sig_hex, "verify: signature, hex (Ed25519: 64 bytes; ECDSA: DER)");
  cmd->add_option("--batch", o->batch_path,
                  "verify: JSON lines {\"alg\": \"ed25519\"|\"ecdsa-p256\", \"pub\", \"msg\", "
                  "\"sig\"} (hex)");
  return [o] { return run_crypto(*o); };
}

}  // namespace hlsim::app
