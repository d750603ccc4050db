#include "ledger/eov/rwset.h"

#include <gtest/gtest.h>

#include "ledger/eov/rwset_recorder.h"
#include "ledger/eov/versioned_state.h"

namespace hlsim {
namespace {

RwSet sample() {
  RwSet s;
  s.reads = {{"a", Version{3, 1}}, {"b", std::nullopt}};
  s.writes = {{"a", std::string("x")}, {"c", std::nullopt}};
  return s;
}

TEST(RwSetTest, EncodingRoundTripsAndMatchesItsSize) {
  const RwSet s = sample();
  const Bytes enc = s.encode();
  EXPECT_EQ(enc.size(), s.encoded_size());
  Reader r(enc);
  const auto back = RwSet::decode_from(r);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(r.done());
  EXPECT_EQ(*back, s);
  EXPECT_EQ(back->hash(), s.hash());
}

TEST(RwSetTest, NonCanonicalOrTruncatedEncodingsAreRejected) {
  RwSet unsorted = sample();
  std::swap(unsorted.reads[0], unsorted.reads[1]);
  const Bytes enc = unsorted.encode();
  Reader r(enc);
  EXPECT_FALSE(RwSet::decode_from(r).has_value());
  RwSet dup = sample();
  dup.writes[1].key = "a";
  const Bytes enc2 = dup.encode();
  Reader r2(enc2);
  EXPECT_FALSE(RwSet::decode_from(r2).has_value());
  const Bytes good = sample().encode();
  for (std::size_t cut = 0; cut < good.size(); ++cut) {
    Reader rc(ByteView(good).first(cut));
    EXPECT_FALSE(RwSet::decode_from(rc).has_value()) << cut;
  }
}

TEST(RwSetTest, AnyChangeChangesTheHash) {
  const RwSet s = sample();
  RwSet t = s;
  t.reads[0].version->tx = 2;
  EXPECT_NE(t.hash(), s.hash());
  t = s;
  t.writes[0].value = "y";
  EXPECT_NE(t.hash(), s.hash());
  t = s;
  t.writes[1].value = "";
  EXPECT_NE(t.hash(), s.hash());
}

TEST(VersionedStateTest, ApplyStampsVersionsAndKeepsCountersAndDigest) {
  VersionedState st;
  st.apply({{"a", std::string("1")}, {"b", std::string("22")}}, Version{1, 0});
  EXPECT_EQ(st.key_count(), 2u);
  EXPECT_EQ(st.bytes(), 2u + 1 + 2);
  EXPECT_EQ(st.version("a"), (Version{1, 0}));
  const std::uint64_t d1 = st.digest();
  st.apply({{"a", std::string("3")}, {"b", std::nullopt}, {"zz", std::nullopt}}, Version{2, 4});
  EXPECT_EQ(st.key_count(), 1u);
  EXPECT_EQ(st.bytes(), 2u);
  EXPECT_EQ(st.version("a"), (Version{2, 4}));
  EXPECT_EQ(st.version("b"), std::nullopt);
  EXPECT_NE(st.digest(), d1);
  // The same state reached another way has the same digest.
  VersionedState other;
  other.apply({{"a", std::string("3")}}, Version{2, 4});
  EXPECT_EQ(other.digest(), st.digest());
  // The same value at another version is another state.
  VersionedState third;
  third.apply({{"a", std::string("3")}}, Version{2, 5});
  EXPECT_NE(third.digest(), st.digest());
}

TEST(RwSetRecorderTest, RecordsFirstCommittedReadsAndFinalWrites) {
  VersionedState st;
  st.apply({{"a", std::string("1")}, {"b", std::string("2")}}, Version{1, 0});
  st.apply({{"b", std::string("3")}}, Version{2, 7});
  RwSetRecorder rec(st);
  EXPECT_EQ(rec.get("b"), "3");
  EXPECT_EQ(rec.get("missing"), std::nullopt);
  rec.put("c", "new");
  EXPECT_EQ(rec.get("c"), "new");  // its own write: no read recorded
  rec.put("a", "x");
  rec.put("a", "y");
  EXPECT_EQ(rec.get("a"), "y");
  rec.erase("b");
  EXPECT_EQ(rec.get("b"), std::nullopt);
  EXPECT_EQ(rec.key_count(), 2u);  // a, c (b erased)
  EXPECT_EQ(rec.bytes(), 2u + 4);
  const RwSet s = rec.take();
  EXPECT_EQ(s.reads, (std::vector<KvRead>{{"b", Version{2, 7}}, {"missing", std::nullopt}}));
  EXPECT_EQ(s.writes,
            (std::vector<KvWrite>{
                {"a", std::string("y")}, {"b", std::nullopt}, {"c", std::string("new")}}));
  // The committed state is untouched.
  EXPECT_EQ(st.find("a")->value, "1");
  EXPECT_EQ(rec.take(), RwSet{});
}

}  // namespace
}  // namespace hlsim
