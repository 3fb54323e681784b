#include "zcb/data/images.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <jpeglib.h>

#include <algorithm>
#include <cmath>
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

// A baseline JPEG of one RGB colour, encoded by libjpeg at quality 100.
std::string solid_jpeg(int height, int width, std::array<int, 3> rgb) {
  jpeg_compress_struct info;
  jpeg_error_mgr errors;
  info.err = jpeg_std_error(&errors);
  jpeg_create_compress(&info);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&info, &buffer, &size);
  info.image_width = static_cast<JDIMENSION>(width);
  info.image_height = static_cast<JDIMENSION>(height);
  info.input_components = 3;
  info.in_color_space = JCS_RGB;
  jpeg_set_defaults(&info);
  jpeg_set_quality(&info, 100, TRUE);
  jpeg_start_compress(&info, TRUE);
  std::vector<unsigned char> row(static_cast<std::size_t>(width) * 3);
  for (int x = 0; x < width; ++x) {
    for (int c = 0; c < 3; ++c) row[x * 3 + c] = static_cast<unsigned char>(rgb[c]);
  }
  while (info.next_scanline < info.image_height) {
    JSAMPROW pointer = row.data();
    jpeg_write_scanlines(&info, &pointer, 1);
  }
  jpeg_finish_compress(&info);
  std::string bytes(reinterpret_cast<const char*>(buffer), size);
  jpeg_destroy_compress(&info);
  std::free(buffer);
  return bytes;
}

TaskInfo task_of(const std::string& name, int classes, int side,
                 const std::string& loss = "cross_entropy") {
  TaskInfo task;
  task.name = name;
  task.num_classes = classes;
  task.height = task.width = side;
  task.loss = loss;
  return task;
}

TEST(Images, JpegSetFromSyntheticFiles) {
  testing::TempDir dir;
  testing::write_file(dir.path() / "a.JPEG", solid_jpeg(16, 24, {200, 100, 50}));
  testing::write_file(dir.path() / "b.JPEG", solid_jpeg(16, 24, {10, 20, 30}));
  testing::write_file(dir.path() / "labels.csv",
                      "index,source_file,in1k_label\n0,b.JPEG,7\n1,x.JPEG,3\n2,a.JPEG,999\n");
  const std::map<std::string, fs::path> jpegs = {{"a.JPEG", dir.path() / "a.JPEG"},
                                                 {"b.JPEG", dir.path() / "b.JPEG"}};
  const ImageSet images = read_imagenet_val_jpegs(dir.path() / "labels.csv", jpegs);
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images.labels, (std::vector<std::int64_t>{7, 999}));  // in row order
  EXPECT_EQ(images.height, 16);
  EXPECT_EQ(images.width, 24);
  EXPECT_TRUE(images.resample);
  const std::size_t plane = 16 * 24;
  // Planar RGB, JPEG rounding within a few levels.
  EXPECT_NEAR(images.pixels[0], 10, 3);
  EXPECT_NEAR(images.pixels[plane * 2 + 5], 30, 3);
  EXPECT_NEAR(images.pixels[plane * 3], 200, 3);
  EXPECT_NEAR(images.pixels[plane * 3 + plane + 7], 100, 3);

  // A label out of range, a JPEG without a row, a damaged JPEG, a second size.
  testing::write_file(dir.path() / "bad.csv", "source_file,in1k_label\na.JPEG,1000\nb.JPEG,1\n");
  EXPECT_THAT(
      testing::error_message([&] { read_imagenet_val_jpegs(dir.path() / "bad.csv", jpegs); }),
      HasSubstr("bad.csv line 2: in1k_label 1000 is not in 0..999"));
  testing::write_file(dir.path() / "one.csv", "source_file,in1k_label\na.JPEG,1\n");
  EXPECT_THAT(
      testing::error_message([&] { read_imagenet_val_jpegs(dir.path() / "one.csv", jpegs); }),
      HasSubstr("no row for the JPEG 'b.JPEG'"));
  const std::string good = solid_jpeg(16, 24, {1, 2, 3});
  testing::write_file(dir.path() / "b.JPEG", good.substr(0, 40));
  EXPECT_THAT(
      testing::error_message([&] { read_imagenet_val_jpegs(dir.path() / "labels.csv", jpegs); }),
      HasSubstr("b.JPEG: cannot decode the JPEG"));
  testing::write_file(dir.path() / "b.JPEG", "not a jpeg at all");
  EXPECT_THAT(
      testing::error_message([&] { read_imagenet_val_jpegs(dir.path() / "labels.csv", jpegs); }),
      HasSubstr("b.JPEG: cannot decode the JPEG"));
  testing::write_file(dir.path() / "b.JPEG", solid_jpeg(8, 8, {1, 2, 3}));
  EXPECT_THAT(
      testing::error_message([&] { read_imagenet_val_jpegs(dir.path() / "labels.csv", jpegs); }),
      HasSubstr("a.JPEG: 16x24 pixels, but the set's first image has 8x8"));
}

