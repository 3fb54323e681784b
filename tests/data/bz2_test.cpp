#include "zcb/data/bz2.hpp"

#include <bzlib.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using testing::error_message;
using ::testing::HasSubstr;

std::string compress(const std::string& data) {
  unsigned int length = static_cast<unsigned int>(data.size() + data.size() / 100 + 600);
  std::string out(length, '\0');
  EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &length, const_cast<char*>(data.data()),
                                     static_cast<unsigned int>(data.size()), 9, 0, 0),
            BZ_OK);
  out.resize(length);
  return out;
}

TEST(Bz2, RoundTripsOneAndConcatenatedStreams) {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += std::to_string(i * 7919 % 1000) + ",";
  EXPECT_EQ(bz2_decompress(compress(text), "a.bz2"), text);
  EXPECT_EQ(bz2_decompress(compress(text) + compress("tail"), "b.bz2"), text + "tail");
  EXPECT_EQ(bz2_decompress(compress(""), "c.bz2"), "");
}

TEST(Bz2, ReportsBadTruncatedAndOversizedInput) {
  const std::string text(1 << 20, 'z');
  const std::string packed = compress(text);
  EXPECT_THAT(error_message([&] { bz2_decompress("", "e.bz2"); }), HasSubstr("e.bz2: empty"));
  EXPECT_THAT(error_message([&] { bz2_decompress("not bzip2 at all", "n.bz2"); }),
              HasSubstr("not bzip2 data"));
  EXPECT_THAT(error_message([&] { bz2_decompress(packed + "junk", "j.bz2"); }),
              HasSubstr("not bzip2 data"));
  for (std::size_t length = 1; length < packed.size(); ++length) {
    EXPECT_THAT(error_message([&] { bz2_decompress(packed.substr(0, length), "t.bz2"); }),
                HasSubstr("t.bz2"));
  }
  std::string corrupt = packed;
  corrupt[packed.size() / 2] ^= 0x10;
  EXPECT_THAT(error_message([&] { bz2_decompress(corrupt, "c.bz2"); }), HasSubstr("c.bz2: bzip2"));
  EXPECT_THAT(error_message([&] { bz2_decompress(packed, "big.bz2", 1000); }),
              HasSubstr("more than 1000 bytes"));
  EXPECT_EQ(bz2_decompress(packed, "exact.bz2", text.size()).size(), text.size());
}

}  // namespace
}  // namespace zcb::data
