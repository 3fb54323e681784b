#include "zcb/site/render.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "test_util.hpp"
#include "zcb/error.hpp"
#include "zcb/site/csv.hpp"
#include "zcb/site/stats_files.hpp"

namespace zcb::site {
namespace {

namespace fs = std::filesystem;
using testing::count;
using testing::error_message;
using testing::read_text;
using testing::TempDir;

const std::string kPages[] = {"index.html", "provenance.html", "published.html",
                              "nb201-cifar10.html", "nb101-cifar10.html"};
const std::string kMinus = "\u2212";

/// The fixture rendered once into a temporary directory, for the read-only checks.
class SiteRender : public ::testing::Test {
 protected:
  void SetUp() override {
    site_ = dir_.path() / "site";
    render_site(testing::fixture_dir(), site_);
  }
  std::string page(const std::string& name) const { return read_text(site_ / name); }

  /// The HTML of the table row whose proxy name cell contains @p name.
  std::string row_of(const std::string& page_name, const std::string& name) const {
    const std::string html = page(page_name);
    const auto at = html.find("<span class=\"proxy-name\">" + name + "</span>");
    EXPECT_NE(at, std::string::npos) << name;
    const auto start = html.rfind("<tr>", at);
    return html.substr(start, html.find("</tr>", at) - start);
  }

