/// @file images.hpp
/// @brief Image sets for data-dependent proxies: readers for the CIFAR-10 binary and
/// ImageNet16 record formats, normalisation as NAS-Bench-201 training used it, and a portable
/// seeded batch sampler.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace zcb::data {

/// Images of one source, stored as read: per image C*H*W bytes, planar (all of R, then G, B).
struct ImageSet {
  std::string name;  ///< image source name, e.g. "cifar10"
  int channels = 0;
  int height = 0;
  int width = 0;
  std::vector<std::uint8_t> pixels;  ///< size() * channels * height * width bytes
  std::vector<std::int64_t> labels;  ///< one per image
  std::array<float, 3> mean{};       ///< per-channel mean of pixel / 255 used to normalise
  std::array<float, 3> std{};        ///< per-channel standard deviation of pixel / 255

  /// Number of images.
  std::size_t size() const;
};

/// Reads the official CIFAR-10 binary format: records of 1 label byte (0..9) then 1024 R,
/// 1024 G and 1024 B bytes, each plane row-major 32x32. Sets the CIFAR normalisation of
/// NAS-Bench-201 (xautodl): mean (125.3, 123.0, 113.9) / 255, std (63.0, 62.1, 66.7) / 255.
/// Throws zcb::Error naming the file (and the byte offset) when it is missing, empty, not a
/// whole number of 3073-byte records, or holds a label above 9.
ImageSet read_cifar10_binary(const std::filesystem::path& path);

/// Reads ImageNet16-120 records: 1 label byte (0..119) then 256 R, 256 G and 256 B bytes
/// (16x16 planes). Sets the ImageNet16 normalisation of NAS-Bench-201 (xautodl): mean (122.68,
/// 116.66, 104.01) / 255, std (63.22, 61.26, 65.09) / 255. Errors as read_cifar10_binary(),
/// with 769-byte records and labels 0..119.
ImageSet read_imagenet16_records(const std::filesystem::path& path);

/// A normalised batch, ready to become an NCHW float tensor.
struct Batch {
  int n = 0;
  int channels = 0;
  int height = 0;
  int width = 0;
  std::vector<float> pixels;          ///< n*C*H*W values (pixel / 255 - mean) / std, NCHW
  std::vector<std::int64_t> labels;   ///< one per image
  std::vector<std::int64_t> indices;  ///< which images of the set, in draw order
};

/// @p count distinct indices of 0..population-1 in draw order: a partial Fisher-Yates shuffle
/// driven by xoshiro256** seeded through splitmix64 from @p seed, with bounded integers by
/// rejection sampling. Identical on every platform and standard library (no std
/// distributions). Throws zcb::Error if @p count > @p population.
std::vector<std::int64_t> sample_indices(std::size_t population, std::size_t count,
                                         std::uint64_t seed);

/// @p batch_size distinct images of @p images chosen by sample_indices(size, batch_size,
/// seed), normalised with the set's mean and std. Throws zcb::Error if @p batch_size is not
/// positive or exceeds the number of images.
Batch sample_batch(const ImageSet& images, int batch_size, std::uint64_t seed);

/// The image set called @p image_source (a task's TaskInfo::image_source): "cifar10" reads
/// `cifar10_data_batch_1_first1000.bin`, "imagenet16-120-approx" reads
/// `imagenet16_120_subset_158.bin`, both from @p image_files (name -> path, as returned by
/// fetch_benchmark() for the `images` manifest). Throws zcb::Error listing the known sources
/// when @p image_source is unknown, or naming the file when it is not in @p image_files.
ImageSet load_image_source(const std::string& image_source,
                           const std::map<std::string, std::filesystem::path>& image_files);

/// Names load_image_source() knows, sorted.
std::vector<std::string> image_source_names();

}  // namespace zcb::data
