// `hlsim crypto`: the ledger's Ed25519 and SHA-256 against published vectors, from the shell.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

namespace fs = std::filesystem;

const std::string kBinary = HLSIM_BINARY;

// RFC 8032 §7.1, TEST 1 (empty message).
const std::string kSecret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
const std::string kPublic = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const std::string kSig =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9"
    "b46bd25bf5f0595bbe24655141438e7a100b";

struct Output {
  int status;
  std::string text;
};

Output hlsim(const std::string& args) {
  Output out{0, ""};
  FILE* pipe = popen((kBinary + " " + args + " 2>&1").c_str(), "r");
  std::array<char, 4096> buf{};
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) out.text += buf.data();
  const int raw = pclose(pipe);
  out.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

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

}  // namespace
