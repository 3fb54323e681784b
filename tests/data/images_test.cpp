#include "zcb/data/images.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "test_util.hpp"
#include "zcb/data/manifest.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::map<std::string, fs::path> mirror_images(const fs::path& mirror) {
  std::map<std::string, fs::path> files;
  for (const ManifestFile& file : manifest_for("images").files) {
    files[file.name] = mirror / file.mirror_path;
  }
  return files;
}

// CIFAR records: label, then R, G, B planes filled with label + channel.
std::string cifar_records(const std::vector<int>& labels) {
  std::string bytes;
  for (int label : labels) {
    bytes.push_back(static_cast<char>(label));
    for (int c = 0; c < 3; ++c) bytes.append(1024, static_cast<char>(label * 10 + c));
  }
  return bytes;
}

TEST(Images, Cifar10FromMirror) {
  ZCB_REQUIRE_MIRROR(mirror);
  const ImageSet images = load_image_source("cifar10", mirror_images(mirror));
  EXPECT_EQ(images.name, "cifar10");
  ASSERT_EQ(images.size(), 1000u);
  EXPECT_EQ(images.channels, 3);
  EXPECT_EQ(images.height, 32);
  EXPECT_EQ(images.width, 32);
  ASSERT_EQ(images.pixels.size(), 1000u * 3072u);
  EXPECT_EQ(std::vector<std::int64_t>(images.labels.begin(), images.labels.begin() + 10),
            (std::vector<std::int64_t>{6, 9, 9, 4, 1, 1, 2, 7, 8, 3}));
  // Image 0 (a frog): first pixel RGB (59, 62, 63), first R row 59 43 50 68 ...
  EXPECT_EQ(images.pixels[0], 59);
  EXPECT_EQ(images.pixels[1], 43);
  EXPECT_EQ(images.pixels[1024], 62);
  EXPECT_EQ(images.pixels[2048], 63);
  EXPECT_EQ(images.pixels[3072], 154);  // image 1 (a truck)
  EXPECT_FLOAT_EQ(images.mean[0], 125.3f / 255);
  EXPECT_FLOAT_EQ(images.std[2], 66.7f / 255);
}

TEST(Images, ImageNet16ApproxFromMirror) {
  ZCB_REQUIRE_MIRROR(mirror);
  const ImageSet images = load_image_source("imagenet16-120-approx", mirror_images(mirror));
  EXPECT_EQ(images.name, "imagenet16-120-approx");
  ASSERT_EQ(images.size(), 158u);
  EXPECT_EQ(images.height, 16);
  EXPECT_EQ(images.width, 16);
  EXPECT_EQ(images.pixels.size(), 158u * 768u);
  EXPECT_GE(*std::min_element(images.labels.begin(), images.labels.end()), 0);
  EXPECT_LE(*std::max_element(images.labels.begin(), images.labels.end()), 119);
  EXPECT_FLOAT_EQ(images.mean[1], 116.66f / 255);
  EXPECT_FLOAT_EQ(images.std[0], 63.22f / 255);
}

TEST(Images, CifarReaderChecksTheFormat) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "c.bin";
  testing::write_file(path, cifar_records({3, 9}));
  const ImageSet images = read_cifar10_binary(path);
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images.labels, (std::vector<std::int64_t>{3, 9}));
  EXPECT_EQ(images.pixels[3072 + 2048], 92);  // image 1, B plane

  testing::write_file(path, cifar_records({3, 9}).substr(0, 5000));
  std::string message = testing::error_message([&] { read_cifar10_binary(path); });
  EXPECT_THAT(message, HasSubstr(path.string()));
  EXPECT_THAT(message, HasSubstr("5000 bytes is not a whole number of 3073-byte"));
  EXPECT_THAT(message, HasSubstr("offset 3073"));

  testing::write_file(path, cifar_records({3, 10}));
  message = testing::error_message([&] { read_cifar10_binary(path); });
  EXPECT_THAT(message, HasSubstr("label 10 at offset 3073 (record 1) is not in 0..9"));

  testing::write_file(path, "");
  EXPECT_THAT(testing::error_message([&] { read_cifar10_binary(path); }), HasSubstr("empty"));
  EXPECT_THAT(testing::error_message([&] { read_cifar10_binary(dir.path() / "none.bin"); }),
              HasSubstr("none.bin"));
}

