#include "heuristics/workload_selection.hpp"

#include <algorithm>
#include <cmath>
#include <queue>
#include <set>

#include "heuristics/number_format.hpp"

namespace heuristics {

namespace {

constexpr std::int64_t unknown_size_bytes = 8192;
constexpr double cost_epsilon = 1e-6;

using IndexSet = std::vector<std::size_t>;  //!< sorted candidate indexes

IndexSet with(IndexSet set, std::size_t c)
{
  set.insert(std::lower_bound(set.begin(), set.end(), c), c);
  return set;
}

IndexSet without(IndexSet set, std::size_t c)
{
  set.erase(std::remove(set.begin(), set.end(), c), set.end());
  return set;
}

bool contains(const IndexSet& set, std::size_t c) { return std::binary_search(set.begin(), set.end(), c); }

std::string percent(double ratio) { return format_percent(std::max(ratio, 0.0)); }

//! The search state shared by the greedy runs, the improvement pass and the enumeration: the
//! what-if cache and the per-query relevance learned from the single-index costs.
class Search {
public:
  Search(const std::vector<WorkloadQueryInfo>& queries, const std::vector<SelectionCandidate>& candidates,
         const WhatIfCost& cost, const WorkloadSelectionSettings& settings, WorkloadSelection& out)
      : m_queries(queries), m_candidates(candidates), m_cost(cost), m_settings(settings), m_out(out)
  {
    m_base.resize(queries.size());
    m_relevant.resize(queries.size());
    m_single_benefit.assign(candidates.size(), 0);
    m_on_table.resize(candidates.size());
  }

  //! Costs every query alone and with each candidate alone; learns which candidates matter to
  //! which query.
  void cost_singles()
  {
    for (std::size_t q = 0; q < m_queries.size(); ++q) {
      m_base[q] = call(q, {});
      if (!m_base[q])
        m_out.notes.push_back("query " + m_queries[q].label + " could not be costed; left out of the choice");
    }
    for (std::size_t c = 0; c < m_candidates.size(); ++c) {
      for (std::size_t q = 0; q < m_queries.size(); ++q) {
        if (!m_base[q] || !on_query_table(c, q))
          continue;
        m_on_table[c].push_back(q);
        const auto alone = call(q, {c});
        if (alone && *alone < *m_base[q] - cost_epsilon) {
          m_relevant[q].push_back(c);
          m_single_benefit[c] += m_queries[q].calls * (*m_base[q] - *alone);
        }
      }
      m_single_benefit[c] -= m_candidates[c].maintenance_cost;
    }
  }

  //! Cost of q with the set present, through the cache; a failed call counts as no change.
  double cost(std::size_t q, const IndexSet& set)
  {
    IndexSet relevant;
    for (std::size_t c : set)
      if (std::binary_search(m_relevant[q].begin(), m_relevant[q].end(), c))
        relevant.push_back(c);
    if (relevant.empty())
      return *m_base[q];
    return call(q, relevant).value_or(*m_base[q]);
  }

  //! Σ calls × saved − maintenance.
  double benefit(const IndexSet& set)
  {
    double total = 0;
    for (std::size_t q = 0; q < m_queries.size(); ++q)
      if (m_base[q])
        total += m_queries[q].calls * (*m_base[q] - cost(q, set));
    for (std::size_t c : set)
      total -= m_candidates[c].maintenance_cost;
    return total;
  }

  struct Marginal {
    double benefit = 0;       //!< Σ calls × saved − maintenance
    double served_cost = 0;   //!< Σ calls × cost of the queries it may serve, before it
    double gain() const { return served_cost > 0 ? (benefit) / served_cost : 0; }
  };

  Marginal marginal(std::size_t c, const IndexSet& set)
  {
    Marginal m;
    const IndexSet bigger = with(set, c);
    for (std::size_t q = 0; q < m_queries.size(); ++q) {
      if (!std::binary_search(m_relevant[q].begin(), m_relevant[q].end(), c))
        continue;
      const double before = cost(q, set);
      m.served_cost += m_queries[q].calls * before;
      m.benefit += m_queries[q].calls * (before - cost(q, bigger));
    }
    m.benefit -= m_candidates[c].maintenance_cost;
    return m;
  }

  std::int64_t bytes(std::size_t c) const
  {
    return m_candidates[c].bytes > 0 ? m_candidates[c].bytes : unknown_size_bytes;
  }

  std::int64_t bytes(const IndexSet& set) const
  {
    std::int64_t total = 0;
    for (std::size_t c : set)
      total += bytes(c);
    return total;
  }

