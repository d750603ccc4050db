// Results-file text attributes of any size (h5_groups.h): a 256-node run's summary is
// several hundred KiB of JSON, over HDF5's 64 KiB limit for attributes kept in the object header.
#include "sim/results/h5_groups.h"

#include <H5Cpp.h>
#include <gtest/gtest.h>

#include <string>

#include "ledger/storage/temp_dir.h"
#include "sim/results/h5_writer.h"

namespace hlsim {
namespace {

std::string read_text(const H5::H5Object& obj, const char* name) {
  H5::Attribute a = obj.openAttribute(name);
  std::string s;
  a.read(a.getStrType(), s);
  return s;
}

TEST(H5GroupsTest, AttributesOverSixtyFourKibibytesAreWrittenAndReadBack) {
  test_util::TempDir dir;
  const std::string path = dir.sub("big.h5");
  std::string big(300 * 1024, 'x');
  for (std::size_t i = 0; i < big.size(); i += 97) big[i] = static_cast<char>('a' + i % 26);
  const Status st = write_h5_file(path, [&](H5::H5File& file) {
    H5::Group runs = make_group(file, "runs");
    H5::Group run = make_group(runs, "0");
    attr_text(run, "summary", big);
    attr_text(run, "small", "fixed");
    attr_text(run, "empty", "");
  });
  ASSERT_TRUE(st.ok()) << st.error().message;
  H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::Group run = file.openGroup("runs/0");
  EXPECT_EQ(read_text(run, "summary"), big);
  EXPECT_EQ(read_text(run, "small"), "fixed");
  EXPECT_EQ(read_text(run, "empty"), " ");
}

TEST(H5GroupsTest, ASecondGroupOfTheSameNameIsAnErrorNamingIt) {
  test_util::TempDir dir;
  const Status st = write_h5_file(dir.sub("dup.h5"), [&](H5::H5File& file) {
    make_group(file, "runs");
    make_group(file, "runs");
  });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("runs"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace hlsim
