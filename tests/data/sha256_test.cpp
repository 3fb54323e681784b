#include "zcb/data/sha256.hpp"

#include <gtest/gtest.h>

#include "test_util.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

// FIPS 180-4 / NIST CAVP example vectors.
constexpr const char* kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* k448 = "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
constexpr const char* kMillionA =
    "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
constexpr const char* k448Message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

TEST(Sha256, FipsVectors) {
  EXPECT_EQ(sha256_hex(""), kEmpty);
  EXPECT_EQ(sha256_hex("abc"), kAbc);
  EXPECT_EQ(sha256_hex(k448Message), k448);
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), kMillionA);
}

TEST(Sha256, IncrementalEqualsOneShotForEverySplit) {
  // Splits around the 64-byte block and the 56-byte padding boundary.
  const std::string message(130, 'x');
  const std::string expected = sha256_hex(message);
  for (std::size_t split = 0; split <= message.size(); ++split) {
    Sha256 hasher;
    hasher.update(std::string_view(message).substr(0, split));
    hasher.update(std::string_view(message).substr(split));
    ASSERT_EQ(hasher.hex_digest(), expected) << "split at " << split;
  }
  for (std::size_t length : {55, 56, 63, 64, 65}) {
    Sha256 bytewise;
    const std::string text(length, 'q');
    for (char c : text) bytewise.update(std::string_view(&c, 1));
    EXPECT_EQ(bytewise.hex_digest(), sha256_hex(text)) << length;
  }
}

TEST(Sha256, DigestIsFinal) {
  Sha256 hasher;
  hasher.update("abc");
  EXPECT_EQ(hasher.hex_digest(), kAbc);
  EXPECT_EQ(hasher.hex_digest(), kAbc);
  EXPECT_THROW(hasher.update("more"), Error);
}

TEST(Sha256, FileStreamsAndNamesMissingFile) {
  testing::TempDir dir;
  const auto path = dir.path() / "a.bin";
  testing::write_file(path, std::string(3 * 1000000 + 17, 'a'));
  EXPECT_EQ(sha256_file(path), sha256_hex(std::string(3 * 1000000 + 17, 'a')));
  testing::write_file(path, "abc");
  EXPECT_EQ(sha256_file(path), kAbc);
  try {
    sha256_file(dir.path() / "missing.bin");
    FAIL() << "expected zcb::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.bin"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace zcb::data
