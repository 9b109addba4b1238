// rbig report: the HTML file parses as XML, has the plots each section promises, prints the
// numbers `rbig info --json` and `rbig score --json` give for the same model and data, and bad
// input leaves no file. No pixel or golden comparisons.

#include "support.hpp"
#include "xml_tree.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

using namespace rbig::cli_test;

namespace {

const std::string kFixtures = RBIG_FIXTURE_DIR;

/// Runs rbig report and parses the file it wrote.
XmlElement report(TempDir& dir, std::vector<std::string> args, const std::string& out) {
  args.insert(args.begin(), "report");
  args.insert(args.end(), {"-o", out});
  const Result r = dir.run(args);
  INFO("stderr: ", r.err);
  REQUIRE(r.status == 0);
  CHECK(r.out.empty());
  return parse_xml(read_text(out));
}

const XmlElement& section(const XmlElement& root, const std::string& id) {
  const XmlElement* found = find_by_id(root, id);
  REQUIRE_MESSAGE(found != nullptr, "no section ", id);
  CHECK(found->name == "section");
  return *found;
}

size_t plots(const XmlElement& root, const std::string& id) {
  return find_all(section(root, id), "svg").size();
}

/// A two-column table of a section (the index-th): header cell text → data cell text.
std::map<std::string, std::string> key_values(const XmlElement& in, size_t index) {
  const std::vector<const XmlElement*> tables = find_all(in, "table");
  REQUIRE(tables.size() > index);
  std::map<std::string, std::string> rows;
  for (const XmlElement* tr : find_all(*tables[index], "tr")) {
    REQUIRE(tr->children.size() == 2);
    rows[tr->children[0].text] = tr->children[1].text;
  }
  return rows;
}

std::map<std::string, std::string> summary(const XmlElement& root) {
  return key_values(section(root, "summary"), 0);
}

/// Data rows of the first table in a section, as cell texts.
std::vector<std::vector<std::string>> table_rows(const XmlElement& root, const std::string& id) {
  std::vector<std::vector<std::string>> rows;
  const std::vector<const XmlElement*> bodies = find_all(section(root, id), "tbody");
  REQUIRE(!bodies.empty());
  for (const XmlElement& tr : bodies.front()->children) {
    std::vector<std::string> cells;
    for (const XmlElement& td : tr.children) cells.push_back(td.text);
    rows.push_back(cells);
  }
  return rows;
}

// The report prints 6 significant digits (like rbig info's text): relative error ≤ 5e-6.
doctest::Approx six_digits(double value) { return doctest::Approx(value).epsilon(1e-5); }

/// A copy of the committed default-fit model of Old Faithful (chosen among candidates on held-out
/// rows): quicker than a fit, and the fixture itself is never an argument that could be written.
std::string faithful_default(TempDir& dir) {
  const std::string model = dir / "faithful.rbig";
  fs::copy_file(kFixtures + "/faithful_default.rbig", model);
  return model;
}

nlohmann::json info_json(TempDir& dir, const std::string& model) {
  const Result r = dir.run({"info", model, "--json"});
  REQUIRE(r.status == 0);
  return parse_json_object(r.out);
}

}  // namespace

TEST_CASE("report: well-formed XML, one plot per section, the numbers of info and score") {
  TempDir dir;
  const std::string model = fit_faithful(dir);
  const XmlElement root = report(dir, {model, "--data", kFaithful}, dir / "r.html");
  const nlohmann::json info = info_json(dir, model);

  CHECK(root.name == "html");
  CHECK(find_all(root, "script").empty());
  bool viewport = false;
  for (const XmlElement* meta : find_all(root, "meta")) {
    viewport =
        viewport || (meta->attributes.count("name") && meta->attributes.at("name") == "viewport");
  }
  CHECK(viewport);
  for (const XmlElement* svg : find_all(root, "svg")) CHECK(svg->attributes.count("viewBox") == 1);

  CHECK(plots(root, "summary") == 0);
  CHECK(plots(root, "information") == 2);  // per layer, running sum
  CHECK(plots(root, "validation") == 1);   // the default fit holds out rows
  CHECK(plots(root, "candidates") == 1);   // and chooses among configurations
  CHECK(plots(root, "marginals") == 2);    // one per column
  CHECK(plots(root, "pairs") == 2);        // data and samples of the only pair of two columns
  CHECK(plots(root, "latent") == 1);

  const std::map<std::string, std::string> rows = summary(root);
  CHECK(rows.at("dimensions") == info["dims"].dump());
  CHECK(rows.at("layers") == info["layers"].dump());
  CHECK(rows.at("fitted on rows") == info["n"].dump());
  CHECK(rows.at("stop") == info["stop"].get<std::string>());
  CHECK(rows.at("stop message") == info["stop_message"].get<std::string>());
  CHECK(std::stod(rows.at("total correlation (nats)")) ==
        six_digits(info["total_correlation"].get<double>()));
  CHECK(rows.at("data rows") == std::to_string(kFaithfulRows));
  const std::map<std::string, std::string> options = key_values(section(root, "summary"), 1);
  for (const char* key : {"marginal", "rotation", "bandwidth"}) {
    // A bandwidth is a rule's name ("annealed") or a number, as the chosen candidate has it.
    const nlohmann::json& value = info["options"][key];
    CHECK_MESSAGE(options.at(key) == (value.is_string() ? value.get<std::string>() : value.dump()),
                  key);
  }
  for (const char* key : {"max_layers", "patience", "validation_patience", "seed"}) {
    CHECK_MESSAGE(options.at(key) == info["options"][key].dump(), key);
  }
  for (const char* key : {"damping", "tol", "validation"}) {
    CHECK_MESSAGE(std::stod(options.at(key)) == six_digits(info["options"][key].get<double>()),
                  key);
  }

  const Result score = dir.run({"score", model, kFaithful, "--json"});
  REQUIRE(score.status == 0);
  CHECK(std::stod(rows.at("data mean log p (nats)")) ==
        six_digits(parse_json_object(score.out)["mean_log_prob"].get<double>()));

  const std::vector<std::vector<std::string>> layers = table_rows(root, "information");
  REQUIRE(layers.size() == info["layers"].get<size_t>());
  for (size_t k = 0; k < layers.size(); ++k) {
    REQUIRE(layers[k].size() == 3);
    CHECK(std::stod(layers[k][1]) == six_digits(info["info_reduction"][k].get<double>()));
    CHECK(std::stod(layers[k][2]) == six_digits(info["validation_log_prob"][k].get<double>()));
  }
}

