#include "ledger/crypto/sha256.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace hlsim {
namespace {

// FIPS 180-4 / NIST CSRC example values.
constexpr char kEmpty[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr char k448Bits[] = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr char kMillionA[] = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
constexpr char k448Message[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

TEST(Sha256Test, EmptyStringKnownAnswer) { EXPECT_EQ(sha256({}).hex(), kEmpty); }

TEST(Sha256Test, AbcKnownAnswer) { EXPECT_EQ(sha256(as_bytes("abc")).hex(), kAbc); }

TEST(Sha256Test, TwoBlock448BitMessageKnownAnswer) {
  EXPECT_EQ(sha256(as_bytes(k448Message)).hex(), k448Bits);
}

TEST(Sha256Test, MillionAKnownAnswerOneShotAndIncremental) {
  const std::string a(1'000'000, 'a');
  EXPECT_EQ(sha256(as_bytes(a)).hex(), kMillionA);
  Sha256 h;
  const std::string chunk(1000, 'a');
  for (int i = 0; i < 1000; ++i) h.update(as_bytes(chunk));
  EXPECT_EQ(h.finish().hex(), kMillionA);
}

TEST(Sha256Test, IncrementalEqualsOneShotForEverySplitPoint) {
  const std::string msg = std::string(k448Message) + k448Message + "tail";
  const Hash256 expected = sha256(as_bytes(msg));
  for (std::size_t split = 0; split <= msg.size(); ++split) {
    Sha256 h;
    h.update(as_bytes(std::string_view(msg).substr(0, split)));
    h.update({});
    h.update(as_bytes(std::string_view(msg).substr(split)));
    EXPECT_EQ(h.finish(), expected) << "split at " << split;
  }
}

TEST(Sha256Test, IncrementalWithNoUpdateIsEmptyHash) {
  Sha256 h;
  EXPECT_EQ(h.finish().hex(), kEmpty);
}

TEST(Sha256Test, MovedHasherContinuesAndMovedFromRefusesUse) {
  Sha256 a;
  a.update(as_bytes("ab"));
  Sha256 b(std::move(a));
  b.update(as_bytes("c"));
  Sha256 c;
  c = std::move(b);
  EXPECT_EQ(c.finish().hex(), kAbc);
  EXPECT_THROW(c.finish(), std::logic_error);
  EXPECT_THROW(c.update(as_bytes("x")), std::logic_error);
  EXPECT_THROW(b.update(as_bytes("x")), std::logic_error);  // NOLINT(bugprone-use-after-move)
}

TEST(Sha256Test, OneShotFromManyThreadsAgrees) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (std::size_t t = 0; t < ok.size(); ++t) {
    threads.emplace_back([&ok, t] {
      int good = 0;
      for (int i = 0; i < 2000; ++i) good += sha256(as_bytes("abc")).hex() == kAbc ? 1 : 0;
      ok[t] = good;
    });
  }
  for (auto& th : threads) th.join();
  for (int good : ok) EXPECT_EQ(good, 2000);
}

}  // namespace
}  // namespace hlsim
