#include "zcb/data/naslib_keys.hpp"

#include "zcb/error.hpp"

namespace zcb::data {
namespace {

std::string quoted(std::string_view text) {
  constexpr std::size_t kShown = 80;
  return "'" + std::string(text.substr(0, kShown)) + (text.size() > kShown ? "...'" : "'");
}

std::vector<int> checked(std::string_view tuple, const std::string& context, std::size_t min_size,
                         std::size_t max_size, int low, int high, const char* what) {
  const std::vector<int> values = parse_int_tuple(tuple, context);
  bool ok = values.size() >= min_size && values.size() <= max_size;
  for (int value : values) ok = ok && value >= low && value <= high;
  if (!ok) throw Error(context + ": " + quoted(tuple) + " is not " + what);
  return values;
}

}  // namespace

std::vector<int> parse_int_tuple(std::string_view text, const std::string& context) {
  const auto fail = [&]() -> Error {
    return Error(context + ": " + quoted(text) +
                 " is not a tuple of small non-negative integers like '(4, 3, 3, 0, 0, 0)'");
  };
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') throw fail();
  std::vector<int> values;
  std::size_t i = 1;
  const std::size_t end = text.size() - 1;
  while (i < end) {
    if (!values.empty()) {
      if (text[i] != ',') throw fail();
      ++i;
      if (i < end && text[i] == ' ') ++i;
    }
    const std::size_t start = i;
    int value = 0;
    while (i < end && text[i] >= '0' && text[i] <= '9' && i - start < 4) {
      value = value * 10 + (text[i] - '0');
      ++i;
    }
    if (i == start || (i < end && text[i] >= '0' && text[i] <= '9')) throw fail();
    if (values.size() == 64) throw fail();
    values.push_back(value);
  }
  return values;
}

std::string nb201_string_from_naslib(std::string_view tuple, const std::string& context) {
  static const char* const kOps[] = {"skip_connect", "none", "nor_conv_3x3", "nor_conv_1x1",
                                     "avg_pool_3x3"};
  const std::vector<int> e =
      checked(tuple, context, 6, 6, 0, 4, "a NASLib NB201 op tuple (6 op ids 0..4)");
  // Tuple order (e12, e13, e14, e23, e24, e34); string order by target node.
  const auto op = [&](int k, int source) {
    return std::string(kOps[e[k]]) + "~" + std::to_string(source) + "|";
  };
  return "|" + op(0, 0) + "+|" + op(1, 0) + op(3, 1) + "+|" + op(2, 0) + op(4, 1) + op(5, 2);
}

std::string transnas_micro_string_from_naslib(std::string_view tuple, const std::string& context) {
  const std::vector<int> d =
      checked(tuple, context, 6, 6, 0, 3, "a NASLib TransNAS micro tuple (6 op digits 0..3)");
  std::string cell;
  for (std::size_t k = 0; k < 6; ++k) {
    if (k == 1 || k == 3) cell += '_';
    cell += static_cast<char>('0' + d[k]);
  }
  return "64-41414-" + cell;
}

std::string transnas_macro_string_from_naslib(std::string_view tuple, const std::string& context) {
  const char* what = "a NASLib TransNAS macro tuple (4 to 6 module codes 1..4, then zeros)";
  std::vector<int> codes = checked(tuple, context, 4, 6, 0, 4, what);
  while (!codes.empty() && codes.back() == 0) codes.pop_back();
  std::string text;
  for (int code : codes) {
    if (code == 0) throw Error(context + ": " + quoted(tuple) + " is not " + what);
    text += static_cast<char>('0' + code);
  }
  if (codes.size() < 4) throw Error(context + ": " + quoted(tuple) + " is not " + what);
  return "64-" + text + "-basic";
}

Nb101Spec nb101_spec_from_naslib(std::string_view tuple, const std::string& context) {
  static const char* const kOps[] = {"input", "output", "maxpool3x3", "conv1x1-bn-relu",
                                     "conv3x3-bn-relu"};
  constexpr std::size_t kBits = kNb101MaxVertices * kNb101MaxVertices;
  const std::vector<int> values =
      checked(tuple, context, kBits + kNb101MaxVertices, kBits + kNb101MaxVertices, 0, 4,
              "a NASLib NB101 tuple (49 adjacency bits + 7 op ids 0..4)");
  const std::vector<int> matrix(values.begin(), values.begin() + kBits);
  for (int bit : matrix) {
    if (bit > 1) throw Error(context + ": " + quoted(tuple) + " has an adjacency entry above 1");
  }
  std::vector<std::string> ops;
  for (std::size_t i = kBits; i < values.size(); ++i) ops.emplace_back(kOps[values[i]]);
  return make_nb101_spec(matrix, ops, context + " (" + quoted(tuple) + ")");
}

}  // namespace zcb::data
