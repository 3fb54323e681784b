#include "zcb/data/images.hpp"

#include <fstream>
#include <iterator>
#include <numeric>

#include "zcb/error.hpp"
#include "zcb/random.hpp"

namespace zcb::data {
namespace fs = std::filesystem;
namespace {

struct RecordFormat {
  const char* what;  // for messages
  int channels;
  int side;
  int num_classes;
  std::array<float, 3> mean;
  std::array<float, 3> std;
};

// x / 255 in double, then float: how Python computes the list and torch stores it.
constexpr float over_255(double x) { return static_cast<float>(x / 255); }

// Constants of xautodl (NAS-Bench-201's training code), so proxies see inputs scaled as the
// benchmark's networks were trained.
const RecordFormat kCifar10 = {"CIFAR-10 binary",
                               3,
                               32,
                               10,
                               {over_255(125.3), over_255(123.0), over_255(113.9)},
                               {over_255(63.0), over_255(62.1), over_255(66.7)}};
const RecordFormat kImagenet16 = {"ImageNet16-120 record",
                                  3,
                                  16,
                                  120,
                                  {over_255(122.68), over_255(116.66), over_255(104.01)},
                                  {over_255(63.22), over_255(61.26), over_255(65.09)}};

ImageSet read_records(const fs::path& path, const RecordFormat& format) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open " + format.what + " file");
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path.string() + ": read error");
  const std::size_t image_bytes =
      static_cast<std::size_t>(format.channels) * format.side * format.side;
  const std::size_t record = image_bytes + 1;
  if (bytes.empty()) throw Error(path.string() + ": empty " + format.what + " file; re-fetch it");
  if (bytes.size() % record != 0) {
    throw Error(path.string() + ": " + std::to_string(bytes.size()) +
                " bytes is not a whole number of " + std::to_string(record) + "-byte " +
                format.what + " records (the last record starts at offset " +
                std::to_string(bytes.size() / record * record) +
                "); the file is truncated or another format: re-fetch it");
  }
  ImageSet images;
  images.channels = format.channels;
  images.height = format.side;
  images.width = format.side;
  images.mean = format.mean;
  images.std = format.std;
  const std::size_t count = bytes.size() / record;
  images.pixels.reserve(count * image_bytes);
  images.labels.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t offset = i * record;
    const int label = static_cast<unsigned char>(bytes[offset]);
    if (label >= format.num_classes) {
      throw Error(path.string() + ": label " + std::to_string(label) + " at offset " +
                  std::to_string(offset) + " (record " + std::to_string(i) + ") is not in 0.." +
                  std::to_string(format.num_classes - 1) + "; this is not a " + format.what +
                  " file: re-fetch it");
    }
    images.labels.push_back(label);
    images.pixels.insert(images.pixels.end(), bytes.begin() + offset + 1,
                         bytes.begin() + offset + record);
  }
  return images;
}

constexpr const char* kCifar10Source = "cifar10";
constexpr const char* kImagenet16Source = "imagenet16-120-approx";

}  // namespace

std::size_t ImageSet::size() const { return labels.size(); }

ImageSet read_cifar10_binary(const fs::path& path) { return read_records(path, kCifar10); }

ImageSet read_imagenet16_records(const fs::path& path) { return read_records(path, kImagenet16); }

std::vector<std::int64_t> sample_indices(std::size_t population, std::size_t count,
                                         std::uint64_t seed) {
  if (count > population) {
    throw Error("cannot draw " + std::to_string(count) + " distinct items from " +
                std::to_string(population) + "; use a smaller batch");
  }
  std::vector<std::int64_t> order(population);
  std::iota(order.begin(), order.end(), 0);
  PortableRng random(seed);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t j = i + static_cast<std::size_t>(random.below(population - i));
    std::swap(order[i], order[j]);
  }
  order.resize(count);
  return order;
}

Batch sample_batch(const ImageSet& images, int batch_size, std::uint64_t seed) {
  if (batch_size <= 0 || static_cast<std::size_t>(batch_size) > images.size()) {
    throw Error("batch size " + std::to_string(batch_size) + " for image set '" + images.name +
                "' with " + std::to_string(images.size()) +
                " images; choose a batch size between 1 and the number of images");
  }
  Batch batch;
  batch.n = batch_size;
  batch.channels = images.channels;
  batch.height = images.height;
  batch.width = images.width;
  batch.indices = sample_indices(images.size(), static_cast<std::size_t>(batch_size), seed);
  const std::size_t plane = static_cast<std::size_t>(images.height) * images.width;
  const std::size_t image_bytes = plane * images.channels;
  batch.pixels.reserve(batch.indices.size() * image_bytes);
  for (const std::int64_t index : batch.indices) {
    const std::uint8_t* image =
        images.pixels.data() + static_cast<std::size_t>(index) * image_bytes;
    for (int c = 0; c < images.channels; ++c) {
      const float mean = images.mean[c];
      const float deviation = images.std[c];
      for (std::size_t p = 0; p < plane; ++p) {
        // ToTensor then Normalize, in float as torchvision does it.
        const float value = static_cast<float>(image[c * plane + p]) / 255.0f;
        batch.pixels.push_back((value - mean) / deviation);
      }
    }
    batch.labels.push_back(images.labels[static_cast<std::size_t>(index)]);
  }
  return batch;
}

ImageSet load_image_source(const std::string& image_source,
                           const std::map<std::string, fs::path>& image_files) {
  const auto file = [&](const std::string& name) {
    const auto it = image_files.find(name);
    if (it == image_files.end()) {
      throw Error("image source '" + image_source + "' needs the file '" + name +
                  "' of the 'images' manifest, which was not given; fetch the 'images' "
                  "benchmark first");
    }
    return it->second;
  };
  ImageSet images;
  if (image_source == kCifar10Source) {
    images = read_cifar10_binary(file("cifar10_data_batch_1_first1000.bin"));
  } else if (image_source == kImagenet16Source) {
    images = read_imagenet16_records(file("imagenet16_120_subset_158.bin"));
  } else {
    std::string known;
    for (const auto& name : image_source_names()) known += (known.empty() ? "" : ", ") + name;
    throw Error("unknown image source '" + image_source + "'; known image sources: " + known);
  }
  images.name = image_source;
  return images;
}

std::vector<std::string> image_source_names() { return {kCifar10Source, kImagenet16Source}; }

}  // namespace zcb::data
