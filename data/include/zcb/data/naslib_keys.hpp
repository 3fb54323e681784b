/// @file naslib_keys.hpp
/// @brief NASLib / NAS-Bench-Suite-Zero architecture keys (Python tuple text such as
/// `(4, 3, 3, 0, 0, 0)`) turned into the benchmarks' own architecture strings.
///
/// Conventions (automl/NASLib `naslib/search_spaces/{nasbench201,transbench101}/conversions.py`;
/// shared/data/SOURCES.md):
/// - NB201: `(e12, e13, e14, e23, e24, e34)`, op ids over `[skip_connect, none, nor_conv_3x3,
///   nor_conv_1x1, avg_pool_3x3]`, NASLib node k+1 = NB201 node k; the string is
///   `|e12~0|+|e13~0|e23~1|+|e14~0|e24~1|e34~2|`.
/// - TransNAS micro: `(a, b, c, d, e, f)` with TNB op digits 0..3 -> `64-41414-a_bc_def`.
/// - TransNAS macro: 4 to 6 module codes 1..4, possibly padded with trailing zeros ->
///   `64-<codes>-basic`.
/// - NB101 (`naslib/search_spaces/nasbench101/conversions.py` convert_spec_to_tuple): the 7x7
///   adjacency flattened row-major (49 bits), then 7 op ids over `[input, output, maxpool3x3,
///   conv1x1-bn-relu, conv3x3-bn-relu]`; smaller graphs are padded with unconnected vertices.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "zcb/data/nb101.hpp"

namespace zcb::data {

/// Parses Python tuple text of small non-negative integers, `(1, 2, 3)` (spaces after commas
/// optional). Throws zcb::Error quoting the text and @p context on anything else, or on more
/// than 64 elements or a value above 9999.
std::vector<int> parse_int_tuple(std::string_view text, const std::string& context);

/// NB201 architecture string of a NASLib NB201 op tuple. Throws zcb::Error (with @p context)
/// unless the tuple has 6 op ids in 0..4.
std::string nb201_string_from_naslib(std::string_view tuple, const std::string& context);

/// TransNAS-Bench-101 micro string of a NASLib micro tuple (6 digits 0..3).
std::string transnas_micro_string_from_naslib(std::string_view tuple, const std::string& context);

/// TransNAS-Bench-101 macro string of a NASLib macro tuple (4 to 6 codes 1..4, then zeros).
std::string transnas_macro_string_from_naslib(std::string_view tuple, const std::string& context);

/// NB101 module of a NASLib NB101 tuple (49 adjacency bits + 7 op ids 0..4), not pruned yet
/// (apply prune_nb101() before hashing). Throws zcb::Error (with @p context) on another length,
/// a bit other than 0/1, an op id outside 0..4, or a graph make_nb101_spec() rejects.
Nb101Spec nb101_spec_from_naslib(std::string_view tuple, const std::string& context);

}  // namespace zcb::data
