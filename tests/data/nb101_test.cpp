// NB101 formats: MD5, base64, the protobuf wire reader, ModelMetrics, official rows, pruning,
// the module hash and the arch string. Hash goldens: tests/data/nb101_reference.py (a Python
// transcription of nasbench graph_util.hash_module); the Inception-like example's hash
// 28cfc7874f6d200472e1a9dcd8650aa0 also appears, for that graph, in google-research/
// unified_functional_hashing (nasbench/python/evaluator_test.py and testdata/computed_stats.py),
// and the input -> output graph's 043721b9c7fe8c5fad811d47d83132ec is called "the official hash"
// by another project's test (a design-bench cell_dag_nas decode test).
#include "zcb/data/nb101.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "test_util.hpp"
#include "zcb/data/base64.hpp"
#include "zcb/data/md5.hpp"
#include "zcb/data/protobuf_wire.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using ::testing::HasSubstr;

const char* kConv3 = "conv3x3-bn-relu";
const char* kConv1 = "conv1x1-bn-relu";
const char* kPool = "maxpool3x3";

// The Inception-like module of the nasbench README, as queried ...
Nb101Spec inception() {
  return make_nb101_spec({0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                          1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
                         {"input", kConv1, kConv3, kConv3, kConv3, kPool, "output"}, "inception");
}

// ... and as the official file stores it (the module_adjacency the colab prints): isomorphic.
Nb101Spec inception_as_stored() {
  return make_nb101_spec({0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                          0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
                         {"input", kConv3, kConv1, kPool, kConv3, kConv3, "output"}, "stored");
}

TEST(Md5, Rfc1321Vectors) {
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234"
                    "567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
  EXPECT_EQ(md5_hex("(1, 0, -1)"), "3bb65a81afada4c50c2c4630873f0a79");  // hashlib
  // Lengths around the 56-byte padding boundary.
  EXPECT_EQ(md5_hex(std::string(55, 'a')), "ef1772b6dff9a122358552954ad0df65");
  EXPECT_EQ(md5_hex(std::string(56, 'a')), "3b0c8ac703f828b04c6c197006d17218");
  EXPECT_EQ(md5_hex(std::string(64, 'a')), "014842d480b571495a4a0363793f7367");
}

TEST(Base64, RoundTripAndKnownText) {
  EXPECT_EQ(base64_encode(std::string("\0\xff"
                                      "ab",
                                      4)),
            "AP9hYg==");
  EXPECT_EQ(base64_decode("AP9hYg==", "t"), std::string("\0\xff"
                                                        "ab",
                                                        4));
  for (std::size_t n = 0; n < 40; ++n) {
    std::string bytes;
    for (std::size_t i = 0; i < n; ++i) bytes.push_back(static_cast<char>(i * 37 + 11));
    EXPECT_EQ(base64_decode(base64_encode(bytes), "t"), bytes) << n;
  }
  EXPECT_EQ(base64_decode("", "t"), "");
}

TEST(Base64, RejectsMalformedText) {
  EXPECT_THAT(testing::error_message([] { base64_decode("abc", "f"); }),
              HasSubstr("f: base64 length 3 is not a multiple of 4"));
  EXPECT_THAT(testing::error_message([] { base64_decode("ab!d", "f"); }),
              HasSubstr("character 2 ('!') is not in the base64 alphabet"));
  EXPECT_THAT(testing::error_message([] { base64_decode("a=bc", "f"); }),
              HasSubstr("character 1 ('=')"));
  EXPECT_THAT(testing::error_message([] { base64_decode("====", "f"); }),
              HasSubstr("not in the base64 alphabet"));
  EXPECT_THAT(testing::error_message([] { base64_decode("AB==", "f"); }),
              HasSubstr("non-zero padding bits"));
  EXPECT_THAT(testing::error_message([] { base64_decode("ab\ncd==", "f"); }),
              HasSubstr("multiple of 4"));
}

TEST(ProtobufWire, ReadsEveryWireType) {
  protobuf::Writer writer;
  writer.varint_field(1, 300);
  writer.double_field(2, 0.5);
  writer.bytes_field(3, "xyz");
  writer.fixed32_field(4, 0xdeadbeef);
  writer.int32_field(5, -7);
  // Known encodings: 300 -> ac 02; -7 as a 10-byte sign-extended varint.
  EXPECT_EQ(writer.bytes().substr(0, 3), std::string("\x08\xac\x02"));
  protobuf::Reader reader(writer.bytes(), "msg");
  auto key = reader.next_key();
  EXPECT_EQ(key.number, 1u);
  EXPECT_EQ(reader.read_varint(), 300u);
  key = reader.next_key();
  EXPECT_EQ(key.type, protobuf::WireType::kFixed64);
  EXPECT_EQ(reader.read_double(), 0.5);
  reader.next_key();
  EXPECT_EQ(reader.read_length_delimited(), "xyz");
  reader.next_key();
  EXPECT_EQ(reader.read_fixed32(), 0xdeadbeefu);
  reader.next_key();
  EXPECT_EQ(reader.read_int32(), -7);
  EXPECT_TRUE(reader.done());
}

TEST(ProtobufWire, MalformedInputNamesTheOffset) {
  const auto error = [](const std::string& bytes, const std::function<void(protobuf::Reader&)>& f) {
    return testing::error_message([&] {
      protobuf::Reader reader(bytes, "msg");
      f(reader);
    });
  };
  EXPECT_THAT(error("\x08\x80", [](auto& r) { r.next_key(), r.read_varint(); }),
              HasSubstr("msg: byte 1 of 2: the message ends inside a varint"));
  EXPECT_THAT(error(std::string(11, '\xff'), [](auto& r) { r.read_varint(); }),
              HasSubstr("varint longer than 64 bits"));
  EXPECT_THAT(error(std::string("\x00", 1), [](auto& r) { r.next_key(); }),
              HasSubstr("invalid field number 0"));
  EXPECT_THAT(error("\x0b", [](auto& r) { r.next_key(); }), HasSubstr("groups"));
  EXPECT_THAT(error("\x0e", [](auto& r) { r.next_key(); }), HasSubstr("invalid wire type 6"));
  EXPECT_THAT(error("\x12\x05"
                    "ab",
                    [](auto& r) { r.next_key(), r.read_length_delimited(); }),
              HasSubstr("length 5 runs past the end of the message (2 bytes remain)"));
  EXPECT_THAT(error("\x09\x01\x02", [](auto& r) { r.next_key(), r.read_double(); }),
              HasSubstr("a 64-bit field needs 8 bytes but only 2 remain"));
  EXPECT_THAT(error("\x08\x80\x80\x80\x80\x10", [](auto& r) { r.next_key(), r.read_int32(); }),
              HasSubstr("int32 field out of range (4294967296)"));
}

Nb101ModelMetrics published_metrics() {
  // The 108-epoch repeat of the Inception-like module printed by the nasbench colab
  // (NASBench.ipynb): trainable_parameters 2694282, final test 0.9311898946762085.
  Nb101ModelMetrics metrics;
  metrics.evaluation_data.resize(3);
  metrics.evaluation_data[0].current_epoch = 0.0;
  metrics.evaluation_data[1].current_epoch = 54.0;
  metrics.evaluation_data[1].test_accuracy = 0.8106971383094788;
  metrics.evaluation_data[2].current_epoch = 108.0;
  metrics.evaluation_data[2].training_time = 1155.85302734375;
  metrics.evaluation_data[2].train_accuracy = 1.0;
  metrics.evaluation_data[2].validation_accuracy = 0.9376001358032227;
  metrics.evaluation_data[2].test_accuracy = 0.9311898946762085;
  metrics.evaluation_data[2].checkpoint_path = "/model.ckpt-10000";
  metrics.trainable_parameters = 2694282;
  metrics.total_time = 1769.1;
  return metrics;
}

TEST(Nb101Metrics, RoundTrip) {
  const Nb101ModelMetrics metrics = published_metrics();
  const Nb101ModelMetrics back = decode_nb101_metrics(encode_nb101_metrics(metrics), "m");
  ASSERT_EQ(back.evaluation_data.size(), 3u);
  EXPECT_EQ(back.trainable_parameters, 2694282);
  EXPECT_EQ(back.total_time, 1769.1);
  EXPECT_EQ(back.evaluation_data[2].test_accuracy, 0.9311898946762085);
  EXPECT_EQ(back.evaluation_data[2].validation_accuracy, 0.9376001358032227);
  EXPECT_EQ(back.evaluation_data[2].checkpoint_path, "/model.ckpt-10000");
  EXPECT_FALSE(back.evaluation_data[0].test_accuracy.has_value());
  EXPECT_EQ(back.evaluation_data[1].current_epoch, 54.0);
}

TEST(Nb101Metrics, HandEncodedBytes) {
  // evaluation_data { test_accuracy: 0.5 }, trainable_parameters: 300, an unknown field 9.
  const std::string bytes("\x0a\x09\x29\x00\x00\x00\x00\x00\x00\xe0\x3f\x10\xac\x02\x48\x01", 16);
  const Nb101ModelMetrics metrics = decode_nb101_metrics(bytes, "m");
  ASSERT_EQ(metrics.evaluation_data.size(), 1u);
  EXPECT_EQ(metrics.evaluation_data[0].test_accuracy, 0.5);
  EXPECT_EQ(metrics.trainable_parameters, 300);
  EXPECT_FALSE(metrics.total_time.has_value());
}

TEST(Nb101Metrics, WrongWireTypeForKnownField) {
  EXPECT_THAT(testing::error_message(
                  [] { decode_nb101_metrics(std::string("\x15\x00\x00\x00\x00", 5), "rec 3"); }),
              HasSubstr("rec 3 (ModelMetrics): byte 1 of 5: field 2 (trainable_parameters) has "
                        "wire type 32-bit, expected varint"));
  EXPECT_THAT(
      testing::error_message([] { decode_nb101_metrics(std::string("\x0a\x02\x28\x01", 4), "r"); }),
      HasSubstr("r (EvaluationData 0 at ModelMetrics byte 1): byte 1 of 2: field 5 "
                "(test_accuracy) has wire type varint"));
}

TEST(Nb101Row, ParsesOfficialLayout) {
  Nb101Row row;
  row.module_hash = "28cfc7874f6d200472e1a9dcd8650aa0";
  row.epochs = 108;
  row.raw_adjacency = "0111100000000100000010000001000001000000010000000";
  row.raw_operations = std::string("input,") + kConv3 + "," + kConv1 + "," + kPool + "," + kConv3 +
                       "," + kConv3 + ",output";
  row.metrics = published_metrics();
  const std::string json = nb101_row_json(row);
  EXPECT_THAT(json, HasSubstr("[\"28cfc7874f6d200472e1a9dcd8650aa0\",108,\"0111100"));
  const Nb101Row back = parse_nb101_row(json, "rec");
  EXPECT_EQ(back.module_hash, row.module_hash);
  EXPECT_EQ(back.epochs, 108);
  EXPECT_EQ(back.metrics.trainable_parameters, 2694282);
  const Nb101Spec spec = nb101_spec_of_row(back, "rec");
  EXPECT_EQ(spec, inception_as_stored());
  EXPECT_EQ(nb101_hash(spec), row.module_hash);
}

TEST(Nb101Row, RejectsMalformedRows) {
  const auto error = [](const std::string& json) {
    return testing::error_message([&] { parse_nb101_row(json, "rec 7"); });
  };
  EXPECT_THAT(error("[1, 2"), HasSubstr("rec 7: not valid JSON"));
  EXPECT_THAT(error("{}"), HasSubstr("not a 5-element list"));
  EXPECT_THAT(error("[\"a\", \"108\", \"\", \"\", \"\"]"), HasSubstr("wrong element types"));
  EXPECT_THAT(error("[\"XYZ\", 108, \"\", \"\", \"\"]"), HasSubstr("is not 32 lower-case hex"));
  const std::string hash = "\"28cfc7874f6d200472e1a9dcd8650aa0\"";
  EXPECT_THAT(error("[" + hash + ", 0, \"\", \"\", \"\"]"), HasSubstr("not a training budget"));
  EXPECT_THAT(error("[" + hash + ", 108, \"01\", \"a\", \"AB=\"]"),
              HasSubstr("rec 7 raw_metrics: base64 length 3"));
  EXPECT_THAT(error("[" + hash + ", 108, \"01\", \"a\", \"EIA=\"]"),
              HasSubstr("the message ends inside a varint"));
}

TEST(Nb101Spec, FormChecks) {
  const auto error = [](const std::vector<int>& m, const std::vector<std::string>& ops) {
    return testing::error_message([&] { make_nb101_spec(m, ops, "g"); });
  };
  EXPECT_THAT(error({0}, {"input"}), HasSubstr("2 to 7 vertices"));
  EXPECT_THAT(error({0, 1, 0}, {"input", "output"}), HasSubstr("V*V = 4"));
  EXPECT_THAT(error({0, 2, 0, 0}, {"input", "output"}), HasSubstr("is 2, expected 0 or 1"));
  EXPECT_THAT(error({0, 0, 1, 0}, {"input", "output"}), HasSubstr("strictly upper-triangular"));
  EXPECT_THAT(error({0, 1, 0, 0}, {"output", "input"}), HasSubstr("first op must be 'input'"));
  EXPECT_THAT(error({0, 1, 0, 0, 0, 1, 0, 0, 0}, {"input", "conv5x5", "output"}),
              HasSubstr("op 1 is 'conv5x5'"));
}

TEST(Nb101Spec, PruneRemovesVerticesOffTheInputOutputPath) {
  // zc_nasbench101.json's first key: vertex 5 has no edge to the output.
  const Nb101Spec spec =
      make_nb101_spec({0, 1, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0,
                       1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
                      {"input", kPool, kPool, kConv3, kConv3, kConv3, "output"}, "g");
  EXPECT_FALSE(is_nb101_in_domain(spec));
  const auto pruned = prune_nb101(spec);
  ASSERT_TRUE(pruned.has_value());
  EXPECT_EQ(nb101_arch_string(*pruned),
            "011111000001000001000010000001000000|input,maxpool3x3,maxpool3x3,conv3x3-bn-relu,"
            "conv3x3-bn-relu,output");
  EXPECT_TRUE(is_nb101_in_domain(*pruned));
  EXPECT_EQ(nb101_hash(*pruned), "4a0ab8bbe2441a002e07b0f445ec2d63");
  // A vertex unreachable from the input is removed too.
  const auto source_only =
      prune_nb101(make_nb101_spec({0, 0, 1, 0, 0, 1, 0, 0, 0}, {"input", kConv1, "output"}, "g"));
  ASSERT_TRUE(source_only.has_value());
  EXPECT_EQ(nb101_arch_string(*source_only), "0100|input,output");
  // Input not connected to output: invalid.
  EXPECT_FALSE(
      prune_nb101(make_nb101_spec({0, 1, 0, 0, 0, 0, 0, 0, 0}, {"input", kConv1, "output"}, "g"))
          .has_value());
}

TEST(Nb101Hash, PublishedAndReferenceValues) {
  EXPECT_EQ(nb101_hash(inception()), "28cfc7874f6d200472e1a9dcd8650aa0");
  EXPECT_EQ(nb101_hash(inception_as_stored()), "28cfc7874f6d200472e1a9dcd8650aa0");
  EXPECT_EQ(nb101_hash(make_nb101_spec({0, 1, 0, 0}, {"input", "output"}, "g")),
            "043721b9c7fe8c5fad811d47d83132ec");
  EXPECT_EQ(
      nb101_hash(make_nb101_spec({0, 1, 0, 0, 0, 1, 0, 0, 0}, {"input", kPool, "output"}, "g")),
      "53cee42601ad14d661bb6878031d6acb");
}

TEST(Nb101Hash, InvariantUnderRelabellingAndSensitiveToOps) {
  const Nb101Spec base = inception();
  const std::string expected = nb101_hash(base);
  // Every permutation of the 5 inner vertices that keeps edges pointing forward.
  std::vector<int> order = {1, 2, 3, 4, 5};
  int checked = 0;
  do {
    std::vector<int> position(7);
    position[0] = 0;
    position[6] = 6;
    for (int i = 0; i < 5; ++i) position[static_cast<std::size_t>(order[i])] = i + 1;
    std::vector<int> matrix(49, 0);
    std::vector<std::string> ops(7);
    bool forward = true;
    for (int v = 0; v < 7; ++v) {
      ops[static_cast<std::size_t>(position[v])] = base.ops[static_cast<std::size_t>(v)];
      for (int w = 0; w < 7; ++w) {
        if (!base.edge(v, w)) continue;
        forward = forward && position[v] < position[w];
        matrix[static_cast<std::size_t>(position[v] * 7 + position[w])] = 1;
      }
    }
    if (!forward) continue;
    EXPECT_EQ(nb101_hash(make_nb101_spec(matrix, ops, "perm")), expected);
    ++checked;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_GE(checked, 10);
  Nb101Spec changed = base;
  changed.ops[1] = kConv3;
  EXPECT_NE(nb101_hash(changed), expected);
}

TEST(Nb101ArchString, RoundTripAndErrors) {
  const std::string text = nb101_arch_string(inception());
  EXPECT_EQ(text,
            "0111010000000100000010000100000000100000010000000|input,conv1x1-bn-relu,"
            "conv3x3-bn-relu,conv3x3-bn-relu,conv3x3-bn-relu,maxpool3x3,output");
  EXPECT_EQ(parse_nb101_arch_string(text, "a"), inception());
  const auto error = [](const std::string& t) {
    return testing::error_message([&] { parse_nb101_arch_string(t, "arch"); });
  };
  EXPECT_THAT(error("0100"), HasSubstr("has no '|'"));
  EXPECT_THAT(error("0x00|input,output"), HasSubstr("adjacency character 1"));
  EXPECT_THAT(error("010|input,output"), HasSubstr("V*V = 4"));
  EXPECT_THAT(error("010000000|input,conv1x1-bn-relu,output"), HasSubstr("not on an input"));
  // 10 edges on 7 vertices: outside the space.
  EXPECT_THAT(error("0111111001111100000000000000000000000000000000000|input,conv3x3-bn-relu,"
                    "conv3x3-bn-relu,conv3x3-bn-relu,conv3x3-bn-relu,conv3x3-bn-relu,output"),
              HasSubstr("at most 9"));
}

}  // namespace
}  // namespace zcb::data
