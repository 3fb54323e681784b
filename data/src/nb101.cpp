#include "zcb/data/nb101.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "zcb/data/base64.hpp"
#include "zcb/data/md5.hpp"
#include "zcb/data/protobuf_wire.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using protobuf::FieldKey;
using protobuf::WireType;

// hash_module labels: input -1, output -2, inner ops their index in available_ops.
int hash_label(const std::string& op) {
  if (op == kNb101Input) return -1;
  if (op == kNb101Output) return -2;
  for (int i = 0; i < 3; ++i) {
    if (op == kNb101InnerOps[i]) return i;
  }
  throw Error("NB101 op '" + op + "' has no hash label");  // make_nb101_spec() prevents this
}

bool is_inner_op(const std::string& op) {
  return std::find(std::begin(kNb101InnerOps), std::end(kNb101InnerOps), op) !=
         std::end(kNb101InnerOps);
}

std::string known_ops() {
  return std::string(kNb101InnerOps[0]) + ", " + kNb101InnerOps[1] + ", " + kNb101InnerOps[2];
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// Spec from a digit string of V*V characters and a ','-joined op list.
Nb101Spec spec_from_text(std::string_view digits, std::string_view ops_text,
                         const std::string& what) {
  std::vector<int> matrix;
  matrix.reserve(digits.size());
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (digits[i] != '0' && digits[i] != '1') {
      throw Error(what + ": adjacency character " + std::to_string(i) +
                  " is not '0' or '1'; the adjacency is V*V digits, row-major");
    }
    matrix.push_back(digits[i] - '0');
  }
  return make_nb101_spec(matrix, split(ops_text, ','), what);
}

Nb101Evaluation decode_evaluation(std::string_view bytes, const std::string& what) {
  protobuf::Reader reader(bytes, what);
  Nb101Evaluation evaluation;
  while (!reader.done()) {
    const FieldKey key = reader.next_key();
    const auto read_double = [&](std::optional<double>& field, const char* name) {
      reader.expect(key, WireType::kFixed64, name);
      field = reader.read_double();
    };
    switch (key.number) {
      case 1:
        read_double(evaluation.current_epoch, "current_epoch");
        break;
      case 2:
        read_double(evaluation.training_time, "training_time");
        break;
      case 3:
        read_double(evaluation.train_accuracy, "train_accuracy");
        break;
      case 4:
        read_double(evaluation.validation_accuracy, "validation_accuracy");
        break;
      case 5:
        read_double(evaluation.test_accuracy, "test_accuracy");
        break;
      case 6:
        reader.expect(key, WireType::kLengthDelimited, "checkpoint_path");
        evaluation.checkpoint_path = std::string(reader.read_length_delimited());
        break;
      default:
        reader.skip(key.type);  // a field this version of the proto does not know
    }
  }
  return evaluation;
}

}  // namespace

int Nb101Spec::num_edges() const {
  return static_cast<int>(std::count(adjacency.begin(), adjacency.end(), std::uint8_t{1}));
}

Nb101Spec make_nb101_spec(const std::vector<int>& matrix, const std::vector<std::string>& ops,
                          const std::string& what) {
  const auto vertices = static_cast<int>(ops.size());
  if (vertices < 2 || vertices > kNb101MaxVertices) {
    throw Error(what + ": " + std::to_string(vertices) +
                " ops; an NB101 module has 2 to 7 vertices (input, up to 5 ops, output)");
  }
  if (matrix.size() != ops.size() * ops.size()) {
    throw Error(what + ": adjacency has " + std::to_string(matrix.size()) + " entries for " +
                std::to_string(vertices) +
                " ops; it must be V*V = " + std::to_string(vertices * vertices));
  }
  Nb101Spec spec;
  spec.vertices = vertices;
  spec.ops = ops;
  spec.adjacency.resize(matrix.size());
  for (int i = 0; i < vertices; ++i) {
    for (int j = 0; j < vertices; ++j) {
      const int value = matrix[static_cast<std::size_t>(i * vertices + j)];
      if (value != 0 && value != 1) {
        throw Error(what + ": adjacency entry (" + std::to_string(i) + ", " + std::to_string(j) +
                    ") is " + std::to_string(value) + ", expected 0 or 1");
      }
      if (value == 1 && j <= i) {
        throw Error(what + ": adjacency entry (" + std::to_string(i) + ", " + std::to_string(j) +
                    ") is 1; the matrix must be strictly upper-triangular (edges go forward)");
      }
      spec.adjacency[static_cast<std::size_t>(i * vertices + j)] = static_cast<std::uint8_t>(value);
    }
  }
  if (ops.front() != kNb101Input || ops.back() != kNb101Output) {
    throw Error(what + ": the first op must be 'input' and the last 'output' (got '" + ops.front() +
                "' and '" + ops.back() + "')");
  }
  for (int v = 1; v + 1 < vertices; ++v) {
    if (!is_inner_op(ops[static_cast<std::size_t>(v)])) {
      throw Error(what + ": op " + std::to_string(v) + " is '" + ops[static_cast<std::size_t>(v)] +
                  "'; NB101 ops are " + known_ops());
    }
  }
  return spec;
}