  //! Why c cannot join the set (budget, per-table limit, already served), or nullopt.
  std::optional<std::string> infeasible(std::size_t c, const IndexSet& set) const
  {
    const auto& candidate = m_candidates[c];
    for (std::size_t s : set) {
      if (served_by_prefix(candidate.candidate, m_candidates[s].candidate))
        return "served by the leading columns of " + m_candidates[s].candidate.index_name() + ", also recommended";
    }
    const std::int64_t used = bytes(set);
    if (used + bytes(c) > m_settings.budget_bytes)
      return "needs " + format_bytes(bytes(c)) + " but only " +
             format_bytes(std::max<std::int64_t>(m_settings.budget_bytes - used, 0)) + " of the " +
             format_bytes(m_settings.budget_bytes) + " size budget is left";
    std::size_t same_table = 0;
    for (std::size_t s : set)
      same_table += m_candidates[s].table == candidate.table ? 1 : 0;
    if (same_table >= m_settings.max_per_table)
      return candidate.table + " already gets " + std::to_string(same_table) + " new indexes (the limit)";
    return std::nullopt;
  }

  bool feasible(const IndexSet& set) const
  {
    IndexSet partial;
    for (std::size_t c : set) {
      if (infeasible(c, partial))
        return false;
      partial = with(partial, c);
    }
    // Order matters for prefix service: check the other way round as well.
    for (std::size_t a : set)
      for (std::size_t b : set)
        if (a != b && served_by_prefix(m_candidates[a].candidate, m_candidates[b].candidate))
          return false;
    return true;
  }

  //! Why c is not worth adding to the set, or nullopt when it is.
  std::optional<std::string> not_worth(std::size_t c, const IndexSet& set)
  {
    if (m_single_benefit[c] + m_candidates[c].maintenance_cost <= cost_epsilon)
      return m_on_table[c].empty() ? "no costed query reads " + m_candidates[c].table
                                   : "no query of the workload gets cheaper with it (" +
                                       std::to_string(m_on_table[c].size()) + " on its table costed)";
    const auto m = marginal(c, set);
    if (m.benefit <= cost_epsilon) {
      if (m_candidates[c].maintenance_cost > 0 && m.benefit + m_candidates[c].maintenance_cost > 0)
        return "saves " + format_number(m.benefit + m_candidates[c].maintenance_cost) +
               " cost units but its maintenance under the workload's writes costs " +
               format_number(m_candidates[c].maintenance_cost);
      return set.empty() ? "not cheaper for any query" : "no further saving once the chosen indexes exist";
    }
    if (m.gain() < m_settings.min_improvement)
      return percent(m.gain()) + " cheaper for the queries it serves" + (set.empty() ? "" : " on top of the chosen indexes") +
             ", below the " + percent(m_settings.min_improvement) + " bar";
    return std::nullopt;
  }

  //! Greedy: by benefit per byte when `per_byte`, else by benefit; lazily re-costed.
  IndexSet greedy(bool per_byte)
  {
    IndexSet set;
    using Entry = std::pair<double, std::size_t>;
    std::priority_queue<Entry> queue;
    std::vector<std::size_t> version(m_candidates.size(), 0);
    const auto key = [&](std::size_t c, double benefit) {
      return per_byte ? benefit / static_cast<double>(bytes(c)) : benefit;
    };
    for (std::size_t c = 0; c < m_candidates.size(); ++c)
      if (m_single_benefit[c] > cost_epsilon)
        queue.emplace(key(c, m_single_benefit[c]), c);
    std::size_t round = 0;
    while (!queue.empty()) {
      const auto [bound, c] = queue.top();
      queue.pop();
      if (infeasible(c, set) || not_worth(c, set))
        continue;
      if (version[c] != round) {
        // Stale bound: re-cost on the current set; keep it only if it still leads.
        version[c] = round;
        const double fresh = key(c, marginal(c, set).benefit);
        if (!queue.empty() && fresh < queue.top().first) {
          queue.emplace(fresh, c);
          continue;
        }
      }
      set = with(set, c);
      ++round;
    }
    return set;
  }

  //! Removal, swap and addition moves while they raise the benefit.
  IndexSet improve(IndexSet set)
  {
    for (std::size_t round = 0; round < m_settings.swap_rounds; ++round) {
      bool improved = false;
      for (std::size_t c : IndexSet(set)) {
        const IndexSet rest = without(set, c);
        if (not_worth(c, rest) || benefit(rest) >= benefit(set) - cost_epsilon) {
          set = rest;
          improved = true;
        }
      }
      double current = benefit(set);
      for (std::size_t c : IndexSet(set)) {
        if (!contains(set, c))
          continue;
        for (std::size_t d = 0; d < m_candidates.size(); ++d) {
          if (contains(set, d) || m_single_benefit[d] <= cost_epsilon)
            continue;
          const IndexSet swapped = with(without(set, c), d);
          if (!feasible(swapped))
            continue;
          const double value = benefit(swapped);
          if (value > current * (1 + 1e-9) + cost_epsilon && !not_worth(d, without(swapped, d))) {
            set = swapped;
            current = value;
            improved = true;
            break;
          }
        }
      }
      for (std::size_t d = 0; d < m_candidates.size(); ++d) {
        if (contains(set, d) || m_single_benefit[d] <= cost_epsilon || infeasible(d, set) || not_worth(d, set))
          continue;
        set = with(set, d);
        improved = true;
      }
      if (!improved)
        break;
    }
    return set;
  }

