// `hlsim crypto`: the ledger's Ed25519 and SHA-256 against published vectors, from the shell.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "apps/cli_runner.h"

namespace {

namespace fs = std::filesystem;

// RFC 8032 §7.1, TEST 1 (empty message).
const std::string kSecret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const std::string kPublic = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const std::string kSig =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
    "b46bd25bf5f0595bbe24655141438e7a100b";

using hlsim_cli::hlsim;
using hlsim_cli::Output;

std::string write_file(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / name;
  std::ofstream(p) << text;
  return p.string();
}

TEST(CryptoCliTest, SignReproducesRfc8032Test1) {
  Output o = hlsim("crypto sign --key " + kSecret + " --msg ''");
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("\"pub\":\"" + kPublic + "\""), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("\"sig\":\"" + kSig + "\""), std::string::npos) << o.text;
}

TEST(CryptoCliTest, VerifyAcceptsTheVectorAndRejectsAFlippedBit) {
  Output good = hlsim("crypto verify --pub " + kPublic + " --msg '' --sig " + kSig);
  ASSERT_EQ(good.status, 0) << good.text;
  EXPECT_EQ(good.text, "{\"valid\":true}\n");
  std::string bad_sig = kSig;
  bad_sig[5] = bad_sig[5] == '0' ? '1' : '0';
  Output bad = hlsim("crypto verify --pub " + kPublic + " --msg '' --sig " + bad_sig);
  ASSERT_EQ(bad.status, 0) << bad.text;
  EXPECT_EQ(bad.text, "{\"valid\":false}\n");
}

TEST(CryptoCliTest, HashIsSha256) {
  Output o = hlsim("crypto hash --msg 616263");  // FIPS 180-4 "abc"
  ASSERT_EQ(o.status, 0);
  EXPECT_EQ(o.text,
            "{\"sha256\":\"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\"}\n");
}

TEST(CryptoCliTest, KeygenMatchesTheKeysRunsUse) {
  Output a = hlsim("crypto keygen --seed 7 --identity client-3");
  Output b = hlsim("crypto keygen --seed 7 --identity client-3");
  Output c = hlsim("crypto keygen --seed 8 --identity client-3");
  ASSERT_EQ(a.status, 0);
  EXPECT_EQ(a.text, b.text);
  EXPECT_NE(a.text, c.text);
}

TEST(CryptoCliTest, BatchReportsEachLine) {
  const std::string path =
      write_file("hlsim-batch-ok.jsonl", "{\"alg\":\"ed25519\",\"pub\":\"" + kPublic +
                                             "\",\"msg\":\"\",\"sig\":\"" + kSig + "\"}\n\n" +
                                             "{\"alg\":\"ed25519\",\"pub\":\"" + kPublic +
                                             "\",\"msg\":\"00\",\"sig\":\"" + kSig + "\"}\n");
  Output o = hlsim("crypto verify --batch " + path);
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_EQ(o.text, "{\"line\":1,\"valid\":true}\n{\"line\":3,\"valid\":false}\n");
}

TEST(CryptoCliTest, MalformedBatchLineExitsTwoNamingTheLine) {
  const std::string path =
      write_file("hlsim-batch-bad.jsonl", "{\"alg\":\"ed25519\",\"pub\":\"" + kPublic +
                                              "\",\"msg\":\"\",\"sig\":\"" + kSig +
                                              "\"}\n{\"alg\":\"ed25519\",\"pub\":\"zz\"}\n");
  Output o = hlsim("crypto verify --batch " + path);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.text.find(path + ":2: field 'msg' missing"), std::string::npos) << o.text;
  EXPECT_EQ(o.text.find("valid"), std::string::npos) << "nothing is printed for a bad file";
}

TEST(CryptoCliTest, BadHexExitsTwo) {
  Output o = hlsim("crypto verify --pub abc --msg '' --sig " + kSig);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.text.find("pub: expected hex"), std::string::npos) << o.text;
}

// ECDSA P-256: RFC 6979 appendix A.2.5 (SHA-256, message "sample") through the shell, with the
// public key as uncompressed SEC1 and as DER SubjectPublicKeyInfo.
const std::string kEcKey = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
const std::string kEcPub =
    "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb67903fe1008b8bc99a41ae9e956"
    "28bc64f2f1b20c2d7e9f5177a3c294d4462299";
// The fixed DER prefix of a P-256 SubjectPublicKeyInfo (id-ecPublicKey, prime256v1, BIT STRING).
const std::string kEcSpki = "3059301306072a8648ce3d020106082a8648ce3d030107034200" + kEcPub;
const std::string kSampleHex = "73616d706c65";  // "sample"
const std::string kEcSig =
    "3046022100efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716022100f7cb1c942d65"
    "7c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";

