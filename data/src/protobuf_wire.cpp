#include "zcb/data/protobuf_wire.hpp"

#include <cstring>
#include <utility>

#include "zcb/error.hpp"

namespace zcb::data::protobuf {
namespace {

constexpr std::uint64_t kMaxFieldNumber = (std::uint64_t{1} << 29) - 1;

const char* wire_type_name(WireType type) {
  switch (type) {
    case WireType::kVarint:
      return "varint";
    case WireType::kFixed64:
      return "64-bit";
    case WireType::kLengthDelimited:
      return "length-delimited";
    case WireType::kStartGroup:
      return "start-group";
    case WireType::kEndGroup:
      return "end-group";
    case WireType::kFixed32:
      return "32-bit";
  }
  return "unknown";
}

}  // namespace

Reader::Reader(std::string_view bytes, std::string what) : bytes_(bytes), what_(std::move(what)) {}

void Reader::fail(std::size_t at, const std::string& problem) const {
  throw Error(what_ + ": byte " + std::to_string(at) + " of " + std::to_string(bytes_.size()) +
              ": " + problem + "; the protobuf message is corrupt");
}

void Reader::need(std::size_t count, const std::string& what) const {
  if (bytes_.size() - position_ < count) {
    fail(position_, what + " needs " + std::to_string(count) + " bytes but only " +
                        std::to_string(bytes_.size() - position_) + " remain");
  }
}

std::uint64_t Reader::read_varint() {
  const std::size_t start = position_;
  std::uint64_t value = 0;
  for (int i = 0; i < 10; ++i) {
    if (position_ >= bytes_.size()) fail(start, "the message ends inside a varint");
    const auto byte = static_cast<unsigned char>(bytes_[position_++]);
    if (i == 9 && byte > 1) fail(start, "varint longer than 64 bits");
    value |= static_cast<std::uint64_t>(byte & 0x7fu) << (7 * i);
    if ((byte & 0x80u) == 0) return value;
  }
  fail(start, "varint longer than 10 bytes");
}

FieldKey Reader::next_key() {
  const std::size_t start = position_;
  const std::uint64_t key = read_varint();
  const std::uint64_t number = key >> 3;
  const auto type = static_cast<std::uint8_t>(key & 7u);
  if (number == 0 || number > kMaxFieldNumber) {
    fail(start, "invalid field number " + std::to_string(number));
  }
  if (type == 6 || type == 7) fail(start, "invalid wire type " + std::to_string(type));
  if (type == 3 || type == 4) fail(start, "groups (wire types 3 and 4) are not supported");
  return FieldKey{static_cast<std::uint32_t>(number), static_cast<WireType>(type)};
}

std::uint64_t Reader::read_fixed64() {
  need(8, "a 64-bit field");
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) {
    value =
        (value << 8) | static_cast<unsigned char>(bytes_[position_ + static_cast<std::size_t>(i)]);
  }
  position_ += 8;
  return value;
}

double Reader::read_double() {
  const std::uint64_t bits = read_fixed64();
  double value = 0.0;
  static_assert(sizeof(value) == sizeof(bits), "IEEE-754 binary64 expected");
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

std::uint32_t Reader::read_fixed32() {
  need(4, "a 32-bit field");
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) {
    value =
        (value << 8) | static_cast<unsigned char>(bytes_[position_ + static_cast<std::size_t>(i)]);
  }
  position_ += 4;
  return value;
}

std::string_view Reader::read_length_delimited() {
  const std::size_t start = position_;
  const std::uint64_t length = read_varint();
  if (length > bytes_.size() - position_) {
    fail(start, "length " + std::to_string(length) + " runs past the end of the message (" +
                    std::to_string(bytes_.size() - position_) + " bytes remain)");
  }
  const std::string_view value = bytes_.substr(position_, static_cast<std::size_t>(length));
  position_ += static_cast<std::size_t>(length);
  return value;
}

std::int32_t Reader::read_int32() {
  const std::size_t start = position_;
  const auto value = static_cast<std::int64_t>(read_varint());
  if (value < INT32_MIN || value > INT32_MAX) {
    fail(start, "int32 field out of range (" + std::to_string(value) + ")");
  }
  return static_cast<std::int32_t>(value);
}

void Reader::skip(WireType type) {
  switch (type) {
    case WireType::kVarint:
      read_varint();
      return;
    case WireType::kFixed64:
      read_fixed64();
      return;
    case WireType::kLengthDelimited:
      read_length_delimited();
      return;
    case WireType::kFixed32:
      read_fixed32();
      return;
    case WireType::kStartGroup:
    case WireType::kEndGroup:
      break;
  }
  fail(position_, "cannot skip a group");
}

void Reader::expect(const FieldKey& key, WireType expected, const std::string& field) const {
  if (key.type != expected) {
    fail(position_, "field " + std::to_string(key.number) + " (" + field + ") has wire type " +
                        wire_type_name(key.type) + ", expected " + wire_type_name(expected));
  }
}

void Writer::key(std::uint32_t number, WireType type) {
  varint((static_cast<std::uint64_t>(number) << 3) | static_cast<std::uint64_t>(type));
}

void Writer::varint(std::uint64_t value) {
  while (value >= 0x80u) {
    bytes_.push_back(static_cast<char>((value & 0x7fu) | 0x80u));
    value >>= 7;
  }
  bytes_.push_back(static_cast<char>(value));
}

void Writer::varint_field(std::uint32_t number, std::uint64_t value) {
  key(number, WireType::kVarint);
  varint(value);
}

void Writer::int32_field(std::uint32_t number, std::int32_t value) {
  // Negative int32 values are sign-extended to 64 bits, as protobuf does.
  varint_field(number, static_cast<std::uint64_t>(static_cast<std::int64_t>(value)));
}

void Writer::double_field(std::uint32_t number, double value) {
  key(number, WireType::kFixed64);
  std::uint64_t bits = 0;
  std::memcpy(&bits, &value, sizeof(bits));
  for (int i = 0; i < 8; ++i) bytes_.push_back(static_cast<char>((bits >> (8 * i)) & 0xffu));
}

void Writer::fixed32_field(std::uint32_t number, std::uint32_t value) {
  key(number, WireType::kFixed32);
  for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<char>((value >> (8 * i)) & 0xffu));
}

void Writer::bytes_field(std::uint32_t number, std::string_view value) {
  key(number, WireType::kLengthDelimited);
  varint(value.size());
  bytes_.append(value.data(), value.size());
}

}  // namespace zcb::data::protobuf