  //! Fills the result for the final set: per-index gains, every other candidate's reason.
  void finish(const IndexSet& set)
  {
    for (std::size_t q = 0; q < m_queries.size(); ++q) {
      m_out.cost_without.push_back(m_base[q]);
      m_out.cost_with.push_back(m_base[q] ? std::optional<double>(cost(q, set)) : std::nullopt);
      if (m_base[q]) {
        m_out.total_without += m_queries[q].calls * *m_base[q];
        m_out.total_with += m_queries[q].calls * cost(q, set);
      }
    }
    for (std::size_t c : set) {
      ChosenIndex chosen;
      chosen.candidate = c;
      const IndexSet rest = without(set, c);
      for (std::size_t q = 0; q < m_queries.size(); ++q) {
        if (!std::binary_search(m_relevant[q].begin(), m_relevant[q].end(), c))
          continue;
        QueryGain gain{q, cost(q, rest), cost(q, set)};
        if (gain.cost_without - gain.cost_with > cost_epsilon) {
          chosen.benefit += m_queries[q].calls * (gain.cost_without - gain.cost_with);
          chosen.queries.push_back(gain);
        }
      }
      chosen.benefit -= m_candidates[c].maintenance_cost;
      m_out.chosen_bytes += bytes(c);
      m_out.chosen.push_back(std::move(chosen));
    }
    std::stable_sort(m_out.chosen.begin(), m_out.chosen.end(),
                     [](const ChosenIndex& a, const ChosenIndex& b) { return a.benefit > b.benefit; });
    for (std::size_t c = 0; c < m_candidates.size(); ++c) {
      if (contains(set, c))
        continue;
      // Useless on its own first, then what the chosen set leaves no room for, then the gain.
      std::optional<std::string> reason;
      if (m_single_benefit[c] <= cost_epsilon)
        reason = not_worth(c, {});
      if (!reason)
        reason = infeasible(c, set);
      if (!reason)
        reason = not_worth(c, set);
      if (!reason)
        reason = "the chosen set saves more without it (benefit " + format_number(benefit(set)) + " vs " +
                 format_number(benefit(with(set, c))) + " with it)";
      m_out.dropped.push_back({c, *reason});
    }
  }

private:
  std::optional<double> call(std::size_t q, const IndexSet& set)
  {
    auto key = std::make_pair(q, set);
    if (auto it = m_cache.find(key); it != m_cache.end()) {
      ++m_out.cache_hits;
      return it->second;
    }
    ++m_out.what_if_calls;
    auto value = m_cost(q, set);
    m_cache.emplace(std::move(key), value);
    return value;
  }

  bool on_query_table(std::size_t c, std::size_t q) const
  {
    const auto& tables = m_queries[q].tables;
    return std::find(tables.begin(), tables.end(), m_candidates[c].table) != tables.end();
  }

  const std::vector<WorkloadQueryInfo>& m_queries;
  const std::vector<SelectionCandidate>& m_candidates;
  const WhatIfCost& m_cost;
  const WorkloadSelectionSettings& m_settings;
  WorkloadSelection& m_out;
  std::map<std::pair<std::size_t, IndexSet>, std::optional<double>> m_cache;
  std::vector<std::optional<double>> m_base;
  std::vector<IndexSet> m_relevant;  //!< per query, sorted
  std::vector<double> m_single_benefit;
  std::vector<std::vector<std::size_t>> m_on_table;
};

}  // namespace

WorkloadSelection select_for_workload(const std::vector<WorkloadQueryInfo>& queries,
                                      const std::vector<SelectionCandidate>& candidates, const WhatIfCost& cost,
                                      const WorkloadSelectionSettings& settings)
{
  WorkloadSelection out;
  Search search(queries, candidates, cost, settings, out);
  search.cost_singles();
  IndexSet by_ratio = search.improve(search.greedy(true));
  IndexSet by_benefit = search.improve(search.greedy(false));
  search.finish(search.benefit(by_benefit) > search.benefit(by_ratio) + cost_epsilon ? by_benefit : by_ratio);
  return out;
}

std::optional<WorkloadSelection> exhaustive_selection(const std::vector<WorkloadQueryInfo>& queries,
                                                      const std::vector<SelectionCandidate>& candidates,
                                                      const WhatIfCost& cost,
                                                      const WorkloadSelectionSettings& settings)
{
  if (candidates.size() > 20)
    return std::nullopt;
  WorkloadSelection out;
  Search search(queries, candidates, cost, settings, out);
  search.cost_singles();
  IndexSet best;
  double best_benefit = 0;
  for (std::uint32_t mask = 1; mask < (1u << candidates.size()); ++mask) {
    IndexSet set;
    for (std::size_t c = 0; c < candidates.size(); ++c)
      if (mask & (1u << c))
        set.push_back(c);
    if (!search.feasible(set))
      continue;
    // The same bar as the greedy search: every member must pay off on top of the others.
    bool all_worth = true;
    for (std::size_t c : set)
      all_worth = all_worth && !search.not_worth(c, without(set, c));
    if (!all_worth)
      continue;
    const double value = search.benefit(set);
    if (value > best_benefit + cost_epsilon) {
      best_benefit = value;
      best = set;
    }
  }
  search.finish(best);
  return out;
}

}  // namespace heuristics