// A resampled set of one 3x6x6 image whose 2x2 grid cells hold 10 * cell + channel.
ImageSet grid_set() {
  ImageSet images;
  images.name = "grid";
  images.channels = 3;
  images.height = images.width = 6;
  images.num_classes = 1000;
  images.resample = true;
  images.mean = {0, 0, 0};
  images.std = {1, 1, 1};
  for (int c = 0; c < 3; ++c) {
    for (int y = 0; y < 6; ++y) {
      for (int x = 0; x < 6; ++x) images.pixels.push_back((y / 2 * 3 + x / 2) * 10 + c);
    }
  }
  images.labels = {5};
  return images;
}

TEST(Images, BatchLayoutsAndJigsawTiles) {
  const ImageSet images = grid_set();
  EXPECT_EQ(batch_layout(images, task_of("imagenet", 1000, 4)).fit, ImageFit::kResizeCrop);
  const BatchLayout scene = batch_layout(images, task_of("class_scene", 63, 4));
  EXPECT_EQ(scene.fit, ImageFit::kResize);
  EXPECT_EQ(scene.uniform_labels, 63);
  EXPECT_EQ(batch_layout(images, task_of("normal", 3, 4, "l1")).uniform_labels, 0);
  EXPECT_EQ(batch_layout(images, task_of("same", 1000, 6)).fit, ImageFit::kExact);
  const BatchLayout jigsaw = batch_layout(images, task_of("jigsaw", 1000, 2));
  EXPECT_EQ(jigsaw.fit, ImageFit::kJigsaw);
  EXPECT_EQ(jigsaw.permutations, 1000);

  // Tiles at their own size (resampling 6 -> 6 is the identity): tile k is cell permutation[k].
  const Batch tiles = sample_batch(images, 1, 3, jigsaw);
  EXPECT_EQ(tiles.channels, 27);
  EXPECT_EQ(tiles.height, 2);
  ASSERT_EQ(tiles.pixels.size(), 27u * 4u);
  ASSERT_GE(tiles.labels[0], 0);
  ASSERT_LT(tiles.labels[0], 1000);
  std::set<int> cells;
  for (int tile = 0; tile < 9; ++tile) {
    const int cell = static_cast<int>(tiles.pixels[tile * 12] * 255.0f + 0.5f) / 10;
    cells.insert(cell);
    for (int c = 0; c < 3; ++c) {
      for (int p = 0; p < 4; ++p) {
        EXPECT_NEAR(tiles.pixels[(tile * 3 + c) * 4 + p] * 255.0f, cell * 10 + c, 1e-3);
      }
    }
  }
  EXPECT_EQ(cells.size(), 9u);  // a permutation of the 9 cells
  // One permutation: rank 0, the identity.
  BatchLayout identity = jigsaw;
  identity.permutations = 1;
  const Batch ordered = sample_batch(images, 1, 3, identity);
  EXPECT_EQ(ordered.labels[0], 0);
  for (int tile = 0; tile < 9; ++tile) {
    EXPECT_NEAR(ordered.pixels[tile * 12] * 255.0f, tile * 10, 1e-3);
  }

  // A uniform image stays uniform through resize and crop; sizes are the task's.
  ImageSet flat = images;
  std::fill(flat.pixels.begin(), flat.pixels.end(), 51);
  const Batch cropped = sample_batch(flat, 1, 0, batch_layout(flat, task_of("imagenet", 1000, 4)));
  EXPECT_EQ(cropped.height, 4);
  ASSERT_EQ(cropped.pixels.size(), 3u * 16u);
  for (float value : cropped.pixels) EXPECT_NEAR(value, 0.2f, 1e-6);
  const Batch scene_batch = sample_batch(flat, 1, 0, scene);
  EXPECT_EQ(scene_batch.pixels.size(), 3u * 16u);
  EXPECT_LT(scene_batch.labels[0], 63);
  EXPECT_EQ(scene_batch.labels, sample_batch(flat, 1, 0, scene).labels);  // seeded

  // A fixed-size set cannot serve another size.
  ImageSet fixed = images;
  fixed.resample = false;
  EXPECT_THAT(testing::error_message([&] { batch_layout(fixed, task_of("c", 10, 4)); }),
              HasSubstr("gives 3x6x6 images but task 'c' expects 3x4x4"));
  EXPECT_THAT(testing::error_message([&] { batch_layout(fixed, task_of("jigsaw", 1000, 2)); }),
              HasSubstr("tiles"));
}

