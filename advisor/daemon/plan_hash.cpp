#include "advisor/daemon/plan_hash.hpp"

#include <cstdint>
#include <cstdio>

namespace advisor::daemon {

std::string plan_hash(const model::Plan& plan)
{
  std::uint64_t hash = 1469598103934665603ULL;
  auto mix = [&](const std::string& text) {
    for (unsigned char c : text) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // field separator
    hash *= 1099511628211ULL;
  };
  plan.visit([&](const model::PlanNode& node, int depth) {
    mix(std::to_string(depth));
    mix(node.node_type);
    mix(node.parallel_aware ? "parallel" : "");
    mix(node.schema);
    mix(node.relation_name);
    mix(node.index_name);
    mix(node.join_type);
    mix(node.strategy);
  });
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

}  // namespace advisor::daemon
