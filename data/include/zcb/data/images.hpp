/// @file images.hpp
/// @brief Image sets for data-dependent proxies: readers for the CIFAR-10 binary and
/// ImageNet16 record formats and for ImageNet validation JPEGs, normalisation as the benchmarks'
/// training used it, and a portable seeded batch sampler that fits images to a task's input.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "zcb/task.hpp"

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
  int num_classes = 0;  ///< size of the label space the labels come from (e.g. 1000 for ImageNet)
  /// true: a larger native resolution that sample_batch() resamples to any task input size;
  /// false: only tasks of exactly this size can use the set.
  bool resample = false;

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

/// Decodes baseline or progressive JPEG @p bytes (3-component colour or greyscale, which is
/// replicated to 3 channels) with libjpeg into planar RGB bytes; @p source names the data in
/// messages. Sets @p height and @p width. Throws zcb::Error naming @p source and libjpeg's
/// message when the data is not a decodable JPEG, and refuses images over 4096 pixels a side.
std::vector<std::uint8_t> decode_jpeg(const std::vector<std::uint8_t>& bytes,
                                      const std::string& source, int& height, int& width);

/// Reads ILSVRC2012 validation JPEGs: @p labels_csv has the columns `source_file` (a JPEG name)
/// and `in1k_label` (0..999); @p jpegs maps JPEG names to their paths. Every JPEG of @p jpegs
/// must have a row and all must have one size; the set holds them in the order of the rows.
/// ImageNet normalisation (torchvision's mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225)),
/// num_classes 1000, resample true. Throws zcb::Error naming the file (and the CSV line) when a
/// JPEG has no row, a label is out of range, a JPEG cannot be decoded or differs in size.
ImageSet read_imagenet_val_jpegs(const std::filesystem::path& labels_csv,
                                 const std::map<std::string, std::filesystem::path>& jpegs);

/// How sample_batch() turns an image into a task input.
enum class ImageFit {
  kExact,  ///< the image as stored (the task's input size is the set's)
  /// bilinear resize to the task's height x width
  kResize,
  /// the standard ImageNet evaluation transform: bilinear resize to height * 256 / 224 (and
  /// width likewise), then the centre height x width crop
  kResizeCrop,
  /// jigsaw puzzle: bilinear resize to 3 height x 3 width, cut into a 3x3 grid of tiles, tiles
  /// shuffled by a permutation whose index is the label; tile k fills channels 3k..3k+2
  kJigsaw,
};

/// Shape of the batches for one task. The label rule: jigsaw labels are permutation indices in
/// 0..permutations-1 drawn from the seed; otherwise, when uniform_labels > 0, class labels drawn
/// uniformly in 0..uniform_labels-1 from the seed; otherwise the images' own labels.
struct BatchLayout {
  ImageFit fit = ImageFit::kExact;
  int height = 0;  ///< output height (one tile for kJigsaw)
  int width = 0;   ///< output width (one tile for kJigsaw)
  int permutations = 0;
  int uniform_labels = 0;
};

/// The layout of @p task's batches from @p images: kJigsaw for the task "jigsaw" (its height and
/// width are one tile, num_classes the number of permutations); kExact when the sizes match;
/// else, for a resampled set, kResizeCrop when the task classifies the set's own labels
/// (num_classes equal: ImageNet evaluation) and kResize otherwise. Cross-entropy tasks with
/// fewer classes than the set's label space get uniform labels (the set's labels are not theirs);
/// tasks that reuse a smaller label space (NB201 CIFAR-100 on CIFAR-10 images) keep the images'.
/// Throws zcb::Error when the sizes differ and the set is not resampled.
BatchLayout batch_layout(const ImageSet& images, const TaskInfo& task);

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

/// As sample_batch(images, batch_size, seed), the images fitted by @p layout (see ImageFit;
/// resampling is done on the drawn images only, on values 0..255, before normalising) and the
/// labels chosen by its label rule from a generator seeded with seed + 1. Throws zcb::Error as
/// sample_batch() and when @p layout asks a non-resampled set for another size.
Batch sample_batch(const ImageSet& images, int batch_size, std::uint64_t seed,
                   const BatchLayout& layout);

/// The image set called @p image_source (a task's TaskInfo::image_source): "cifar10" reads
/// `cifar10_data_batch_1_first1000.bin`, "imagenet16-120-approx" reads
/// `imagenet16_120_subset_158.bin`, "imagenet-val-227-approx" reads `imagenet_val_227_labels.csv`
/// and every `*.JPEG` (read_imagenet_val_jpegs()), all from @p image_files (name -> path, as
/// returned by fetch_benchmark() for the `images` manifest). Throws zcb::Error listing the known
/// sources when @p image_source is unknown, or naming the file when it is not in @p image_files.
ImageSet load_image_source(const std::string& image_source,
                           const std::map<std::string, std::filesystem::path>& image_files);

/// @p image_files (name -> path, the whole `images` manifest) cut to the files that
/// load_image_source(@p image_source, ...) reads; all of them for an unknown source, whose
/// load then fails with the usual message. A job carries only these: the whole manifest holds
/// 1,300 ImageNet JPEG paths, about 150 kB a job in memory and on the wire.
std::map<std::string, std::filesystem::path> image_files_for_source(
    const std::string& image_source,
    const std::map<std::string, std::filesystem::path>& image_files);

/// The names among @p manifest_files (file names of the `images` manifest) that
/// load_image_source(@p image_source, ...) reads. Throws zcb::Error for an unknown source.
std::vector<std::string> image_source_files(const std::string& image_source,
                                            const std::vector<std::string>& manifest_files);

/// Names load_image_source() knows, sorted.
std::vector<std::string> image_source_names();

}  // namespace zcb::data
