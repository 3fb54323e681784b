#include "zcb/data/csv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test_util.hpp"
#include "zcb/error.hpp"

namespace zcb::data {
namespace {

using ::testing::HasSubstr;

TEST(Csv, ParsesQuotedFieldsDoubledQuotesAndCrlf) {
  const CsvTable table = parse_csv(
      "id,name,note\r\n"
      "0,\"a,b\",\"say \"\"hi\"\"\"\r\n"
      "1,plain,\"two\r\nlines\"\r\n"
      "2,,\"\"\r\n",
      "mem.csv");
  ASSERT_EQ(table.header, (std::vector<std::string>{"id", "name", "note"}));
  ASSERT_EQ(table.rows.size(), 3u);
  EXPECT_EQ(table.rows[0], (std::vector<std::string>{"0", "a,b", "say \"hi\""}));
  EXPECT_EQ(table.rows[1], (std::vector<std::string>{"1", "plain", "two\r\nlines"}));
  EXPECT_EQ(table.rows[2], (std::vector<std::string>{"2", "", ""}));
  EXPECT_EQ(table.source, "mem.csv");
}

TEST(Csv, LfNoFinalNewlineAndBom) {
  const CsvTable table = parse_csv("\xEF\xBB\xBFx,y\n1,2\n3,4", "mem.csv");
  EXPECT_EQ(table.header, (std::vector<std::string>{"x", "y"}));
  ASSERT_EQ(table.rows.size(), 2u);
  EXPECT_EQ(table.rows[1], (std::vector<std::string>{"3", "4"}));
  const CsvTable header_only = parse_csv("x,y\n", "mem.csv");
  EXPECT_TRUE(header_only.rows.empty());
}

TEST(Csv, WrongFieldCountNamesFileAndLine) {
  const std::string message =
      testing::error_message([] { parse_csv("a,b\n1,2\n3\n4,5\n", "bad.csv"); });
  EXPECT_THAT(message, HasSubstr("bad.csv line 3"));
  EXPECT_THAT(message, HasSubstr("1 fields"));
  // A quoted line break does not shift the line count of later records.
  EXPECT_THAT(testing::error_message([] { parse_csv("a,b\n\"x\ny\",2\n1,2,3\n", "q.csv"); }),
              HasSubstr("q.csv line 4"));
}

TEST(Csv, MalformedQuotingIsAnError) {
  EXPECT_THAT(testing::error_message([] { parse_csv("a,b\n\"open,2\n", "u.csv"); }),
              HasSubstr("u.csv line 2: a quoted field is not closed"));
  EXPECT_THAT(testing::error_message([] { parse_csv("a,b\n\"x\"y,2\n", "t.csv"); }),
              HasSubstr("after a closing quote"));
  EXPECT_THAT(testing::error_message([] { parse_csv("a,b\nx\"y,2\n", "s.csv"); }),
              HasSubstr("quote inside the unquoted field"));
  EXPECT_THAT(testing::error_message([] { parse_csv("", "e.csv"); }),
              HasSubstr("e.csv: empty CSV"));
}

TEST(Csv, ColumnLookupListsColumns) {
  const CsvTable table = parse_csv("alpha,beta\n1,2\n", "cols.csv");
  EXPECT_EQ(table.column("beta"), 1u);
  const std::string message = testing::error_message([&] { table.column("gamma"); });
  EXPECT_THAT(message, HasSubstr("cols.csv"));
  EXPECT_THAT(message, HasSubstr("'gamma'"));
  EXPECT_THAT(message, HasSubstr("'alpha', 'beta'"));
}

TEST(Csv, ReadCsvFromFile) {
  testing::TempDir dir;
  testing::write_file(dir.path() / "t.csv", "k,v\r\nx,\"1,5\"\r\n");
  const CsvTable table = read_csv(dir.path() / "t.csv");
  EXPECT_EQ(table.rows.at(0).at(1), "1,5");
  EXPECT_EQ(table.source, (dir.path() / "t.csv").string());
  EXPECT_THAT(testing::error_message([&] { read_csv(dir.path() / "none.csv"); }),
              HasSubstr("none.csv"));
  testing::write_file(dir.path() / "short.csv", "k,v\r\nx\r\n");
  EXPECT_THAT(testing::error_message([&] { read_csv(dir.path() / "short.csv"); }),
              HasSubstr("short.csv line 2"));
}

TEST(Csv, ParseDoubleIsStrict) {
  EXPECT_EQ(parse_double("94.37333333333333", "ctx"), 94.37333333333333);
  EXPECT_EQ(parse_double("-1.5e-3", "ctx"), -1.5e-3);
  EXPECT_EQ(parse_double("7", "ctx"), 7.0);
  for (const char* bad : {"", " 1", "1 ", "1.2.3", "abc", "1,5", "nan", "inf", "1e999", "0x10"}) {
    const std::string message =
        testing::error_message([&] { parse_double(bad, "f.csv line 9 column 'x'"); });
    EXPECT_THAT(message, HasSubstr("f.csv line 9 column 'x'")) << bad;
    EXPECT_THAT(message, HasSubstr("'" + std::string(bad) + "'")) << bad;
  }
}

TEST(Csv, ParseIntIsStrict) {
  EXPECT_EQ(parse_int("15624", "ctx"), 15624);
  EXPECT_EQ(parse_int("-3", "ctx"), -3);
  for (const char* bad : {"", "1.0", "12a", " 4", "99999999999999999999"}) {
    EXPECT_THAT(testing::error_message([&] { parse_int(bad, "where"); }), HasSubstr("where"))
        << bad;
  }
}

}  // namespace
}  // namespace zcb::data