TEST_CASE("report: the chosen candidate has the best score, which is the held-out curve's end") {
  TempDir dir;
  const std::string model = faithful_default(dir);
  const XmlElement root = report(dir, {model}, dir / "r.html");
  const nlohmann::json info = info_json(dir, model);

  const std::vector<std::vector<std::string>> candidates = table_rows(root, "candidates");
  REQUIRE(candidates.size() >= 6);  // kde and spline × three dampings, at least
  int chosen = 0;
  double best = -1e300, chosen_score = 0.0;
  for (const std::vector<std::string>& row : candidates) {
    REQUIRE(row.size() == 4);
    best = std::max(best, std::stod(row[2]));
    // A candidate the race stopped is listed too, with the best score it reached (in this
    // fixture the annealed one; the parser's reading: tests/test_report_candidates.cpp).
    if (row[3] == "stopped early") {
      CHECK(contains(info["stop_message"].get<std::string>(), row[1] + " " + row[2]));
    }
    if (row[3] == "chosen") {
      ++chosen;
      chosen_score = std::stod(row[2]);
      CHECK(contains(info["stop_message"].get<std::string>(), row[1] + " chosen"));
    }
  }
  CHECK(chosen == 1);
  CHECK(chosen_score == best);
  CHECK(chosen_score == six_digits(info["validation_log_prob"].back().get<double>()));
}

TEST_CASE("report without --data: samples only, and the latent check says no data given") {
  TempDir dir;
  const std::string model = faithful_default(dir);
  const XmlElement root = report(dir, {model}, dir / "r.html");
  CHECK(plots(root, "marginals") == 2);
  CHECK(plots(root, "pairs") == 1);
  CHECK(plots(root, "latent") == 0);
  CHECK(contains(section(root, "latent").text, "No data given"));
  CHECK(contains(section(root, "marginals").text, "No data given"));
  // The samples of the only pair, without data beside them.
  CHECK(find_all(section(root, "pairs"), "rect").size() == 1);

  // Without -o the same document goes to standard output.
  const Result r = dir.run({"report", model});
  REQUIRE(r.status == 0);
  CHECK(r.out == read_text(dir / "r.html"));
  CHECK(parse_xml(r.out).name == "html");
}

TEST_CASE("report on fixture models: plots follow what each model holds") {
  TempDir dir;
  // wine: 13 columns (12 histograms shown), 4 fixed layers, no held-out rows, no candidates.
  const std::string wine = kFixtures + "/wine_spline_ica.rbig";
  const XmlElement root =
      report(dir, {wine, "--data", (kData / "wine.csv").string()}, dir / "w.html");
  const nlohmann::json info = info_json(dir, wine);
  CHECK(info["validation_log_prob"][0].is_null());
  CHECK(plots(root, "validation") == 0);
  CHECK(plots(root, "candidates") == 0);
  CHECK(plots(root, "marginals") == 12);
  CHECK(contains(section(root, "marginals").text, "first 12 of the 13 columns"));
  CHECK(plots(root, "pairs") == 6);  // data and samples of 3 pairs
  CHECK(plots(root, "latent") == 1);
  CHECK(table_rows(root, "latent").size() == 13);  // mean and sd of every latent column
  CHECK(table_rows(root, "information").size() == 4);

  // iris, damped pursuit with held-out rows but its marginal given: a curve, no candidates.
  const std::string iris = kFixtures + "/iris_kde_pursuit_damped.rbig";
  const XmlElement iris_root = report(dir, {iris}, dir / "i.html");
  CHECK(plots(iris_root, "validation") == 1);
  CHECK(plots(iris_root, "pairs") == 3);
  CHECK(plots(iris_root, "marginals") == 4);
}