std::optional<Nb101Spec> prune_nb101(const Nb101Spec& spec) {
  const int n = spec.vertices;
  std::vector<bool> from_input(static_cast<std::size_t>(n), false);
  std::vector<bool> to_output(static_cast<std::size_t>(n), false);
  // Edges go forward only, so one sweep in each direction finds every reachable vertex.
  from_input[0] = true;
  for (int v = 1; v < n; ++v) {
    for (int u = 0; u < v && !from_input[static_cast<std::size_t>(v)]; ++u) {
      if (from_input[static_cast<std::size_t>(u)] && spec.edge(u, v)) {
        from_input[static_cast<std::size_t>(v)] = true;
      }
    }
  }
  to_output[static_cast<std::size_t>(n - 1)] = true;
  for (int v = n - 2; v >= 0; --v) {
    for (int w = v + 1; w < n && !to_output[static_cast<std::size_t>(v)]; ++w) {
      if (to_output[static_cast<std::size_t>(w)] && spec.edge(v, w)) {
        to_output[static_cast<std::size_t>(v)] = true;
      }
    }
  }
  std::vector<int> kept;
  for (int v = 0; v < n; ++v) {
    if (from_input[static_cast<std::size_t>(v)] && to_output[static_cast<std::size_t>(v)]) {
      kept.push_back(v);
    }
  }
  // Input and output must both survive, i.e. output is reachable from input.
  if (!to_output[0]) return std::nullopt;
  Nb101Spec pruned;
  pruned.vertices = static_cast<int>(kept.size());
  pruned.adjacency.assign(kept.size() * kept.size(), 0);
  for (std::size_t i = 0; i < kept.size(); ++i) {
    pruned.ops.push_back(spec.ops[static_cast<std::size_t>(kept[i])]);
    for (std::size_t j = 0; j < kept.size(); ++j) {
      pruned.adjacency[i * kept.size() + j] = spec.edge(kept[i], kept[j]) ? 1 : 0;
    }
  }
  return pruned;
}

bool is_nb101_in_domain(const Nb101Spec& pruned) {
  if (pruned.vertices > kNb101MaxVertices || pruned.num_edges() > kNb101MaxEdges) return false;
  const std::optional<Nb101Spec> again = prune_nb101(pruned);
  return again.has_value() && *again == pruned;
}

std::string nb101_hash(const Nb101Spec& spec) {
  const int n = spec.vertices;
  std::vector<std::string> hashes(static_cast<std::size_t>(n));
  for (int v = 0; v < n; ++v) {
    int in_edges = 0;
    int out_edges = 0;
    for (int w = 0; w < n; ++w) {
      in_edges += spec.edge(w, v) ? 1 : 0;
      out_edges += spec.edge(v, w) ? 1 : 0;
    }
    // Python's str() of the tuple (out_edges, in_edges, label).
    hashes[static_cast<std::size_t>(v)] =
        md5_hex("(" + std::to_string(out_edges) + ", " + std::to_string(in_edges) + ", " +
                std::to_string(hash_label(spec.ops[static_cast<std::size_t>(v)])) + ")");
  }
  for (int round = 0; round < n; ++round) {
    std::vector<std::string> next(static_cast<std::size_t>(n));
    for (int v = 0; v < n; ++v) {
      std::vector<std::string> in_neighbours;
      std::vector<std::string> out_neighbours;
      for (int w = 0; w < n; ++w) {
        if (spec.edge(w, v)) in_neighbours.push_back(hashes[static_cast<std::size_t>(w)]);
        if (spec.edge(v, w)) out_neighbours.push_back(hashes[static_cast<std::size_t>(w)]);
      }
      std::sort(in_neighbours.begin(), in_neighbours.end());
      std::sort(out_neighbours.begin(), out_neighbours.end());
      std::string text;
      for (const auto& hash : in_neighbours) text += hash;
      text += '|';
      for (const auto& hash : out_neighbours) text += hash;
      text += '|';
      text += hashes[static_cast<std::size_t>(v)];
      next[static_cast<std::size_t>(v)] = md5_hex(text);
    }
    hashes = std::move(next);
  }
  std::sort(hashes.begin(), hashes.end());
  // Python's str() of a list of str: ['a', 'b'].
  std::string text = "[";
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    text += (i == 0 ? "'" : ", '") + hashes[i] + "'";
  }
  text += "]";
  return md5_hex(text);
}

std::string nb101_arch_string(const Nb101Spec& spec) {
  std::string text;
  text.reserve(spec.adjacency.size() + 1 + spec.ops.size() * 16);
  for (const std::uint8_t bit : spec.adjacency) text.push_back(bit != 0 ? '1' : '0');
  text.push_back('|');
  for (std::size_t i = 0; i < spec.ops.size(); ++i) {
    if (i > 0) text.push_back(',');
    text += spec.ops[i];
  }
  return text;
}