TEST(CryptoCliTest, EcdsaSignReproducesRfc6979Sample) {
  Output o = hlsim("crypto sign --alg ecdsa-p256 --key " + kEcKey + " --msg " + kSampleHex);
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("\"pub\":\"" + kEcPub + "\""), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("\"sig\":\"" + kEcSig + "\""), std::string::npos) << o.text;
}

TEST(CryptoCliTest, EcdsaVerifyAcceptsSec1AndSpkiKeysAndRejectsAnotherMessage) {
  for (const std::string& pub : {kEcPub, kEcSpki}) {
    Output good = hlsim("crypto verify --alg ecdsa-p256 --pub " + pub + " --msg " + kSampleHex +
                        " --sig " + kEcSig);
    EXPECT_EQ(good.status, 0) << good.text;
    EXPECT_EQ(good.text, "{\"valid\":true}\n");
    Output bad = hlsim("crypto verify --alg ecdsa-p256 --pub " + pub + " --msg 00 --sig " + kEcSig);
    EXPECT_EQ(bad.status, 0) << bad.text;
    EXPECT_EQ(bad.text, "{\"valid\":false}\n");
  }
}

TEST(CryptoCliTest, BatchMixesSchemesAndReportsBadKeysAsInvalidWithAReason) {
  std::string off_curve = kEcPub;
  off_curve[off_curve.size() - 1] = off_curve.back() == '9' ? '8' : '9';  // Y no longer fits X
  std::string bad_der = kEcSig;
  bad_der[3] = '7';  // a SEQUENCE length that disagrees with the contents
  const std::string path = write_file(
      "hlsim-batch-mixed.jsonl",
      "{\"alg\":\"ed25519\",\"pub\":\"" + kPublic + "\",\"msg\":\"\",\"sig\":\"" + kSig + "\"}\n" +
          "{\"alg\":\"ecdsa-p256\",\"pub\":\"" + kEcSpki + "\",\"msg\":\"" + kSampleHex +
          "\",\"sig\":\"" + kEcSig + "\"}\n" + "{\"alg\":\"ecdsa-p256\",\"pub\":\"" + off_curve +
          "\",\"msg\":\"" + kSampleHex + "\",\"sig\":\"" + kEcSig + "\"}\n" +
          "{\"alg\":\"ecdsa-p256\",\"pub\":\"" + kEcPub + "\",\"msg\":\"" + kSampleHex +
          "\",\"sig\":\"" + bad_der + "\"}\n" + "{\"alg\":\"ed25519\",\"pub\":\"" +
          kPublic.substr(2) + "\",\"msg\":\"\",\"sig\":\"" + kSig + "\"}\n");
  Output o = hlsim("crypto verify --batch " + path);
  ASSERT_EQ(o.status, 0) << o.text;
  EXPECT_NE(o.text.find("{\"line\":1,\"valid\":true}"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("{\"line\":2,\"valid\":true}"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("{\"line\":3,\"valid\":false,\"reason\":\"public key: not a P-256 point"),
            std::string::npos)
      << o.text;
  EXPECT_NE(o.text.find("{\"line\":4,\"valid\":false}"), std::string::npos) << o.text;
  EXPECT_NE(o.text.find("{\"line\":5,\"valid\":false,\"reason\":\"public key: Ed25519 keys are 32 "
                        "bytes, got 31\"}"),
            std::string::npos)
      << o.text;
}

TEST(CryptoCliTest, UnknownAlgInABatchExitsTwoNamingTheLine) {
  const std::string path = write_file(
      "hlsim-batch-alg.jsonl", "{\"alg\":\"rsa\",\"pub\":\"00\",\"msg\":\"\",\"sig\":\"00\"}\n");
  Output o = hlsim("crypto verify --batch " + path);
  EXPECT_EQ(o.status, 2);
  EXPECT_NE(o.text.find(path + ":1: alg: 'rsa' is not one of ed25519, ecdsa-p256"),
            std::string::npos)
      << o.text;
}

TEST(CryptoCliTest, EcdsaKeygenMatchesTheKeysRunsUseAndSignsWithThem) {
  Output k = hlsim("crypto keygen --alg ecdsa-p256 --seed 7 --identity client-3");
  ASSERT_EQ(k.status, 0) << k.text;
  const auto field = [&](const std::string& name) {
    const std::size_t at = k.text.find("\"" + name + "\":\"") + name.size() + 4;
    return k.text.substr(at, k.text.find('"', at) - at);
  };
  const std::string key = field("key");
  const std::string pub = field("pub");
  EXPECT_EQ(pub.size(), 130u);  // 65 bytes, uncompressed SEC1
  Output s = hlsim("crypto sign --alg ecdsa-p256 --key " + key + " --msg 0102");
  ASSERT_EQ(s.status, 0) << s.text;
  EXPECT_NE(s.text.find("\"pub\":\"" + pub + "\""), std::string::npos) << s.text;
}

}  // namespace
