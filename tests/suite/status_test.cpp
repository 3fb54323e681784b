#include "zcb/status.hpp"

#include <gtest/gtest.h>

#include "zcb/error.hpp"

namespace zcb {
namespace {

TEST(RowStatus, NamesRoundTrip) {
  for (int code = 0; code <= 5; ++code) {
    const RowStatus status = row_status_from_int(code);
    EXPECT_EQ(row_status_from_string(to_string(status)), status);
  }
  EXPECT_EQ(to_string(RowStatus::kNonFinite), "non_finite");
}

TEST(RowStatus, CodesAreTheFileFormat) {
  EXPECT_EQ(static_cast<int>(RowStatus::kOk), 0);
  EXPECT_EQ(static_cast<int>(RowStatus::kCrashed), 4);
}

TEST(RowStatus, UnknownValuesAreErrors) {
  EXPECT_THROW(row_status_from_int(99), Error);
  EXPECT_THROW(row_status_from_int(-1), Error);
  try {
    row_status_from_string("fine");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("known: ok"), std::string::npos);
  }
}

}  // namespace
}  // namespace zcb
