#include "heuristics/rewrites/rewrite_rules.hpp"

#include "heuristics/rewrites/correlated_subquery_in_select.hpp"
#include "heuristics/rewrites/count_star_full_table.hpp"
#include "heuristics/rewrites/distinct_over_join.hpp"
#include "heuristics/rewrites/function_on_column.hpp"
#include "heuristics/rewrites/implicit_cast_on_column.hpp"
#include "heuristics/rewrites/large_in_list.hpp"
#include "heuristics/rewrites/leading_wildcard_like.hpp"
#include "heuristics/rewrites/not_in_subquery.hpp"
#include "heuristics/rewrites/offset_pagination.hpp"
#include "heuristics/rewrites/or_across_columns.hpp"
#include "heuristics/rewrites/order_by_random.hpp"
#include "heuristics/rewrites/select_star.hpp"
#include "heuristics/rewrites/unbounded_result.hpp"

namespace heuristics::rewrites {

std::vector<Rule> rewrite_rules()
{
  return {
    not_in_subquery(),
    or_across_columns(),
    offset_pagination(),
    leading_wildcard_like(),
    function_on_column(),
    select_star(),
    count_star_full_table(),
    order_by_random(),
    large_in_list(),
    distinct_over_join(),
    correlated_subquery_in_select(),
    unbounded_result(),
    implicit_cast_on_column(),
  };
}

}  // namespace heuristics::rewrites
