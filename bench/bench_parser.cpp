// Parser throughput: raw pg_query_parse against our fingerprint + QueryShape pipeline, over
// a generated mix of distinct queries. Prints figures; not a test.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include <pg_query.h>

#include "bench/query_corpus.hpp"
#include "parser/query.hpp"

namespace {

template <typename F>
double queries_per_second(const std::vector<std::string>& queries, F&& run, int rounds)
{
  for (const auto& q : queries)  // warm-up
    run(q);
  std::vector<double> rates;
  for (int r = 0; r < rounds; ++r) {
    auto start = std::chrono::steady_clock::now();
    for (const auto& q : queries)
      run(q);
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    rates.push_back(static_cast<double>(queries.size()) / took.count());
  }
  std::sort(rates.begin(), rates.end());
  return rates[rates.size() / 2];
}

}  // namespace

int main(int argc, char** argv)
{
  int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 7;
  auto queries = bench::generate();
  std::set<std::uint64_t> fingerprints;
  std::size_t bytes = 0;
  for (const auto& q : queries) {
    auto fp = parser::fingerprint(q);
    if (!fp) {
      std::fprintf(stderr, "bench query does not parse: %s\n  %s\n", fp.error().message.c_str(), q.c_str());
      return 1;
    }
    fingerprints.insert(fp->value);
    bytes += q.size();
  }
  std::printf("queries: %zu distinct texts, %zu distinct fingerprints, mean %zu bytes; median of %d rounds\n",
              queries.size(), fingerprints.size(), bytes / queries.size(), rounds);

  std::size_t sink = 0;
  double raw = queries_per_second(queries, [&](const std::string& q) {
    PgQueryParseResult r = pg_query_parse(q.c_str());
    sink += r.parse_tree ? 1 : 0;
    pg_query_free_parse_result(r);
  }, rounds);
  double fast = queries_per_second(queries, [&](const std::string& q) {
    auto info = parser::analyse(q, parser::AnalyseOptions{false});
    sink += info->shape.tables.size();
  }, rounds);
  double full = queries_per_second(queries, [&](const std::string& q) {
    auto info = parser::analyse(q);
    sink += info->normalized.size();
  }, rounds);
  double dom = queries_per_second(queries, [&](const std::string& q) {
    auto parsed = parser::parse(q);
    auto shape = parser::extract_shape(*parsed);
    auto fp = parser::fingerprint(q);
    sink += shape.tables.size() + fp->value % 2;
  }, rounds);
  double fp_only = queries_per_second(queries, [&](const std::string& q) {
    sink += parser::fingerprint(q)->value % 2;
  }, rounds);

  std::printf("raw pg_query_parse:            %9.0f q/s  (%.1f us/q)\n", raw, 1e6 / raw);
  std::printf("pg_query_fingerprint alone:    %9.0f q/s  (%.1f us/q)\n", fp_only, 1e6 / fp_only);
  std::printf("fingerprint+shape (analyse, no normalize): %9.0f q/s  (%.1f us/q)\n", fast, 1e6 / fast);
  std::printf("analyse with normalize:        %9.0f q/s  (%.1f us/q)\n", full, 1e6 / full);
  std::printf("nlohmann DOM path (parse+extract_shape+fingerprint): %9.0f q/s  (%.1f us/q)\n", dom, 1e6 / dom);
  std::printf("raw pg_query_parse: %.0f q/s; fingerprint+shape: %.0f q/s; ratio: %.2f (target >= 0.8)\n", raw,
              fast, fast / raw);
  return sink == 0 ? 1 : 0;
}