  TempDir dir_;
  fs::path site_;
};

TEST_F(SiteRender, WritesEveryPageDownloadAndAsset) {
  for (const auto& name :
       {"index.html", "provenance.html", "published.html", "published.csv", "run.json",
        "nb201-cifar10.html", "nb201-cifar10.csv", "nb201-cifar10.json",
        "nb201-cifar10.pairwise.csv", "nb101-cifar10.html", "nb101-cifar10.csv",
        "nb101-cifar10.json", "assets/style.css", "assets/site.js", ".zcb-site"}) {
    EXPECT_TRUE(fs::is_regular_file(site_ / name)) << name;
  }
  // Nothing else lies next to the site: the temporary directory is gone.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path()), fs::directory_iterator()), 1);
}

TEST_F(SiteRender, DownloadsMatchTheirSources) {
  EXPECT_EQ(page("nb201-cifar10.json"),
            read_text(testing::fixture_dir() / "nb201" / "cifar10.json"));
  EXPECT_EQ(page("run.json"), read_text(testing::fixture_dir() / "run.json"));
  const RunStats run = load_stats(testing::fixture_dir());
  EXPECT_EQ(page("nb101-cifar10.csv"), task_csv(run.tasks[1]));
  EXPECT_EQ(page("nb201-cifar10.pairwise.csv"), pairwise_csv(run.tasks[0]));
  // No comparisons in the stats (written before they existed): no file, no section.
  EXPECT_FALSE(fs::exists(site_ / "nb101-cifar10.pairwise.csv"));
  EXPECT_EQ(page("nb101-cifar10.html").find("pairwise-heading"), std::string::npos);
}

TEST_F(SiteRender, TaskPageSaysWhichProxiesTheBestBeats) {
  const std::string html = page("nb201-cifar10.html");
  const auto start = html.find("<section aria-labelledby=\"pairwise-heading\">");
  ASSERT_NE(start, std::string::npos);
  const std::string section = html.substr(start, html.find("</section>", start) - start);
  EXPECT_NE(section.find("Spearman"), std::string::npos);
  EXPECT_NE(section.find("on the same 991 architectures"), std::string::npos);
  // zico leads; naswot's difference to it has an interval across 0.
  EXPECT_NE(
      section.find("Not distinguishable from the best, <span class=\"proxy-name\">zico</span>, "
                   "at this confidence: <span class=\"proxy-name\">naswot</span>."),
      std::string::npos);
  EXPECT_NE(section.find("href=\"nb201-cifar10.pairwise.csv\""), std::string::npos);
  // Rows and columns: the compared proxies in the results table's order (by Spearman).
  const std::regex header(
      "<th scope=\"col\" class=\"column-name\"><span class=\"proxy-name\">([^<]*)</span>");
  std::vector<std::string> columns;
  for (auto it = std::sregex_iterator(section.begin(), section.end(), header);
       it != std::sregex_iterator(); ++it) {
    columns.push_back((*it)[1]);
  }
  EXPECT_EQ(columns, (std::vector<std::string>{
                         "zico", "naswot", "synflow",
                         "fisher&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"}));
  // Row synflow: stored as synflow - zico, shown as is; synflow - naswot likewise; zico's row
  // shows the negation of the stored naswot - zico.
  EXPECT_NE(section.find("title=\"synflow " + kMinus + " zico: worse; difference " + kMinus +
                         "0.040 [" + kMinus + "0.062, " + kMinus +
                         "0.018]; synflow better in 0.0% "
                         "of resamples\">"),
            std::string::npos);
  EXPECT_NE(section.find("title=\"zico " + kMinus +
                         " naswot: not distinguishable; difference "
                         "0.021 [" +
                         kMinus + "0.001, 0.044]; zico better in 96.8% of resamples\">"),
            std::string::npos);
  EXPECT_NE(section.find("+0.02<"), std::string::npos);
  EXPECT_NE(section.find("+0.42<"), std::string::npos);
  EXPECT_EQ(count(section, "class=\"num pair-self\""), 4U);
  EXPECT_EQ(count(section, "class=\"num pair-better\""), 2U);  // zico over synflow and fisher
  EXPECT_EQ(count(section, "class=\"num pair-worse\""), 2U);
  EXPECT_EQ(count(section, "class=\"num pair-tied\""), 4U);     // synflow~naswot, naswot~zico
  EXPECT_EQ(count(section, "class=\"num pair-unknown\""), 4U);  // fisher with naswot, synflow
}

TEST_F(SiteRender, DataIsEscaped) {
  for (const auto& name : kPages) {
    const std::string html = page(name);
    // The only script element is the site's own.
    EXPECT_EQ(count(html, "<script"), 1U) << name;
    EXPECT_EQ(count(html, "<script src=\"assets/site.js\"></script>"), 1U) << name;
    EXPECT_EQ(html.find("alert(\""), std::string::npos) << name;
  }
  EXPECT_NE(page("index.html").find("fisher&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;"),
            std::string::npos);
  EXPECT_NE(page("nb101-cifar10.html").find("&lt;script&gt;alert(&quot;error&quot;)"),
            std::string::npos);
  EXPECT_NE(page("nb101-cifar10.html").find("&lt;script&gt;alert(&quot;gt&quot;)"),
            std::string::npos);
  EXPECT_NE(page("provenance.html").find("&lt;script&gt;alert(&quot;config&quot;)"),
            std::string::npos);
}

TEST_F(SiteRender, NothingComesFromTheNetwork) {
  const std::regex remote(
      R"re((src|href)\s*=\s*["']?\s*(https?:|//)|url\(\s*["']?\s*(https?:|//)|@import)re",
      std::regex::icase);
  std::vector<std::string> files(std::begin(kPages), std::end(kPages));
  files.insert(files.end(), {"assets/style.css", "assets/site.js"});
  for (const auto& name : files) {
    EXPECT_FALSE(std::regex_search(page(name), remote)) << name;
  }
  for (const auto& name : kPages) {
    // A strict content security policy backs this up in the browser.
    EXPECT_NE(page(name).find("default-src 'none'"), std::string::npos) << name;
  }
}

TEST_F(SiteRender, EveryPageSignalsReadinessAndErrors) {
  const std::string script = page("assets/site.js");
  EXPECT_NE(script.find("window.onerror"), std::string::npos);
  EXPECT_NE(script.find("document.body.dataset.errors"), std::string::npos);
  EXPECT_NE(script.find("document.body.dataset.ready = 'ok'"), std::string::npos);
  for (const auto& name : kPages) {
    const std::string html = page(name);
    EXPECT_LT(html.find("<script src=\"assets/site.js\"></script>"), html.find("</body>")) << name;
    EXPECT_NE(html.find("<link rel=\"stylesheet\" href=\"assets/style.css\">"), std::string::npos);
  }
}

TEST_F(SiteRender, TaskPageShowsEstimatesIntervalsCoverageAndCost) {
  const std::string html = page("nb201-cifar10.html");
  const std::string zico = row_of("nb201-cifar10.html", "zico");
  EXPECT_NE(zico.find("<span class=\"est\">0.801</span>"), std::string::npos);
  EXPECT_NE(zico.find("[0.777, 0.824]"), std::string::npos);
  EXPECT_NE(zico.find("class=\"ci-bar\""), std::string::npos);
  EXPECT_NE(zico.find("100.0%"), std::string::npos);
  EXPECT_NE(zico.find(">41.0<"), std::string::npos);
  EXPECT_NE(zico.find(">24.7<"), std::string::npos);

  const std::string jacov = row_of("nb201-cifar10.html", "jacov");
  EXPECT_NE(jacov.find("99.1%"), std::string::npos);
  EXPECT_NE(jacov.find("error <span class=\"count\">6</span>"), std::string::npos);
  EXPECT_NE(jacov.find("3 error messages"), std::string::npos);
  EXPECT_NE(jacov.find("failed to converge"), std::string::npos);
  EXPECT_NE(jacov.find("2 bootstrap resamples gave no value"), std::string::npos);

  EXPECT_NE(html.find("test_accuracy_200ep_mean"), std::string::npos);
  EXPECT_EQ(html.find("without a finite ground truth"), std::string::npos);  // 0: not shown
  EXPECT_NE(page("nb101-cifar10.html")
                .find("945 scored by every proxy, of 1\u202f000 planned; 2 "
                      "without a finite ground truth"),
            std::string::npos);
  EXPECT_NE(html.find("B\u00a0=\u00a01\u202f000"), std::string::npos);
  EXPECT_NE(html.find("17446744073709551557"), std::string::npos);
  EXPECT_NE(html.find(load_stats(testing::fixture_dir()).tasks[0].table_sha256.value()),
            std::string::npos);
  EXPECT_NE(html.find("href=\"nb201-cifar10.csv\""), std::string::npos);
  EXPECT_NE(html.find("href=\"nb201-cifar10.json\""), std::string::npos);
}

TEST_F(SiteRender, SeveralSeedsShowTheirSpread) {
  const std::string zico = row_of("nb201-cifar10.html", "zico");
  EXPECT_NE(zico.find("<span class=\"seed-spread\" title=\"seed 0: 0.801, seed 1: 0.795, seed 2: "
                      "0.810; mean 0.802, range [0.795, 0.810]\">sd 0.008 over 3 seeds</span>"),
            std::string::npos);
  EXPECT_EQ(count(zico, "class=\"seed-spread\""), 2U);  // Spearman and Kendall
  const std::string naswot = row_of("nb201-cifar10.html", "naswot");
  EXPECT_NE(naswot.find("seed 1: \u2014"), std::string::npos);  // undefined in one seed
  EXPECT_NE(naswot.find(">sd 0.007 over 2 seeds<"), std::string::npos);
  EXPECT_EQ(row_of("nb201-cifar10.html", "synflow").find("seed-spread"), std::string::npos);
  EXPECT_NE(page("nb201-cifar10.html").find("<dt>sd over seeds</dt>"), std::string::npos);
  EXPECT_EQ(page("nb101-cifar10.html").find("sd over seeds"), std::string::npos);
}

TEST_F(SiteRender, IndexNamesTheProxiesTheBestCannotBeToldFrom) {
  const std::string index = page("index.html");
  // nb201/cifar10: zico leads, naswot's paired interval crosses 0; nb101 has no comparisons.
  EXPECT_NE(index.find("<span class=\"proxy-name\">zico</span> <span class=\"est\">0.801</span>"
                       "<span class=\"sub\" title=\"not distinguishable from the best"),
            std::string::npos);
  EXPECT_NE(index.find(">\u2248 naswot</span>"), std::string::npos);
  EXPECT_EQ(count(index, "\u2248 "), 1U);
}

TEST_F(SiteRender, EveryProxyHasAPageLinkedFromTheTables) {
  // One page per proxy of the run; a name unsafe in a file name is made safe.
  for (const char* name : {"proxy-synflow.html", "proxy-naswot.html", "proxy-zico.html",
                           "proxy-snip.html", "proxy-grad_norm.html", "proxy-jacov.html",
                           "proxy-fisher_script_alert__xss____script_.html"}) {
    EXPECT_TRUE(fs::is_regular_file(site_ / name)) << name;
  }
  const std::string fisher = page("proxy-fisher_script_alert__xss____script_.html");
  EXPECT_EQ(fisher.find("<script>alert"), std::string::npos);
  EXPECT_NE(fisher.find("do not describe this proxy"), std::string::npos);  // not catalogued

  const std::string synflow = page("proxy-synflow.html");
  EXPECT_NE(synflow.find("<dt>Paper</dt><dd>Tanaka et al., Pruning neural networks"),
            std::string::npos);
  EXPECT_NE(synflow.find("<dt>Direction</dt><dd>higher is better</dd>"), std::string::npos);
  EXPECT_NE(synflow.find("<dt>Inputs</dt><dd>none, no BN, f64</dd>"), std::string::npos);
  // Both tasks, with its place by Spearman and its estimates; its published values.
  EXPECT_NE(synflow.find("<a href=\"nb201-cifar10.html\">nb201 / cifar10</a>"), std::string::npos);
  EXPECT_NE(synflow.find("<a href=\"nb101-cifar10.html\">nb101 / cifar10</a>"), std::string::npos);
  EXPECT_NE(synflow.find(">3 of 6</td>"), std::string::npos);  // 0.761 after zico and naswot
  EXPECT_NE(synflow.find("<span class=\"est\">0.761</span>"), std::string::npos);
  EXPECT_NE(synflow.find("3 values papers report for this proxy"), std::string::npos);
  // A variant links to what it varies, and back.
  EXPECT_NE(page("proxy-snip.html").find("<a href=\"proxy-grad_norm.html\">"), std::string::npos);
  EXPECT_NE(page("proxy-grad_norm.html")
                .find("<dt>Its variants here</dt><dd><a href=\"proxy-snip.html\">"),
            std::string::npos);
  // The task table, the leaderboard and the published values link the pages.
  EXPECT_NE(row_of("nb201-cifar10.html", "synflow").find("<a href=\"proxy-synflow.html\">"),
            std::string::npos);
  EXPECT_NE(row_of("index.html", "synflow").find("<a href=\"proxy-synflow.html\">"),
            std::string::npos);
  EXPECT_NE(page("published.html").find("<a href=\"proxy-synflow.html\">"), std::string::npos);
}

TEST_F(SiteRender, ProxyPagesPlotTheirRankingAgainstTheTruth) {
  const std::string synflow = page("proxy-synflow.html");
  EXPECT_EQ(count(synflow, "<circle "), 5U);  // nb201's five points; nb101 has no scatter
  // Place 0 at the left edge (x 46), place 1 at the right (352); the lowest truth at the bottom
  // (y 206), the highest at the top (10).
  EXPECT_NE(synflow.find("<circle cx=\"46.0\" cy=\"206.0\" r=\"1.6\">"), std::string::npos);
  EXPECT_NE(synflow.find("<circle cx=\"352.0\" cy=\"10.0\" r=\"1.6\">"), std::string::npos);
  EXPECT_NE(synflow.find(">94.37</text>"), std::string::npos);
  EXPECT_NE(synflow.find(">85.00</text>"), std::string::npos);
  EXPECT_NE(synflow.find("Spearman \u03c1 0.761, 5 architectures"), std::string::npos);
  EXPECT_EQ(count(page("proxy-naswot.html"), "<circle "), 0U);
}

TEST_F(SiteRender, NegativeCorrelationsUseATypographicMinus) {
  const std::string snip = row_of("nb101-cifar10.html", "snip");
  EXPECT_NE(snip.find(kMinus + "0.160"), std::string::npos);
  EXPECT_NE(snip.find("[" + kMinus + "0.220, " + kMinus + "0.099]"), std::string::npos);
  EXPECT_NE(snip.find("class=\"ci-zero\""), std::string::npos);
}

TEST_F(SiteRender, NullAndMissingValuesRenderAsADash) {
  const std::string dash = "\u2014";
  const std::string jacov = row_of("nb101-cifar10.html", "jacov");
  EXPECT_NE(jacov.find("title=\"null in the stats: not computable on these architectures (too few, "
                       "or constant scores)\">" +
                       dash),
            std::string::npos);
  EXPECT_NE(jacov.find("0.148"), std::string::npos);  // pearson estimate without interval
  EXPECT_NE(jacov.find("⚠"), std::string::npos);      // 94.7% coverage is flagged

  const std::string unsupported =
      row_of("nb101-cifar10.html", "fisher&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;");
  EXPECT_EQ(count(unsupported, "<span class=\"missing\""), 4U);  // every statistic null
  EXPECT_GE(count(unsupported, ">" + dash + "<"), 6U);           // + build and score ms
  EXPECT_NE(unsupported.find("unsupported <span class=\"count\">1\u202f000</span>"),
            std::string::npos);
}

TEST_F(SiteRender, IndexRanksByMeanRankAndLinksTasks) {
  const std::string html = page("index.html");
  EXPECT_NE(html.find("mean of these ranks"), std::string::npos);  // aggregation documented
  EXPECT_NE(html.find("<a href=\"nb201-cifar10.html\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"nb101-cifar10.html\">"), std::string::npos);
  EXPECT_NE(html.find("<a href=\"provenance.html\">"), std::string::npos);
  // zico is first (rank 1 on both tasks); the unsupported proxy last.
  const auto zico = html.find("<span class=\"proxy-name\">zico</span>");
  const auto synflow = html.find("<span class=\"proxy-name\">synflow</span>");
  const auto fisher = html.find("<span class=\"proxy-name\">fisher&lt;");
  EXPECT_LT(zico, synflow);
  EXPECT_LT(synflow, fisher);
  EXPECT_NE(row_of("index.html", "zico").find("#1</span>"), std::string::npos);
  // Run summary from the provenance.
  EXPECT_NE(html.find("AMD EPYC 7R13"), std::string::npos);
  EXPECT_NE(html.find("2025-01-14T02:00:03Z"), std::string::npos);
}

TEST_F(SiteRender, ProvenancePageShowsNestedProvenanceAndConfig) {
  const std::string html = page("provenance.html");
  EXPECT_NE(html.find("cublas_workspace_config"), std::string::npos);  // nested object
  EXPECT_NE(html.find(":4096:8"), std::string::npos);
  EXPECT_NE(html.find("nb201_v1_1"), std::string::npos);             // config
  EXPECT_NE(html.find("synflow, naswot, zico"), std::string::npos);  // array of scalars
}

TEST_F(SiteRender, PublishedPageSetsEachPaperValueBesideOurs) {
  const std::string html = page("published.html");
  EXPECT_EQ(count(html, "<tr class=\"verdict-"), 3U);
  EXPECT_NE(html.find("3 published values: <strong>1</strong> reproduced"), std::string::npos);
  EXPECT_NE(html.find("<strong>1</strong> where we measure more"), std::string::npos);
  EXPECT_NE(html.find("<strong>1</strong> not computed"), std::string::npos);
  // The paper's value as printed (its own digits), ours with its interval and what it is over.
  EXPECT_NE(html.find(">0.76</span>"), std::string::npos);
  EXPECT_NE(html.find(">0.737</span>"), std::string::npos);
  EXPECT_NE(html.find("[0.730, 0.789]"), std::string::npos);
  EXPECT_NE(html.find("all 1\u202f000 scored"), std::string::npos);
  EXPECT_NE(html.find("|Spearman ρ|"), std::string::npos);  // a paper that tabulates |rho|
  EXPECT_NE(html.find(">ours higher<"), std::string::npos);
  EXPECT_NE(html.find(">not computed<"), std::string::npos);
  EXPECT_NE(html.find("Datasets &amp; Benchmarks"), std::string::npos);  // escaped
  EXPECT_NE(html.find("href=\"nb201-cifar10.html\""), std::string::npos);
  EXPECT_NE(html.find("claims.json"), std::string::npos);  // a user's file is named
  // Against which ground truth: the paper's (marked), or the run's and why.
  EXPECT_NE(
      html.find(
          "title=\"the paper&apos;s ground truth\">vs <code>valid_acc_200ep_nb201v11</code> ✓"),
      std::string::npos);
  EXPECT_NE(html.find("title=\"the run&apos;s; the paper&apos;s is not in the table\""),
            std::string::npos);
  EXPECT_NE(html.find("title=\"the run&apos;s; the paper&apos;s is not known\""),
            std::string::npos);
  // The task page points to it; a task without published values does not.
  EXPECT_NE(page("nb201-cifar10.html").find("3 values from papers</a>, 1 within our interval"),
            std::string::npos);
  EXPECT_EQ(page("nb101-cifar10.html").find("values from papers"), std::string::npos);
  // Every page links it, and the leaderboard sums it up.
  EXPECT_NE(page("index.html").find("href=\"published.html\">3 published values</a>, 1 within"),
            std::string::npos);
}

TEST(SiteRenderOutput, UnknownStatisticsGetAColumn) {
  TempDir dir;
  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  testing::edit_json(stats / "nb201" / "cifar10.json", [](auto& json) {
    json["proxies"][0]["stats"]["regret_top10"] = {{"estimate", 1.25}, {"lo", 0.5}, {"hi", 2.0}};
  });
  render_site(stats, dir.path() / "site");
  const std::string html = read_text(dir.path() / "site" / "nb201-cifar10.html");
  EXPECT_NE(html.find(">regret_top10</th>"), std::string::npos);
  EXPECT_NE(html.find("[0.500, 2.000]"), std::string::npos);
  EXPECT_NE(read_text(dir.path() / "site" / "nb201-cifar10.csv").find("regret_top10_hi"),
            std::string::npos);
}

TEST(SiteRenderOutput, ARegretIsBetterLow) {
  // nb101: regret for synflow (2.5), naswot (0.5) and zico (1.0), compared on it alone.
  TempDir dir;
  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  testing::edit_json(stats / "nb101" / "cifar10.json", [](auto& json) {
    const double regrets[] = {2.5, 0.5, 1.0};
    for (int p = 0; p < 3; ++p) {
      json["proxies"][p]["stats"]["top10_regret"] = {
          {"estimate", regrets[p]}, {"lo", regrets[p] - 0.3}, {"hi", regrets[p] + 0.3}};
    }
    const auto pair = [](const char* a, const char* b, double estimate, double lo, double hi) {
      return nlohmann::ordered_json{
          {"a", a},
          {"b", b},
          {"difference", {{"estimate", estimate}, {"lo", lo}, {"hi", hi}}},
          {"share_a_better", 0.5}};
    };
    json["comparisons"] = {
        {"top10_regret",
         {pair("synflow", "naswot", 2.0, 1.5, 2.5), pair("synflow", "zico", 1.5, 1.0, 2.0),
          pair("naswot", "zico", -0.5, -1.1, 0.1)}}};
  });
  render_site(stats, dir.path() / "site");
  const std::string html = read_text(dir.path() / "site" / "nb101-cifar10.html");
  EXPECT_NE(html.find("data-sort-first=\"ascending\" title=\"Best ground truth of all minus"),
            std::string::npos);
  EXPECT_NE(html.find(">Regret@10%</th>"), std::string::npos);
  // The lowest regret is the best; a positive difference row - column is worse.
  EXPECT_NE(
      html.find("Not distinguishable from the best, <span class=\"proxy-name\">naswot</span>, "
                "at this confidence: <span class=\"proxy-name\">zico</span>."),
      std::string::npos);
  EXPECT_NE(html.find("title=\"synflow " + kMinus + " naswot: worse;"), std::string::npos);
  EXPECT_NE(html.find("title=\"naswot " + kMinus + " synflow: better;"), std::string::npos);
}

TEST(SiteRenderOutput, TaskWithoutStatisticsSaysWhy) {
  TempDir dir;
  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  testing::edit_json(stats / "nb201" / "cifar10.json", [](auto& json) {
    json["n_common"] = 2;
    json["stats_reason"] = "only 2 architectures were scored ok by every proxy";
    for (auto& proxy : json["proxies"]) {
      proxy["stats"] = nullptr;
    }
    json["proxies"][0]["n_missing"] = 3;
  });
  render_site(stats, dir.path() / "site");
  const std::string html = read_text(dir.path() / "site" / "nb201-cifar10.html");
  EXPECT_NE(html.find("No statistics for this task:</strong> only 2 architectures"),
            std::string::npos);
  // The columns named in "statistics" are still there, every cell says why it is empty.
  EXPECT_NE(html.find(">Kendall \u03c4-b</th>"), std::string::npos);
  EXPECT_EQ(count(html, "title=\"not computed: only 2 architectures"), 7U * 4U);
  EXPECT_NE(html.find("not scored <span class=\"count\">3</span>"), std::string::npos);
}

TEST(SiteRenderOutput, RetrainedNetworksAreCountedAsNetworks) {
  TempDir dir;
  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  testing::edit_json(stats / "nb201" / "cifar10.json", [](auto& json) {
    json["n_common"] = 100;
    json["n_distinct_networks"] = 2;
  });
  testing::edit_json(stats / "nb101" / "cifar10.json",
                     [](auto& json) { json["n_distinct_networks"] = json["n_common"]; });
  render_site(stats, dir.path() / "site");
  EXPECT_NE(read_text(dir.path() / "site" / "nb201-cifar10.html")
                .find("100 scored by every proxy, of 1\u202f000 planned; they are 2 distinct "
                      "networks, the others retrainings of them with other seeds"),
            std::string::npos);
  EXPECT_EQ(read_text(dir.path() / "site" / "nb101-cifar10.html").find("distinct networks"),
            std::string::npos);
}

TEST(SiteRenderOutput, SaysWhetherCorrelationsAreOriented) {
  TempDir dir;
  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  render_site(stats, dir.path() / "site");
  EXPECT_NE(read_text(dir.path() / "site" / "index.html").find("Correlations are oriented"),
            std::string::npos);
  EXPECT_NE(read_text(dir.path() / "site" / "nb201-cifar10.html").find("statistics are oriented"),
            std::string::npos);

  testing::edit_json(stats / "nb101" / "cifar10.json",
                     [](auto& json) { json["oriented"] = false; });
  render_site(stats, dir.path() / "site");
  EXPECT_NE(read_text(dir.path() / "site" / "index.html")
                .find("Not every task reports oriented correlations"),
            std::string::npos);
  EXPECT_NE(
      read_text(dir.path() / "site" / "nb101-cifar10.html").find("The statistics are not oriented"),
      std::string::npos);
}

TEST(SiteRenderOutput, ReplacesAPreviousSite) {
  TempDir dir;
  const fs::path site = dir.path() / "site";
  render_site(testing::fixture_dir(), site);
  testing::write_text(site / "stale.html", "old");
  render_site(testing::fixture_dir(), site);
  EXPECT_FALSE(fs::exists(site / "stale.html"));
  EXPECT_TRUE(fs::exists(site / "index.html"));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(SiteRenderOutput, FailedRenderLeavesThePreviousSiteIntact) {
  TempDir dir;
  const fs::path site = dir.path() / "out" / "site";
  render_site(testing::fixture_dir(), site);
  const std::string before = read_text(site / "index.html");

  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  testing::edit_json(stats / "nb101" / "cifar10.json", [](auto& json) { json["kind"] = "x"; });
  EXPECT_THROW(render_site(stats, site), zcb::Error);
  EXPECT_EQ(read_text(site / "index.html"), before);
  EXPECT_TRUE(fs::exists(site / "nb101-cifar10.html"));
  // No temporary directory left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path() / "out"), fs::directory_iterator()), 1);
}

TEST(SiteRenderOutput, RefusesToReplaceADirectoryItDidNotWrite) {
  TempDir dir;
  const fs::path out = dir.path() / "documents";
  testing::write_text(out / "thesis.tex", "precious");
  const std::string message = error_message([&] { render_site(testing::fixture_dir(), out); });
  EXPECT_NE(message.find("not written by zcbench"), std::string::npos) << message;
  EXPECT_EQ(read_text(out / "thesis.tex"), "precious");
  // An empty directory is fine.
  fs::create_directories(dir.path() / "empty");
  render_site(testing::fixture_dir(), dir.path() / "empty");
  EXPECT_TRUE(fs::exists(dir.path() / "empty" / "index.html"));
}

TEST(SiteRenderOutput, UnsafeTaskNamesAreRejected) {
  TempDir dir;
  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  testing::edit_json(stats / "run.json", [](auto& json) { json["tasks"][0]["task"] = "a/../b"; });
  testing::edit_json(stats / "nb201" / "cifar10.json", [](auto& json) { json["task"] = "a/../b"; });
  const std::string message = error_message([&] { render_site(stats, dir.path() / "site"); });
  EXPECT_NE(message.find("cannot be used in a file name"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(dir.path() / "site"));
}

TEST(SiteRenderOutput, CollidingPageNamesAreRejected) {
  TempDir dir;
  const fs::path stats = testing::copy_fixture(dir.path() / "stats");
  // "nb201-x" / "cifar10" and "nb201" / "x-cifar10" would both be nb201-x-cifar10.html.
  testing::edit_json(stats / "run.json", [](auto& json) {
    json["tasks"][0]["space"] = "nb201-x";
    json["tasks"][1]["space"] = "nb201";
    json["tasks"][1]["task"] = "x-cifar10";
  });
  testing::edit_json(stats / "nb201" / "cifar10.json",
                     [](auto& json) { json["space"] = "nb201-x"; });
  testing::edit_json(stats / "nb101" / "cifar10.json", [](auto& json) {
    json["space"] = "nb201";
    json["task"] = "x-cifar10";
  });
  const std::string message = error_message([&] { render_site(stats, dir.path() / "site"); });
  EXPECT_NE(message.find("nb201-x-cifar10.html"), std::string::npos) << message;
}

TEST(SiteRenderOutput, WorksFromAnyWorkingDirectory) {
  TempDir dir;
  const fs::path previous = fs::current_path();
  fs::current_path(dir.path());
  render_site(testing::fixture_dir(), "relative-site");
  fs::current_path(previous);
  EXPECT_TRUE(fs::exists(dir.path() / "relative-site" / "assets" / "style.css"));
}

}  // namespace
}  // namespace zcb::site