TEST(Images, ImageNet16ReaderChecksTheFormat) {
  testing::TempDir dir;
  const fs::path path = dir.path() / "i.bin";
  std::string bytes(1, static_cast<char>(119));
  bytes.append(768, '\x07');
  testing::write_file(path, bytes);
  const ImageSet images = read_imagenet16_records(path);
  EXPECT_EQ(images.labels, (std::vector<std::int64_t>{119}));
  EXPECT_EQ(images.pixels, std::vector<std::uint8_t>(768, 7));

  bytes[0] = static_cast<char>(120);
  testing::write_file(path, bytes);
  EXPECT_THAT(testing::error_message([&] { read_imagenet16_records(path); }),
              HasSubstr("label 120 at offset 0 (record 0) is not in 0..119"));
  testing::write_file(path, bytes + "x");
  EXPECT_THAT(testing::error_message([&] { read_imagenet16_records(path); }),
              HasSubstr("770 bytes is not a whole number of 769-byte"));
}

TEST(Images, SampleIndicesGolden) {
  // Committed golden draw: any change to the generator changes which images proxies see.
  EXPECT_EQ(sample_indices(1000, 8, 1),
            (std::vector<std::int64_t>{557, 767, 392, 987, 963, 597, 230, 973}));
  EXPECT_EQ(sample_indices(158, 5, 1), (std::vector<std::int64_t>{141, 122, 82, 11, 75}));
}

TEST(Images, SampleIndicesAreDistinctAndDeterministic) {
  const auto a = sample_indices(1000, 256, 42);
  EXPECT_EQ(a, sample_indices(1000, 256, 42));
  EXPECT_NE(a, sample_indices(1000, 256, 43));
  EXPECT_EQ(std::set<std::int64_t>(a.begin(), a.end()).size(), 256u);
  for (std::int64_t index : a) ASSERT_TRUE(index >= 0 && index < 1000);
  auto all = sample_indices(10, 10, 7);
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_TRUE(sample_indices(0, 0, 1).empty());
  EXPECT_THAT(testing::error_message([] { sample_indices(5, 6, 1); }),
              HasSubstr("cannot draw 6 distinct items from 5"));
}

TEST(Images, SampleBatchNormalisesInDrawOrder) {
  testing::TempDir dir;
  testing::write_file(dir.path() / "c.bin", cifar_records({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  ImageSet images = read_cifar10_binary(dir.path() / "c.bin");
  images.name = "toy";
  const Batch batch = sample_batch(images, 4, 5);
  EXPECT_EQ(batch.n, 4);
  EXPECT_EQ(batch.channels, 3);
  EXPECT_EQ(batch.height, 32);
  EXPECT_EQ(batch.width, 32);
  ASSERT_EQ(batch.pixels.size(), 4u * 3072u);
  EXPECT_EQ(batch.indices, sample_indices(10, 4, 5));
  for (int i = 0; i < 4; ++i) {
    const std::int64_t image = batch.indices[i];
    EXPECT_EQ(batch.labels[i], image);  // labels follow their images
    for (int c = 0; c < 3; ++c) {
      const float pixel = static_cast<float>(image * 10 + c) / 255.0f;
      const float expected = (pixel - images.mean[c]) / images.std[c];
      EXPECT_EQ(batch.pixels[(i * 3 + c) * 1024], expected);
      EXPECT_EQ(batch.pixels[(i * 3 + c) * 1024 + 1023], expected);
    }
  }
}

TEST(Images, SampleBatchSeeds) {
  testing::TempDir dir;
  std::vector<int> labels(50);
  for (int i = 0; i < 50; ++i) labels[i] = i % 10;
  testing::write_file(dir.path() / "c.bin", cifar_records(labels));
  const ImageSet images = read_cifar10_binary(dir.path() / "c.bin");
  const Batch a = sample_batch(images, 16, 1);
  const Batch b = sample_batch(images, 16, 1);
  const Batch c = sample_batch(images, 16, 2);
  EXPECT_EQ(a.pixels, b.pixels);
  EXPECT_EQ(a.labels, b.labels);
  EXPECT_NE(a.indices, c.indices);
  EXPECT_THAT(testing::error_message([&] { sample_batch(images, 51, 1); }),
              HasSubstr("batch size 51"));
  EXPECT_THAT(testing::error_message([&] { sample_batch(images, 0, 1); }),
              HasSubstr("batch size 0"));
}

TEST(Images, ImageSources) {
  EXPECT_EQ(image_source_names(), (std::vector<std::string>{"cifar10", "imagenet16-120-approx"}));
  EXPECT_THAT(testing::error_message([] { load_image_source("cifar100", {}); }),
              HasSubstr("unknown image source 'cifar100'; known image sources: cifar10, "
                        "imagenet16-120-approx"));
  EXPECT_THAT(testing::error_message([] { load_image_source("cifar10", {}); }),
              HasSubstr("needs the file 'cifar10_data_batch_1_first1000.bin'"));
}

}  // namespace
}  // namespace zcb::data
