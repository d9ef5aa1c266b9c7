#include "model/recommendation.hpp"

namespace model {

const char* to_string(RecommendationKind kind)
{
  switch (kind) {
  case RecommendationKind::create_index: return "create_index";
  case RecommendationKind::drop_index: return "drop_index";
  case RecommendationKind::rewrite: return "rewrite";
  case RecommendationKind::analyze: return "analyze";
  case RecommendationKind::create_statistics: return "create_statistics";
  case RecommendationKind::config: return "config";
  }
  return "unknown";
}

}  // namespace model