TEST_CASE("report: column names are escaped and read back intact") {
  TempDir dir;
  const std::string model = faithful_default(dir);
  const std::string data = dir / "names.csv";
  std::string text = "\"a<b&\"\"c\"\"\",'d>\n";
  const std::string faithful = read_text(kFaithful);
  text += faithful.substr(faithful.find('\n') + 1);
  write_text(data, text);
  const XmlElement root = report(dir, {model, "--data", data}, dir / "r.html");
  CHECK(contains(section(root, "marginals").text, "a<b&\"c\": "));
  CHECK(contains(section(root, "pairs").text, "'d> against a<b&\"c\""));
}

TEST_CASE("report: same seed, same bytes; the file also parses with Python's XML parser") {
  TempDir dir;
  const std::string model = faithful_default(dir);
  report(dir, {model, "--data", kFaithful, "--seed", "4"}, dir / "a.html");
  report(dir, {model, "--data", kFaithful, "--seed", "4"}, dir / "b.html");
  report(dir, {model, "--data", kFaithful, "--seed", "5"}, dir / "c.html");
  CHECK(read_text(dir / "a.html") == read_text(dir / "b.html"));
  CHECK(read_text(dir / "a.html") != read_text(dir / "c.html"));
  if (fs::exists("/usr/bin/python3")) {  // an independent parser, where there is one
    const std::string command =
        "/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E; "
        "E.parse(sys.argv[1])' " +
        shell_quote(dir / "a.html");
    CHECK(std::system(command.c_str()) == 0);
  } else {
    MESSAGE("/usr/bin/python3 missing: checked with the test's own parser only");
  }
}

TEST_CASE("report: bad input is refused with its message and writes no file") {
  TempDir dir;
  const std::string model = faithful_default(dir);
  const std::string out = dir / "r.html";
  check_fails(dir, {"report", dir / "missing.rbig", "-o", out}, 1, {"missing.rbig"});
  const std::string bad = dir / "bad.csv";
  write_text(bad, "a,b\n1,2\n3,x\n");
  check_fails(dir, {"report", model, "--data", bad, "-o", out}, 1, {"bad.csv:3:2"});
  check_fails(dir, {"report", model, "--data", (kData / "iris.csv").string(), "-o", out}, 1,
              {"iris.csv has 4 columns", "2 dimensions"});
  const std::string model_bytes = read_text(model);
  check_fails(dir, {"report", model, "-o", model}, 1, {"the output is also the input"});
  check_fails(dir, {"report", model, "--data", kFaithful, "-o", kFaithful}, 1,
              {"the output is also the input"});
  check_fails(dir, {"report", model, "-o", dir / "no/such/folder/r.html"}, 1, {"does not exist"});
  check_fails(dir, {"report", model, "--samples", "0", "-o", out}, 2, {"--samples"});
  CHECK(!fs::exists(out));
  CHECK(read_text(model) == model_bytes);
  CHECK(list_folder(dir.path()) == std::vector<std::string>{".io", "bad.csv", "faithful.rbig"});
}

TEST_CASE("report on every fixture model: parses, and its layer table is info's") {
  TempDir dir;
  for (const std::string name :
       {"faithful_histogram_pca", "iris_kde_random", "faithful_default", "wine_spline_ica",
        "iris_kde_pursuit_damped", "quakes_histogram_bins", "faithful_gaussian"}) {
    INFO(name);
    const std::string model = kFixtures + "/" + name + ".rbig";
    const XmlElement root = report(dir, {model, "--samples", "500"}, dir / (name + ".html"));
    const nlohmann::json info = info_json(dir, model);
    CHECK(summary(root).at("layers") == info["layers"].dump());
    CHECK(summary(root).at("stop") == info["stop"].get<std::string>());
    const std::vector<std::vector<std::string>> layers = table_rows(root, "information");
    REQUIRE(layers.size() == info["layers"].get<size_t>());
    for (size_t k = 0; k < layers.size(); ++k) {
      CHECK(std::stod(layers[k][1]) == six_digits(info["info_reduction"][k].get<double>()));
    }
    const bool validated = !info["validation_log_prob"][0].is_null();
    CHECK(plots(root, "validation") == (validated ? 1 : 0));
    CHECK(plots(root, "information") == 2);
    CHECK(plots(root, "marginals") == std::min<size_t>(info["dims"].get<size_t>(), 12));
  }
}

TEST_CASE("the test's XML parser refuses what is not well-formed") {
  CHECK(parse_xml("<!DOCTYPE html>\n<a x=\"1&amp;2\"><b/>t&#233;&lt;</a>\n").text == "t\u00e9<");
  for (const char* bad :
       {"<a>", "<a></b>", "<a><b></a></b>", "<a x=1/>", "<a x=\"<\"/>", "<a x=\"1\" x=\"2\"/>",
        "<a>&nbsp;</a>", "<a>&</a>", "<a/><b/>", "<a>1 < 2</a>", "text"}) {
    INFO(bad);
    CHECK_THROWS(parse_xml(bad));
  }
}