TEST(Images, ImagenetValFromMirror) {
  ZCB_REQUIRE_MIRROR(mirror);
  const ImageSet images = load_image_source("imagenet-val-227-approx", mirror_images(mirror));
  EXPECT_EQ(images.name, "imagenet-val-227-approx");
  ASSERT_EQ(images.size(), 256u);
  EXPECT_EQ(images.height, 227);
  EXPECT_EQ(images.width, 227);
  EXPECT_EQ(images.labels[0], 238);  // labels.csv row 0: ILSVRC2012_val_00000347, canoe
  EXPECT_GE(*std::min_element(images.labels.begin(), images.labels.end()), 0);
  EXPECT_LE(*std::max_element(images.labels.begin(), images.labels.end()), 999);
  // NDS ImageNet (224, eval transform), TransNAS (256, resize), jigsaw (9 tiles of 64).
  const Batch nds =
      sample_batch(images, 4, 11, batch_layout(images, task_of("imagenet", 1000, 224)));
  EXPECT_EQ(nds.pixels.size(), 4u * 3u * 224u * 224u);
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(nds.labels[i], images.labels[static_cast<std::size_t>(nds.indices[i])]);
  }
  const Batch tnb =
      sample_batch(images, 2, 11, batch_layout(images, task_of("class_object", 100, 256)));
  EXPECT_EQ(tnb.pixels.size(), 2u * 3u * 256u * 256u);
  EXPECT_EQ(tnb.indices, std::vector<std::int64_t>(nds.indices.begin(), nds.indices.begin() + 2));
  const Batch jigsaw =
      sample_batch(images, 2, 11, batch_layout(images, task_of("jigsaw", 1000, 64)));
  EXPECT_EQ(jigsaw.channels, 27);
  EXPECT_EQ(jigsaw.pixels.size(), 2u * 27u * 64u * 64u);
  double sum = 0.0;
  for (float value : nds.pixels) sum += value;
  EXPECT_TRUE(std::isfinite(sum));
  EXPECT_LT(std::abs(sum / nds.pixels.size()), 1.5);  // normalised: roughly centred
}

TEST(Images, ImageSources) {
  EXPECT_EQ(image_source_names(), (std::vector<std::string>{"cifar10", "imagenet-val-227-approx",
                                                            "imagenet16-120-approx"}));
  EXPECT_THAT(testing::error_message([] { load_image_source("cifar100", {}); }),
              HasSubstr("unknown image source 'cifar100'; known image sources: cifar10, "
                        "imagenet-val-227-approx, imagenet16-120-approx"));
  const std::vector<std::string> manifest = {"cifar10_data_batch_1_first1000.bin",
                                             "imagenet16_120_subset_158.bin",
                                             "imagenet_val_227_labels.csv", "a.JPEG", "b.JPEG"};
  EXPECT_EQ(image_source_files("cifar10", manifest),
            (std::vector<std::string>{"cifar10_data_batch_1_first1000.bin"}));
  EXPECT_EQ(image_source_files("imagenet-val-227-approx", manifest),
            (std::vector<std::string>{"imagenet_val_227_labels.csv", "a.JPEG", "b.JPEG"}));
  EXPECT_THROW(image_source_files("cifar100", manifest), Error);
  std::map<std::string, std::filesystem::path> files;
  for (const std::string& name : manifest) files[name] = "/mirror/" + name;
  EXPECT_EQ(
      image_files_for_source("cifar10", files),
      (std::map<std::string, std::filesystem::path>{
          {"cifar10_data_batch_1_first1000.bin", "/mirror/cifar10_data_batch_1_first1000.bin"}}));
  EXPECT_EQ(image_files_for_source("imagenet-val-227-approx", files).size(), 3u);
  EXPECT_EQ(image_files_for_source("cifar100", files), files);  // the load names the problem
  EXPECT_THAT(testing::error_message([] { load_image_source("cifar10", {}); }),
              HasSubstr("needs the file 'cifar10_data_batch_1_first1000.bin'"));
}

}  // namespace
}  // namespace zcb::data
