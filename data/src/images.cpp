#include "zcb/data/images.hpp"

#include <jpeglib.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <numeric>

#include "zcb/data/csv.hpp"
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
  images.num_classes = format.num_classes;
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
constexpr const char* kImagenetValSource = "imagenet-val-227-approx";
constexpr const char* kImagenetValLabels = "imagenet_val_227_labels.csv";
constexpr int kMaxJpegSide = 4096;
constexpr int kJigsawGrid = 3;

std::vector<std::uint8_t> read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path.string() + ": cannot open the file; re-fetch it");
  std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(path.string() + ": read error");
  return bytes;
}

// libjpeg reports fatal errors through error_exit, which must not return: jump back to the
// decoder's frame (only C frames lie between, so no destructor is skipped).
struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr info) {
  auto* manager = reinterpret_cast<JpegErrorManager*>(info->err);
  (*info->err->format_message)(info, manager->message);
  std::longjmp(manager->jump, 1);
}

// Warnings are corrupt-data reports (e.g. a truncated scan that libjpeg would fill with grey):
// the file is damaged, so they fail too. Trace messages (level > 0) are ignored.
void jpeg_warning_fails(j_common_ptr info, int level) {
  if (level < 0) jpeg_error_exit(info);
}

// Decodes into @p pixels (interleaved RGB); returns an empty string or the error text. Keeps C++
// objects with destructors out of the frame that setjmp returns to twice.
std::string decode_jpeg_rgb(const std::vector<std::uint8_t>& bytes,
                            std::vector<std::uint8_t>& pixels, int& height, int& width) {
  jpeg_decompress_struct info;
  JpegErrorManager errors;
  info.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = jpeg_error_exit;
  errors.base.emit_message = jpeg_warning_fails;
  if (setjmp(errors.jump) != 0) {
    jpeg_destroy_decompress(&info);
    return errors.message;
  }
  jpeg_create_decompress(&info);
  jpeg_mem_src(&info, bytes.data(), static_cast<unsigned long>(bytes.size()));
  if (jpeg_read_header(&info, TRUE) != JPEG_HEADER_OK) {
    jpeg_destroy_decompress(&info);
    return "no JPEG image in the data";
  }
  if (info.image_width == 0 || info.image_height == 0 || info.image_width > kMaxJpegSide ||
      info.image_height > kMaxJpegSide) {
    jpeg_destroy_decompress(&info);
    return "image size " + std::to_string(info.image_width) + "x" +
           std::to_string(info.image_height) + " is not in 1.." + std::to_string(kMaxJpegSide);
  }
  info.out_color_space = JCS_RGB;  // libjpeg converts greyscale and YCbCr
  jpeg_start_decompress(&info);
  height = static_cast<int>(info.output_height);
  width = static_cast<int>(info.output_width);
  pixels.assign(static_cast<std::size_t>(height) * width * 3, 0);
  while (info.output_scanline < info.output_height) {
    JSAMPROW row = pixels.data() + static_cast<std::size_t>(info.output_scanline) * width * 3;
    jpeg_read_scanlines(&info, &row, 1);
  }
  jpeg_finish_decompress(&info);
  jpeg_destroy_decompress(&info);
  return "";
}

// Bilinear resampling of one planar uint8 image with half-pixel centres and edge clamping
// (torch.nn.functional.interpolate(mode="bilinear", align_corners=False) without antialiasing).
std::vector<float> resize_bilinear(const std::uint8_t* image, int channels, int height, int width,
                                   int out_height, int out_width) {
  std::vector<float> out(static_cast<std::size_t>(channels) * out_height * out_width);
  const double scale_y = static_cast<double>(height) / out_height;
  const double scale_x = static_cast<double>(width) / out_width;
  const auto source = [](int i, double scale, int size, int& low, int& high, float& weight) {
    const double position = std::max(0.0, (i + 0.5) * scale - 0.5);
    low = std::min(static_cast<int>(position), size - 1);
    high = std::min(low + 1, size - 1);
    weight = static_cast<float>(position - low);
  };
  for (int y = 0; y < out_height; ++y) {
    int y0, y1;
    float wy;
    source(y, scale_y, height, y0, y1, wy);
    for (int x = 0; x < out_width; ++x) {
      int x0, x1;
      float wx;
      source(x, scale_x, width, x0, x1, wx);
      for (int c = 0; c < channels; ++c) {
        const std::uint8_t* plane = image + static_cast<std::size_t>(c) * height * width;
        const auto at = [&](int row, int column) {
          return static_cast<float>(plane[static_cast<std::size_t>(row) * width + column]);
        };
        const float top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * wx;
        const float bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * wx;
        out[(static_cast<std::size_t>(c) * out_height + y) * out_width + x] =
            top + (bottom - top) * wy;
      }
    }
  }
  return out;
}

