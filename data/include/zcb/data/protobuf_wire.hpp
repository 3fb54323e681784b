/// @file protobuf_wire.hpp
/// @brief A small hand-written reader and writer of the protocol-buffers wire format
/// (https://protobuf.dev/programming-guides/encoding/), enough to decode known messages
/// without protoc: varints, 64-bit and 32-bit fixed fields, length-delimited fields, and
/// skipping of unknown fields. Groups (wire types 3 and 4, deprecated) are rejected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace zcb::data::protobuf {

/// Wire types of the encoding.
enum class WireType : std::uint8_t {
  kVarint = 0,
  kFixed64 = 1,
  kLengthDelimited = 2,
  kStartGroup = 3,
  kEndGroup = 4,
  kFixed32 = 5,
};

/// A field key: field number and wire type.
struct FieldKey {
  std::uint32_t number = 0;
  WireType type = WireType::kVarint;
};

/// Reads fields of one message from a byte buffer (not owned). Every read checks bounds;
/// malformed input throws zcb::Error naming the message (`what`) and the byte offset within it.
class Reader {
 public:
  /// @p bytes is the serialized message; @p what names it in errors (e.g. "ModelMetrics of
  /// record 12").
  Reader(std::string_view bytes, std::string what);

  /// True when every byte has been consumed.
  bool done() const { return position_ >= bytes_.size(); }

  /// Byte offset of the next read.
  std::size_t position() const { return position_; }

  /// Reads the next field key. Throws on a field number 0 or above 2^29 - 1, and on wire types
  /// 3, 4, 6 and 7.
  FieldKey next_key();

  /// Reads a varint (at most 10 bytes; the tenth may only carry the top bit).
  std::uint64_t read_varint();

  /// Reads 8 little-endian bytes as a double (IEEE-754 bits).
  double read_double();

  /// Reads 8 little-endian bytes.
  std::uint64_t read_fixed64();

  /// Reads 4 little-endian bytes.
  std::uint32_t read_fixed32();

  /// Reads a length-delimited payload (the view points into the buffer).
  std::string_view read_length_delimited();

  /// Reads a varint that must be an int32 (negative values are 10-byte sign-extended varints).
  std::int32_t read_int32();

  /// Skips the value of a field of type @p type.
  void skip(WireType type);

  /// Throws unless @p key has wire type @p expected (names @p field in the message).
  void expect(const FieldKey& key, WireType expected, const std::string& field) const;

 private:
  [[noreturn]] void fail(std::size_t at, const std::string& problem) const;
  void need(std::size_t count, const std::string& what) const;

  std::string_view bytes_;
  std::string what_;
  std::size_t position_ = 0;
};

/// Builds a message in the wire format (for fixtures, tests and fuzz seeds).
class Writer {
 public:
  void varint_field(std::uint32_t number, std::uint64_t value);
  void int32_field(std::uint32_t number, std::int32_t value);
  void double_field(std::uint32_t number, double value);
  void fixed32_field(std::uint32_t number, std::uint32_t value);
  void bytes_field(std::uint32_t number, std::string_view value);

  /// The bytes written so far.
  const std::string& bytes() const { return bytes_; }

 private:
  void key(std::uint32_t number, WireType type);
  void varint(std::uint64_t value);

  std::string bytes_;
};

}  // namespace zcb::data::protobuf
