#include "zcb/data/base64.hpp"

#include <array>

#include "zcb/error.hpp"

namespace zcb::data {
namespace {

constexpr const char* kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr int kInvalid = -1;

std::array<int, 256> make_decode_table() {
  std::array<int, 256> table{};
  table.fill(kInvalid);
  for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kAlphabet[i])] = i;
  return table;
}

std::string describe(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte >= 0x20 && byte < 0x7f) return std::string("'") + c + "'";
  static const char* digits = "0123456789abcdef";
  return std::string("byte 0x") + digits[byte >> 4] + digits[byte & 0xfu];
}

}  // namespace

std::string base64_decode(std::string_view text, const std::string& what) {
  static const std::array<int, 256> table = make_decode_table();
  const std::string fix = "; the base64 field is corrupt";
  if (text.size() % 4 != 0) {
    throw Error(what + ": base64 length " + std::to_string(text.size()) +
                " is not a multiple of 4" + fix);
  }
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  const std::size_t symbols = text.size() - padding;
  std::string bytes;
  bytes.reserve(text.size() / 4 * 3);
  std::uint32_t accumulator = 0;
  int bits = 0;
  for (std::size_t i = 0; i < symbols; ++i) {
    const int value = table[static_cast<unsigned char>(text[i])];
    if (value == kInvalid) {
      throw Error(what + ": character " + std::to_string(i) + " (" + describe(text[i]) +
                  ") is not in the base64 alphabet" + fix);
    }
    accumulator = (accumulator << 6) | static_cast<std::uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(static_cast<char>((accumulator >> bits) & 0xffu));
    }
  }
  // What is left are the unused low bits of the last symbol: 2 bits (1 '=') or 4 (2 '=').
  if (bits > 0 && (accumulator & ((1u << bits) - 1u)) != 0) {
    throw Error(what + ": the last base64 symbol has non-zero padding bits" + fix);
  }
  return bytes;
}

std::string base64_encode(std::string_view bytes) {
  std::string text;
  text.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (static_cast<unsigned char>(bytes[i]) << 16) |
                                (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                                static_cast<unsigned char>(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) text.push_back(kAlphabet[(group >> shift) & 63u]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = static_cast<unsigned char>(bytes[i]) << 16;
    if (rest == 2) group |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    text.push_back(kAlphabet[(group >> 18) & 63u]);
    text.push_back(kAlphabet[(group >> 12) & 63u]);
    text.push_back(rest == 2 ? kAlphabet[(group >> 6) & 63u] : '=');
    text.push_back('=');
  }
  return text;
}

}  // namespace zcb::data