// The centre out_height x out_width window of a planar float image (torchvision center_crop's
// rounding of the offsets).
std::vector<float> centre_crop(const std::vector<float>& image, int channels, int height, int width,
                               int out_height, int out_width) {
  const int top = static_cast<int>(std::lround((height - out_height) / 2.0));
  const int left = static_cast<int>(std::lround((width - out_width) / 2.0));
  std::vector<float> out;
  out.reserve(static_cast<std::size_t>(channels) * out_height * out_width);
  for (int c = 0; c < channels; ++c) {
    for (int y = 0; y < out_height; ++y) {
      const auto row =
          image.begin() + (static_cast<std::size_t>(c) * height + top + y) * width + left;
      out.insert(out.end(), row, row + out_width);
    }
  }
  return out;
}

// The @p rank-th permutation of 0..8 in lexicographic order (factorial number system).
std::array<int, 9> permutation_of_rank(std::uint64_t rank) {
  std::vector<int> left = {0, 1, 2, 3, 4, 5, 6, 7, 8};
  std::array<int, 9> permutation{};
  std::uint64_t factorial = 40320;  // 8!
  for (int i = 0; i < 9; ++i) {
    const std::uint64_t digit = rank / factorial;
    rank %= factorial;
    permutation[i] = left[digit];
    left.erase(left.begin() + static_cast<std::ptrdiff_t>(digit));
    if (i < 8) factorial /= static_cast<std::uint64_t>(8 - i);
  }
  return permutation;
}

}  // namespace

std::size_t ImageSet::size() const { return labels.size(); }

ImageSet read_cifar10_binary(const fs::path& path) { return read_records(path, kCifar10); }

ImageSet read_imagenet16_records(const fs::path& path) { return read_records(path, kImagenet16); }

std::vector<std::uint8_t> decode_jpeg(const std::vector<std::uint8_t>& bytes,
                                      const std::string& source, int& height, int& width) {
  if (bytes.empty()) throw Error(source + ": empty file, not a JPEG; re-fetch it");
  std::vector<std::uint8_t> interleaved;
  const std::string failure = decode_jpeg_rgb(bytes, interleaved, height, width);
  if (!failure.empty()) {
    throw Error(source + ": cannot decode the JPEG (" + failure +
                "); the file is damaged or not a JPEG: re-fetch it");
  }
  const std::size_t plane = static_cast<std::size_t>(height) * width;
  std::vector<std::uint8_t> planar(plane * 3);
  for (std::size_t p = 0; p < plane; ++p) {
    for (int c = 0; c < 3; ++c) planar[c * plane + p] = interleaved[p * 3 + c];
  }
  return planar;
}

ImageSet read_imagenet_val_jpegs(const fs::path& labels_csv,
                                 const std::map<std::string, fs::path>& jpegs) {
  const CsvTable table = read_csv(labels_csv);
  const std::size_t file_column = table.column("source_file");
  const std::size_t label_column = table.column("in1k_label");
  ImageSet images;
  images.channels = 3;
  images.num_classes = 1000;
  images.resample = true;
  // torchvision's ImageNet normalisation, as NDS and TransNAS-Bench-101 training used it.
  images.mean = {0.485f, 0.456f, 0.406f};
  images.std = {0.229f, 0.224f, 0.225f};
  std::size_t used = 0;
  for (std::size_t row = 0; row < table.rows.size(); ++row) {
    const auto found = jpegs.find(table.rows[row][file_column]);
    if (found == jpegs.end()) continue;
    const std::string where = labels_csv.string() + " line " + std::to_string(row + 2);
    const std::int64_t label = parse_int(table.rows[row][label_column], where + " in1k_label");
    if (label < 0 || label >= images.num_classes) {
      throw Error(where + ": in1k_label " + std::to_string(label) +
                  " is not in 0..999; re-fetch the labels file");
    }
    int height = 0;
    int width = 0;
    const std::vector<std::uint8_t> pixels =
        decode_jpeg(read_bytes(found->second), found->second.string(), height, width);
    if (used == 0) {
      images.height = height;
      images.width = width;
    } else if (height != images.height || width != images.width) {
      throw Error(found->second.string() + ": " + std::to_string(height) + "x" +
                  std::to_string(width) + " pixels, but the set's first image has " +
                  std::to_string(images.height) + "x" + std::to_string(images.width) +
                  "; re-fetch it");
    }
    images.pixels.insert(images.pixels.end(), pixels.begin(), pixels.end());
    images.labels.push_back(label);
    ++used;
  }
  if (used != jpegs.size()) {
    for (const auto& [name, path] : jpegs) {
      bool listed = false;
      for (const auto& row : table.rows) listed = listed || row[file_column] == name;
      if (!listed) {
        throw Error(labels_csv.string() + ": no row for the JPEG '" + name +
                    "'; the labels file does not belong to these images: re-fetch it");
      }
    }
  }
  if (used == 0) throw Error(labels_csv.string() + ": no JPEG images were given with it");
  return images;
}

