#include "zcb/data/zip_archive.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.hpp"
#include "zcb/error.hpp"
#include "zip_fixture.hpp"

namespace zcb::data {
namespace {

using testing::build_zip;
using testing::error_message;
using ::testing::HasSubstr;
using testing::ZipFixtureMember;
using testing::ZipFixtureOptions;

std::string repeated_text() {
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "line " + std::to_string(i % 37) + "\n";
  return text;
}

TEST(ZipArchive, ReadsStoredAndDeflatedMembers) {
  const std::string text = repeated_text();
  const ZipArchive zip = ZipArchive::from_bytes(
      build_zip({{"archive/data.pkl", std::string("\x80\x02}q\x00.", 6), false},
                 {"archive/notes.txt", text, true},
                 {"archive/empty", "", true}}),
      "mem.zip");
  ASSERT_EQ(zip.entries().size(), 3u);
  EXPECT_EQ(zip.entries()[0].name, "archive/data.pkl");
  EXPECT_EQ(zip.entries()[1].method, 8);
  EXPECT_LT(zip.entries()[1].compressed_size, zip.entries()[1].size);
  EXPECT_TRUE(zip.contains("archive/notes.txt"));
  EXPECT_FALSE(zip.contains("archive/notes"));
  EXPECT_EQ(zip.read("archive/data.pkl"), std::string("\x80\x02}q\x00.", 6));
  EXPECT_EQ(zip.read("archive/notes.txt"), text);
  EXPECT_EQ(zip.read("archive/empty"), "");
}

TEST(ZipArchive, ReadsZip64CommentAndPrefix) {
  ZipFixtureOptions options;
  options.zip64 = true;
  options.comment = "a comment with PK\x05\x06 inside";
  options.prefix = std::string(100, 'x');
  const ZipArchive zip = ZipArchive::from_bytes(
      build_zip({{"a", "alpha", false}, {"dir/b", repeated_text(), true}}, options), "z64.zip");
  ASSERT_EQ(zip.entries().size(), 2u);
  EXPECT_EQ(zip.read("a"), "alpha");
  EXPECT_EQ(zip.read("dir/b"), repeated_text());
  EXPECT_EQ(zip.entries()[0].offset, 100u + 30u + 1u);
}

TEST(ZipArchive, OpensFilesAndNamesThemInErrors) {
  testing::TempDir dir;
  const auto path = dir.path() / "x.zip";
  testing::write_file(path, build_zip({{"m", "payload", true}}));
  EXPECT_EQ(ZipArchive::open(path).read("m"), "payload");
  EXPECT_THAT(error_message([&] { ZipArchive::open(dir.path() / "missing.zip"); }),
              HasSubstr("missing.zip: cannot open"));
  const std::string message = error_message([&] { ZipArchive::open(path).read("other"); });
  EXPECT_THAT(message, HasSubstr("x.zip: no member 'other'"));
  EXPECT_THAT(message, HasSubstr("it has 1: m"));
}

TEST(ZipArchive, DetectsCorruptData) {
  std::string bytes = build_zip({{"m", "payload data", false}});
  bytes[30 + 1 + 3] ^= 0x20;  // flip a data byte
  EXPECT_THAT(error_message([&] { ZipArchive::from_bytes(bytes, "c.zip").read("m"); }),
              HasSubstr("CRC-32 mismatch"));
  std::string deflated = build_zip({{"m", repeated_text(), true}});
  deflated[30 + 1 + 5] ^= 0x55;
  const std::string message =
      error_message([&] { ZipArchive::from_bytes(deflated, "d.zip").read("m"); });
  EXPECT_THAT(message, HasSubstr("d.zip: member 'm'"));
  EXPECT_THAT(message, HasSubstr("offset 31"));
}

TEST(ZipArchive, EveryTruncationIsAnErrorNotACrash) {
  const std::string bytes =
      build_zip({{"a", "alpha", false}, {"b", repeated_text(), true}}, {true, "", ""});
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    try {
      const ZipArchive zip = ZipArchive::from_bytes(bytes.substr(0, length), "t.zip");
      for (const ZipEntry& entry : zip.entries()) zip.read(entry);
    } catch (const Error& error) {
      EXPECT_THAT(error.what(), HasSubstr("t.zip")) << "length " << length;
    }
  }
  EXPECT_THAT(error_message([&] { ZipArchive::from_bytes("", "e.zip"); }), HasSubstr("too short"));
  EXPECT_THAT(error_message([&] { ZipArchive::from_bytes(std::string(100, 'x'), "n.zip"); }),
              HasSubstr("not a ZIP archive"));
}

TEST(ZipArchive, RefusesPathTricksAndDuplicates) {
  for (const std::string name :
       {"../evil", "/etc/passwd", "a/../../b", "a\\b", "c:/x", "a//b", "./a", ""}) {
    EXPECT_THAT(error_message([&] {
                  ZipArchive::from_bytes(build_zip({{name, "x"}}), "p.zip");
                }),
                HasSubstr("refusing the archive"))
        << name;
  }
  EXPECT_THAT(error_message([&] {
                ZipArchive::from_bytes(build_zip({{"a", "1"}, {"a", "2"}}), "d.zip");
              }),
              HasSubstr("appears twice"));
}

// Patches a 32-bit field of the first central header.
std::string patch_central(std::string bytes, std::size_t field, std::uint32_t value) {
  const std::size_t central = bytes.find("PK\x01\x02");
  for (int i = 0; i < 4; ++i) bytes[central + field + i] = static_cast<char>(value >> (8 * i));
  return bytes;
}

TEST(ZipArchive, RefusesAbsurdSizesMethodsAndEncryption) {
  const std::string zip = build_zip({{"m", repeated_text(), true}});
  // Declared size far beyond what the compressed bytes can hold: refused at open().
  EXPECT_THAT(
      error_message([&] { ZipArchive::from_bytes(patch_central(zip, 24, 0xF0000000u), "b.zip"); }),
      HasSubstr("beyond what DEFLATE can produce"));
  // Declared size a little off: found when inflating.
  EXPECT_THAT(error_message(
                  [&] { ZipArchive::from_bytes(patch_central(zip, 24, 100), "s.zip").read("m"); }),
              HasSubstr("does not end within"));
  // Compressed size past the central directory.
  EXPECT_THAT(
      error_message([&] { ZipArchive::from_bytes(patch_central(zip, 20, 1u << 30), "o.zip"); }),
      HasSubstr("overlaps"));
  // Method 12 (bzip2) and the encryption flag.
  std::string method = patch_central(zip, 10, 12);
  method[method.find("PK\x01\x02") + 12] = 0;  // keep the time field as it was
  EXPECT_THAT(error_message([&] { ZipArchive::from_bytes(method, "m.zip").read("m"); }),
              HasSubstr("compression method 12 is not supported"));
  std::string encrypted = zip;
  encrypted[encrypted.find("PK\x01\x02") + 8] = 1;
  EXPECT_THAT(error_message([&] { ZipArchive::from_bytes(encrypted, "e.zip"); }),
              HasSubstr("encrypted"));
}

TEST(ZipArchive, ReadsRealTorchSaveFiles) {
  ZCB_REQUIRE_MIRROR(mirror);
  const auto path = mirror / "hw-nas-bench/help_latency/str_arch2idx.pt";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " not in the mirror";
  const ZipArchive zip = ZipArchive::open(path);
  bool has_pickle = false;
  for (const ZipEntry& entry : zip.entries()) {
    if (entry.name.size() >= 8 && entry.name.compare(entry.name.size() - 8, 8, "data.pkl") == 0) {
      has_pickle = true;
      const std::string pickle = zip.read(entry);
      ASSERT_FALSE(pickle.empty());
      EXPECT_EQ(static_cast<unsigned char>(pickle[0]), 0x80);  // PROTO opcode
    }
  }
  EXPECT_TRUE(has_pickle);
}

}  // namespace
}  // namespace zcb::data
