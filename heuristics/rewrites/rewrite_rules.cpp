#include "heuristics/rewrites/rewrite_rules.hpp"

namespace heuristics::rewrites {

std::vector<Rule> rewrite_rules()
{
  return {};
}

}  // namespace heuristics::rewrites