BatchLayout batch_layout(const ImageSet& images, const TaskInfo& task) {
  BatchLayout layout;
  layout.height = task.height;
  layout.width = task.width;
  const bool same_size = task.channels == images.channels && task.height == images.height &&
                         task.width == images.width;
  const auto unfit = [&] {
    return Error("image source '" + images.name + "' gives " + std::to_string(images.channels) +
                 "x" + std::to_string(images.height) + "x" + std::to_string(images.width) +
                 " images but task '" + task.name + "' expects " + std::to_string(task.channels) +
                 "x" + std::to_string(task.height) + "x" + std::to_string(task.width) +
                 (task.name == "jigsaw" ? " tiles" : "") +
                 "; give the task an image source of its size or a resampled one");
  };
  if (task.channels != images.channels || task.height <= 0 || task.width <= 0) throw unfit();
  if (task.name == "jigsaw") {
    if (!images.resample) throw unfit();
    layout.fit = ImageFit::kJigsaw;
    layout.permutations = task.num_classes;
    return layout;
  }
  if (same_size) {
    layout.fit = ImageFit::kExact;
  } else if (!images.resample) {
    throw unfit();
  } else {
    layout.fit = task.num_classes == images.num_classes ? ImageFit::kResizeCrop : ImageFit::kResize;
  }
  if (task.loss == "cross_entropy" && task.num_classes < images.num_classes && images.resample) {
    layout.uniform_labels = task.num_classes;
  }
  return layout;
}

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