Nb101Spec parse_nb101_arch_string(std::string_view text, const std::string& what) {
  const std::size_t bar = text.find('|');
  if (bar == std::string_view::npos) {
    throw Error(what +
                ": NB101 arch string has no '|'; the format is "
                "<V*V adjacency digits>|<op,op,...>");
  }
  Nb101Spec spec = spec_from_text(text.substr(0, bar), text.substr(bar + 1), what);
  if (spec.num_edges() > kNb101MaxEdges) {
    throw Error(what + ": " + std::to_string(spec.num_edges()) +
                " edges; NB101 modules have at most 9");
  }
  if (!is_nb101_in_domain(spec)) {
    throw Error(what +
                ": the graph has vertices that are not on an input -> output path; an "
                "NB101 arch string holds the pruned graph (prune it first)");
  }
  return spec;
}

Nb101ModelMetrics decode_nb101_metrics(std::string_view bytes, const std::string& what) {
  protobuf::Reader reader(bytes, what + " (ModelMetrics)");
  Nb101ModelMetrics metrics;
  while (!reader.done()) {
    const FieldKey key = reader.next_key();
    switch (key.number) {
      case 1: {
        reader.expect(key, WireType::kLengthDelimited, "evaluation_data");
        const std::size_t at = reader.position();
        metrics.evaluation_data.push_back(decode_evaluation(
            reader.read_length_delimited(),
            what + " (EvaluationData " + std::to_string(metrics.evaluation_data.size()) +
                " at ModelMetrics byte " + std::to_string(at) + ")"));
        break;
      }
      case 2:
        reader.expect(key, WireType::kVarint, "trainable_parameters");
        metrics.trainable_parameters = reader.read_int32();
        break;
      case 3:
        reader.expect(key, WireType::kFixed64, "total_time");
        metrics.total_time = reader.read_double();
        break;
      default:
        reader.skip(key.type);
    }
  }
  return metrics;
}

std::string encode_nb101_metrics(const Nb101ModelMetrics& metrics) {
  protobuf::Writer writer;
  for (const Nb101Evaluation& evaluation : metrics.evaluation_data) {
    protobuf::Writer inner;
    if (evaluation.current_epoch) inner.double_field(1, *evaluation.current_epoch);
    if (evaluation.training_time) inner.double_field(2, *evaluation.training_time);
    if (evaluation.train_accuracy) inner.double_field(3, *evaluation.train_accuracy);
    if (evaluation.validation_accuracy) inner.double_field(4, *evaluation.validation_accuracy);
    if (evaluation.test_accuracy) inner.double_field(5, *evaluation.test_accuracy);
    if (evaluation.checkpoint_path) inner.bytes_field(6, *evaluation.checkpoint_path);
    writer.bytes_field(1, inner.bytes());
  }
  if (metrics.trainable_parameters) writer.int32_field(2, *metrics.trainable_parameters);
  if (metrics.total_time) writer.double_field(3, *metrics.total_time);
  return writer.bytes();
}

Nb101Row parse_nb101_row(std::string_view json_text, const std::string& what) {
  nlohmann::json row;
  try {
    row = nlohmann::json::parse(json_text.begin(), json_text.end());
  } catch (const nlohmann::json::exception& e) {
    throw Error(what + ": not valid JSON (" + e.what() +
                "); an NB101 row is [module_hash, epochs, raw_adjacency, raw_operations, "
                "raw_metrics]");
  }
  const std::string layout =
      "; an NB101 row is the JSON list [module_hash, epochs, raw_adjacency, raw_operations, "
      "raw_metrics] of types [string, integer, string, string, string]";
  if (!row.is_array() || row.size() != 5) throw Error(what + ": not a 5-element list" + layout);
  if (!row[0].is_string() || !row[1].is_number_integer() || !row[2].is_string() ||
      !row[3].is_string() || !row[4].is_string()) {
    throw Error(what + ": wrong element types" + layout);
  }
  Nb101Row result;
  result.module_hash = row[0].get<std::string>();
  const bool hex = result.module_hash.size() == 32 &&
                   std::all_of(result.module_hash.begin(), result.module_hash.end(), [](char c) {
                     return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
                   });
  if (!hex) {
    throw Error(what + ": module hash '" + result.module_hash.substr(0, 64) +
                "' is not 32 lower-case hex digits");
  }
  const std::int64_t epochs = row[1].get<std::int64_t>();
  if (epochs <= 0 || epochs > 100000) {
    throw Error(what + ": epochs " + std::to_string(epochs) + " is not a training budget");
  }
  result.epochs = static_cast<int>(epochs);
  result.raw_adjacency = row[2].get<std::string>();
  result.raw_operations = row[3].get<std::string>();
  const std::string raw_metrics = row[4].get<std::string>();
  result.metrics = decode_nb101_metrics(base64_decode(raw_metrics, what + " raw_metrics"), what);
  return result;
}

std::string nb101_row_json(const Nb101Row& row) {
  nlohmann::json json =
      nlohmann::json::array({row.module_hash, row.epochs, row.raw_adjacency, row.raw_operations,
                             base64_encode(encode_nb101_metrics(row.metrics))});
  return json.dump();
}

Nb101Spec nb101_spec_of_row(const Nb101Row& row, const std::string& what) {
  return spec_from_text(row.raw_adjacency, row.raw_operations, what);
}

}  // namespace zcb::data
