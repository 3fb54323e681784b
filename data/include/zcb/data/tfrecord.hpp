/// @file tfrecord.hpp
/// @brief Streaming reader (and a writer for fixtures) of the TFRecord container format, as
/// written by TensorFlow's `io/record_writer.cc` and read by `tf.python_io.tf_record_iterator`.
///
/// Each record is framed as
///
///     uint64 length            little-endian
///     uint32 masked_crc32c(length bytes)
///     byte   data[length]
///     uint32 masked_crc32c(data)
///
/// where `masked_crc32c(x) = rotate_right(crc32c(x), 15) + 0xa282ead8` (CRC-32C, Castagnoli
/// polynomial). The reader holds one record at a time, never the whole file, checks both CRCs,
/// and reports bad framing with the byte offset of the record.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <string_view>

namespace zcb::data {

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) of @p bytes, continuing from @p crc
/// (0 for a fresh checksum). `crc32c("123456789") == 0xE3069283`.
std::uint32_t crc32c(std::string_view bytes, std::uint32_t crc = 0);

/// TFRecord's masked CRC: `((crc >> 15) | (crc << 17)) + 0xa282ead8` of crc32c(@p bytes).
std::uint32_t masked_crc32c(std::string_view bytes);

/// Limits of the reader.
struct TfRecordOptions {
  /// Largest record accepted, in bytes; a larger length field is reported as corrupt framing
  /// (this also bounds the memory a corrupt length can make the reader allocate).
  std::uint64_t max_record_bytes = std::uint64_t{64} << 20;
};

/// Called once per record with the record's payload and the byte offset of its frame.
/// Returning false stops the scan early.
using TfRecordCallback = std::function<bool(std::string_view record, std::uint64_t frame_offset)>;

/// Reads records from @p in until its end, calling @p on_record for each. @p source names the
/// stream in errors. Returns the number of records passed to @p on_record.
///
/// Throws zcb::Error naming @p source and the frame offset when a frame is truncated (the
/// stream ends inside the 12-byte header, the payload or the footer CRC), when a length CRC or
/// a data CRC does not match, or when a length exceeds `options.max_record_bytes`. An empty
/// stream has zero records. Exceptions thrown by @p on_record pass through unchanged.
std::uint64_t read_tfrecords(std::istream& in, const std::string& source,
                             const TfRecordCallback& on_record,
                             const TfRecordOptions& options = {});

/// read_tfrecords() over the file at @p path (throws zcb::Error if it cannot be opened).
std::uint64_t read_tfrecord_file(const std::filesystem::path& path,
                                 const TfRecordCallback& on_record,
                                 const TfRecordOptions& options = {});

/// Appends one framed record holding @p data to @p out (what TensorFlow's RecordWriter writes
/// without compression). For test fixtures and tools.
void append_tfrecord(std::string& out, std::string_view data);

}  // namespace zcb::data