Batch sample_batch(const ImageSet& images, int batch_size, std::uint64_t seed,
                   const BatchLayout& layout) {
  if (layout.fit == ImageFit::kExact) {
    if (layout.height != images.height || layout.width != images.width) {
      throw Error("image set '" + images.name + "' is " + std::to_string(images.height) + "x" +
                  std::to_string(images.width) + ", not the " + std::to_string(layout.height) +
                  "x" + std::to_string(layout.width) + " the batch asks for");
    }
  } else if (!images.resample || layout.height <= 0 || layout.width <= 0 ||
             layout.height > kMaxJpegSide || layout.width > kMaxJpegSide) {
    throw Error("image set '" + images.name + "' cannot be resampled to " +
                std::to_string(layout.height) + "x" + std::to_string(layout.width));
  }
  if (layout.fit == ImageFit::kJigsaw &&
      (layout.permutations <= 0 || layout.permutations > 362880)) {
    throw Error("jigsaw batch: " + std::to_string(layout.permutations) +
                " permutations is not in 1..362880 (9!)");
  }
  Batch batch = sample_batch(images, batch_size, seed);
  PortableRng label_random(seed + 1);
  if (layout.fit == ImageFit::kJigsaw) {
    for (auto& label : batch.labels) {
      label = static_cast<std::int64_t>(label_random.below(layout.permutations));
    }
  } else if (layout.uniform_labels > 0) {
    for (auto& label : batch.labels) {
      label = static_cast<std::int64_t>(label_random.below(layout.uniform_labels));
    }
  }
  if (layout.fit == ImageFit::kExact) return batch;

  const int channels = images.channels;
  const std::size_t image_bytes = static_cast<std::size_t>(channels) * images.height * images.width;
  const int out_channels = layout.fit == ImageFit::kJigsaw ? channels * 9 : channels;
  const std::size_t out_plane = static_cast<std::size_t>(layout.height) * layout.width;
  std::vector<float> pixels;
  pixels.reserve(batch.indices.size() * out_channels * out_plane);
  for (std::size_t i = 0; i < batch.indices.size(); ++i) {
    const std::uint8_t* image =
        images.pixels.data() + static_cast<std::size_t>(batch.indices[i]) * image_bytes;
    std::vector<float> fitted;
    if (layout.fit == ImageFit::kResize) {
      fitted = resize_bilinear(image, channels, images.height, images.width, layout.height,
                               layout.width);
    } else if (layout.fit == ImageFit::kResizeCrop) {
      const int height = static_cast<int>(std::lround(layout.height * 256.0 / 224.0));
      const int width = static_cast<int>(std::lround(layout.width * 256.0 / 224.0));
      fitted =
          centre_crop(resize_bilinear(image, channels, images.height, images.width, height, width),
                      channels, height, width, layout.height, layout.width);
    } else {
      // Output tile k is grid tile permutation[k] (row-major grid), 9! / permutations ranks
      // apart so the permutations spread over all of them.
      const int grid_height = layout.height * kJigsawGrid;
      const int grid_width = layout.width * kJigsawGrid;
      const std::vector<float> grid =
          resize_bilinear(image, channels, images.height, images.width, grid_height, grid_width);
      const std::array<int, 9> permutation = permutation_of_rank(
          static_cast<std::uint64_t>(batch.labels[i]) * (362880 / layout.permutations));
      fitted.reserve(out_channels * out_plane);
      for (int tile = 0; tile < 9; ++tile) {
        const int top = permutation[tile] / kJigsawGrid * layout.height;
        const int left = permutation[tile] % kJigsawGrid * layout.width;
        for (int c = 0; c < channels; ++c) {
          for (int y = 0; y < layout.height; ++y) {
            const auto row = grid.begin() +
                             (static_cast<std::size_t>(c) * grid_height + top + y) * grid_width +
                             left;
            fitted.insert(fitted.end(), row, row + layout.width);
          }
        }
      }
    }
    for (std::size_t k = 0; k < fitted.size(); ++k) {
      const int c = static_cast<int>(k / out_plane) % channels;
      const float value = fitted[k] / 255.0f;
      pixels.push_back((value - images.mean[c]) / images.std[c]);
    }
  }
  batch.channels = out_channels;
  batch.height = layout.height;
  batch.width = layout.width;
  batch.pixels = std::move(pixels);
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
  } else if (image_source == kImagenetValSource) {
    std::map<std::string, fs::path> jpegs;
    for (const auto& [name, path] : image_files) {
      if (name.size() > 5 && name.compare(name.size() - 5, 5, ".JPEG") == 0) jpegs[name] = path;
    }
    images = read_imagenet_val_jpegs(file(kImagenetValLabels), jpegs);
  } else {
    std::string known;
    for (const auto& name : image_source_names()) known += (known.empty() ? "" : ", ") + name;
    throw Error("unknown image source '" + image_source + "'; known image sources: " + known);
  }
  images.name = image_source;
  return images;
}

std::vector<std::string> image_source_files(const std::string& image_source,
                                            const std::vector<std::string>& manifest_files) {
  std::map<std::string, fs::path> files;
  for (const auto& name : manifest_files) files[name] = name;
  std::vector<std::string> used;
  const auto take = [&](const std::string& name) {
    if (files.count(name) != 0) used.push_back(name);
  };
  if (image_source == kCifar10Source) {
    take("cifar10_data_batch_1_first1000.bin");
  } else if (image_source == kImagenet16Source) {
    take("imagenet16_120_subset_158.bin");
  } else if (image_source == kImagenetValSource) {
    take(kImagenetValLabels);
    for (const auto& [name, path] : files) {
      if (name.size() > 5 && name.compare(name.size() - 5, 5, ".JPEG") == 0) used.push_back(name);
    }
  } else {
    throw Error("unknown image source '" + image_source + "'");
  }
  return used;
}

std::map<std::string, fs::path> image_files_for_source(
    const std::string& image_source, const std::map<std::string, fs::path>& image_files) {
  std::vector<std::string> names;
  for (const auto& [name, path] : image_files) names.push_back(name);
  std::vector<std::string> used;
  try {
    used = image_source_files(image_source, names);
  } catch (const Error&) {
    return image_files;  // load_image_source reports the unknown source
  }
  std::map<std::string, fs::path> files;
  for (const std::string& name : used) files[name] = image_files.at(name);
  return files;
}

std::vector<std::string> image_source_names() {
  return {kCifar10Source, kImagenetValSource, kImagenet16Source};
}

}  // namespace zcb::data
