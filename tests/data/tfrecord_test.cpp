// TFRecord framing and CRC-32C. Golden bytes and CRCs come from tests/data/nb101_reference.py
// (a bit-by-bit CRC-32C and TensorFlow's record layout); the CRC vectors are also those of
// RFC 3720 appendix B.4.
#include "zcb/data/tfrecord.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "test_util.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using ::testing::HasSubstr;

std::string from_hex(const std::string& hex) {
  std::string bytes;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return bytes;
}

std::vector<std::string> read_all(const std::string& bytes, const TfRecordOptions& options = {}) {
  std::istringstream in(bytes);
  std::vector<std::string> records;
  read_tfrecords(
      in, "test.tfrecord",
      [&](std::string_view record, std::uint64_t) {
        records.emplace_back(record);
        return true;
      },
      options);
  return records;
}

std::string read_error(const std::string& bytes, const TfRecordOptions& options = {}) {
  return testing::error_message([&] { read_all(bytes, options); });
}

TEST(Crc32c, KnownVectors) {
  EXPECT_EQ(crc32c("123456789"), 0xe3069283u);
  EXPECT_EQ(crc32c(std::string(32, '\0')), 0x8a9136aau);
  EXPECT_EQ(crc32c(std::string(32, '\xff')), 0x62a8ab43u);
  std::string ascending;
  for (int i = 0; i < 32; ++i) ascending.push_back(static_cast<char>(i));
  EXPECT_EQ(crc32c(ascending), 0x46dd794eu);
  EXPECT_EQ(crc32c(""), 0u);
}

TEST(Crc32c, IncrementalEqualsWhole) {
  const std::string text = "The quick brown fox jumps over the lazy dog, twice over.";
  for (std::size_t split = 0; split <= text.size(); ++split) {
    EXPECT_EQ(crc32c(text.substr(split), crc32c(text.substr(0, split))), crc32c(text)) << split;
  }
}

TEST(Crc32c, Masked) {
  EXPECT_EQ(masked_crc32c("123456789"), 0xc78ab0e5u);
  EXPECT_EQ(masked_crc32c(std::string(32, '\0')), 0x0fd7fffau);
}

TEST(TfRecord, WriterMatchesTensorFlowLayout) {
  std::string out;
  append_tfrecord(out, "hello");
  EXPECT_EQ(out, from_hex("0500000000000000eab2043e68656c6c6fbb1f1c19"));
  out.clear();
  append_tfrecord(out, "");
  EXPECT_EQ(out, from_hex("000000000000000029039807d8ea82a2"));
}

TEST(TfRecord, ReadsRecordsWithOffsets) {
  std::string file;
  append_tfrecord(file, "first");
  append_tfrecord(file, "");
  append_tfrecord(file, std::string(1000, 'x'));
  std::istringstream in(file);
  std::vector<std::uint64_t> offsets;
  std::vector<std::string> records;
  const std::uint64_t count =
      read_tfrecords(in, "t", [&](std::string_view record, std::uint64_t offset) {
        records.emplace_back(record);
        offsets.push_back(offset);
        return true;
      });
  EXPECT_EQ(count, 3u);
  EXPECT_EQ(records, (std::vector<std::string>{"first", "", std::string(1000, 'x')}));
  EXPECT_EQ(offsets, (std::vector<std::uint64_t>{0, 21, 37}));
}

TEST(TfRecord, EmptyStreamHasNoRecords) { EXPECT_TRUE(read_all("").empty()); }

TEST(TfRecord, CallbackCanStopEarly) {
  std::string file;
  append_tfrecord(file, "a");
  append_tfrecord(file, "b");
  std::istringstream in(file);
  int seen = 0;
  EXPECT_EQ(read_tfrecords(in, "t", [&](std::string_view, std::uint64_t) { return ++seen < 1; }),
            1u);
  EXPECT_EQ(seen, 1);
}

TEST(TfRecord, DataCrcMismatchNamesOffset) {
  std::string file;
  append_tfrecord(file, "good");
  append_tfrecord(file, "flip");
  file[20 + 12] ^= 0x01;  // first payload byte of record 1 (record 0 is 20 bytes)
  const std::string message = read_error(file);
  EXPECT_THAT(message, HasSubstr("test.tfrecord: TFRecord 1 at byte offset 20"));
  EXPECT_THAT(message, HasSubstr("data CRC mismatch"));
  EXPECT_THAT(message, HasSubstr("fetch it again"));
}

TEST(TfRecord, LengthCrcMismatch) {
  std::string file;
  append_tfrecord(file, "abc");
  file[8] ^= 0x40;
  EXPECT_THAT(read_error(file), HasSubstr("length CRC mismatch"));
  EXPECT_THAT(read_error("not a tfrecord file at all"), HasSubstr("length CRC mismatch"));
}

TEST(TfRecord, TruncationAtEveryByteIsAnError) {
  std::string file;
  append_tfrecord(file, "payload");
  for (std::size_t cut = 1; cut < file.size(); ++cut) {
    const std::string message = read_error(file.substr(0, cut));
    EXPECT_THAT(message, HasSubstr("TFRecord 0 at byte offset 0")) << cut;
    EXPECT_THAT(message, HasSubstr("the stream ends inside")) << cut;
  }
  EXPECT_THAT(read_error(file.substr(0, 5)), HasSubstr("12-byte record header"));
  EXPECT_THAT(read_error(file.substr(0, 14)), HasSubstr("payload (2 of 7 bytes present)"));
  EXPECT_THAT(read_error(file.substr(0, 21)), HasSubstr("data CRC (2 of 4 bytes present)"));
}

TEST(TfRecord, OversizedLengthIsRejectedBeforeAllocating) {
  std::string file;
  append_tfrecord(file, std::string(100, 'z'));
  TfRecordOptions options;
  options.max_record_bytes = 99;
  EXPECT_THAT(read_error(file, options), HasSubstr("record length 100 bytes exceeds the limit"));
  // A huge, CRC-correct length field: refused by the limit, no 2^60-byte buffer.
  std::string header;
  for (int i = 0; i < 8; ++i) header.push_back(i == 7 ? '\x10' : '\0');
  std::string forged = header;
  const std::uint32_t crc = masked_crc32c(header);
  for (int i = 0; i < 4; ++i) forged.push_back(static_cast<char>((crc >> (8 * i)) & 0xffu));
  EXPECT_THAT(read_error(forged), HasSubstr("exceeds the limit"));
}

TEST(TfRecord, MissingFileSaysWhatToDo) {
  EXPECT_THAT(testing::error_message([] {
                read_tfrecord_file("/nonexistent/x.tfrecord",
                                   [](std::string_view, std::uint64_t) { return true; });
              }),
              HasSubstr("cannot open TFRecord file /nonexistent/x.tfrecord"));
}

TEST(TfRecord, ReadsAFile) {
  testing::TempDir dir;
  std::string file;
  for (int i = 0; i < 100; ++i) append_tfrecord(file, "record " + std::to_string(i));
  testing::write_file(dir.path() / "a.tfrecord", file);
  int count = 0;
  EXPECT_EQ(read_tfrecord_file(dir.path() / "a.tfrecord",
                               [&](std::string_view record, std::uint64_t) {
                                 EXPECT_EQ(record, "record " + std::to_string(count++));
                                 return true;
                               }),
            100u);
}

}  // namespace
}  // namespace zcb::data
