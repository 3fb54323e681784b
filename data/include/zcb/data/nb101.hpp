/// @file nb101.hpp
/// @brief NAS-Bench-101 formats: the module graph (spec), its pruning, the official module
/// hash, our canonical architecture string, and the rows of the official TFRecord files with
/// their protobuf ModelMetrics.
///
/// Reference code followed (google-research/nasbench): `nasbench/api.py` (row layout, which
/// evaluation is "final"), `nasbench/lib/model_spec.py` (pruning, op labels of the hash),
/// `nasbench/lib/graph_util.py` (hash_module), `nasbench/lib/model_metrics.proto` (fields),
/// `nasbench/lib/config.py` (7 vertices, 9 edges, ops conv3x3-bn-relu, conv1x1-bn-relu,
/// maxpool3x3). Arch string format: `data/README.md`, section "NB101 table".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zcb::data {

inline constexpr int kNb101MaxVertices = 7;  ///< config['module_vertices']
inline constexpr int kNb101MaxEdges = 9;     ///< config['max_edges']

/// Operation names, as in the official files. The order of the three inner ops is the
/// official `available_ops` order, which gives their hash labels 0, 1, 2.
inline constexpr const char* kNb101Input = "input";
inline constexpr const char* kNb101Output = "output";
inline constexpr const char* kNb101InnerOps[] = {"conv3x3-bn-relu", "conv1x1-bn-relu",
                                                 "maxpool3x3"};

/// A module: V vertices, upper-triangular 0/1 adjacency (row = source), one op per vertex
/// (vertex 0 "input", vertex V-1 "output").
struct Nb101Spec {
  int vertices = 0;
  std::vector<std::uint8_t> adjacency;  ///< V*V, row-major; adjacency[i*V+j] = edge i->j
  std::vector<std::string> ops;         ///< V names

  bool edge(int from, int to) const {
    return adjacency[static_cast<std::size_t>(from * vertices + to)] != 0;
  }
  int num_edges() const;

  bool operator==(const Nb101Spec& other) const {
    return vertices == other.vertices && adjacency == other.adjacency && ops == other.ops;
  }
};

/// Builds a spec from a V*V row-major 0/1 matrix and V op names and checks its form: 2 to 7
/// vertices, square, 0/1 entries, strictly upper-triangular, first op "input", last "output",
/// inner ops among kNb101InnerOps. Throws zcb::Error naming @p what otherwise. Edge count and
/// connectivity are not checked here (see prune_nb101() and is_nb101_in_domain()).
Nb101Spec make_nb101_spec(const std::vector<int>& matrix, const std::vector<std::string>& ops,
                          const std::string& what);

/// `model_spec.py` _prune(): removes every vertex that is not on a path from input to output
/// (keeping vertex order). Returns nullopt when input and output are not connected (an invalid
/// spec in the official API).
std::optional<Nb101Spec> prune_nb101(const Nb101Spec& spec);

/// True if @p pruned is inside the NB101 search space (at most 7 vertices and 9 edges, and
/// already pruned: every vertex on an input -> output path).
bool is_nb101_in_domain(const Nb101Spec& pruned);

/// The official module hash: `graph_util.hash_module(matrix, labeling)` with labeling
/// input -1, output -2, inner ops by their index in kNb101InnerOps. Invariant under vertex
/// relabelling. Apply it to a pruned spec (as `ModelSpec.hash_spec` does).
std::string nb101_hash(const Nb101Spec& spec);

/// Canonical arch string of a pruned spec: `<V*V adjacency digits, row-major>|<ops joined by
/// ','>`, e.g. `0110000...|input,conv3x3-bn-relu,...,output` (the official raw_adjacency and
/// raw_operations fields joined by '|').
std::string nb101_arch_string(const Nb101Spec& spec);

/// Parses an arch string written by nb101_arch_string(). Throws zcb::Error naming @p what when
/// the format is wrong (length not a square, non-0/1 digits, unknown op, not upper-triangular)
/// or the graph is outside the search space (not pruned, more than 7 vertices or 9 edges).
Nb101Spec parse_nb101_arch_string(std::string_view text, const std::string& what);

/// One evaluation in a ModelMetrics (`EvaluationData`); absent proto2 fields stay nullopt.
struct Nb101Evaluation {
  std::optional<double> current_epoch;
  std::optional<double> training_time;
  std::optional<double> train_accuracy;
  std::optional<double> validation_accuracy;
  std::optional<double> test_accuracy;
  std::optional<std::string> checkpoint_path;
};

/// `ModelMetrics`: evaluations at step 0, halfway and at the end of training, the parameter
/// count and the total time.
struct Nb101ModelMetrics {
  std::vector<Nb101Evaluation> evaluation_data;
  std::optional<std::int32_t> trainable_parameters;
  std::optional<double> total_time;
};

/// Decodes a serialized ModelMetrics (proto2 wire format; unknown fields are skipped, a known
/// field with the wrong wire type is an error). Throws zcb::Error naming @p what and the byte
/// offset on malformed input.
Nb101ModelMetrics decode_nb101_metrics(std::string_view bytes, const std::string& what);

/// Serializes @p metrics (fields in number order; for fixtures and seeds).
std::string encode_nb101_metrics(const Nb101ModelMetrics& metrics);

/// One row of an official TFRecord: the JSON list
/// `[module_hash, epochs, raw_adjacency, raw_operations, raw_metrics]`, with raw_metrics
/// base64-decoded and parsed.
struct Nb101Row {
  std::string module_hash;     ///< 32 lower-case hex digits
  int epochs = 0;              ///< training budget: 4, 12, 36 or 108
  std::string raw_adjacency;   ///< V*V digits, row-major
  std::string raw_operations;  ///< V op names joined by ','
  Nb101ModelMetrics metrics;
};

/// Parses one official row. Throws zcb::Error naming @p what when the text is not a JSON list
/// of [string, integer, string, string, string], the hash is not 32 hex digits, the epochs are
/// not positive, or the metrics are not valid base64 / protobuf.
Nb101Row parse_nb101_row(std::string_view json_text, const std::string& what);

/// Serializes a row in the official layout (for fixtures).
std::string nb101_row_json(const Nb101Row& row);

/// The spec of an official row (raw_adjacency and raw_operations); throws like
/// make_nb101_spec().
Nb101Spec nb101_spec_of_row(const Nb101Row& row, const std::string& what);

}  // namespace zcb::data
