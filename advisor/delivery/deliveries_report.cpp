#include "advisor/delivery/deliveries_report.hpp"

#include <cmath>
#include <ctime>

namespace advisor::delivery {

namespace {

std::string iso(double unix_seconds)
{
  const auto seconds = static_cast<std::time_t>(std::floor(unix_seconds));
  std::tm tm{};
  ::gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string pad(std::string text, std::size_t width)
{
  if (text.size() < width)
    text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::string deliveries_text(const std::vector<connectors::store::OutboxRow>& rows)
{
  if (rows.empty())
    return "No deliveries.\n";
  std::string out = pad("STATE", 10) + pad("TRIES", 6) + pad("HTTP", 5) + pad("EVENT", 26) + pad("RECOMMENDATION", 18) +
                    pad("DELIVERY", 37) + pad("ENDPOINT", 12) + pad("QUEUED", 21) + "NEXT / LAST ERROR\n";
  for (const auto& row : rows) {
    std::string line = pad(row.state, 10) + pad(std::to_string(row.attempts), 6) +
                       pad(row.last_status ? std::to_string(row.last_status) : std::string("-"), 5) + pad(row.event, 26) +
                       pad(row.recommendation_id, 18) + pad(row.delivery_id, 37) + pad(row.endpoint, 12) +
                       pad(iso(row.created_at), 21);
    if (row.state == "pending")
      line += "next " + iso(row.next_attempt_at);
    if (!row.last_error.empty())
      line += (row.state == "pending" ? "; " : "") + row.last_error;
    out += line + "\n";
  }
  return out;
}

nlohmann::ordered_json deliveries_json(const std::vector<connectors::store::OutboxRow>& rows)
{
  auto list = nlohmann::ordered_json::array();
  for (const auto& row : rows)
    list.push_back({{"delivery_id", row.delivery_id},
                    {"endpoint", row.endpoint},
                    {"event", row.event},
                    {"recommendation_id", row.recommendation_id},
                    {"state", row.state},
                    {"attempts", row.attempts},
                    {"last_status", row.last_status},
                    {"last_error", row.last_error},
                    {"queued_at", iso(row.created_at)},
                    {"next_attempt_at", row.state == "pending" ? nlohmann::ordered_json(iso(row.next_attempt_at))
                                                                : nlohmann::ordered_json(nullptr)},
                    {"updated_at", iso(row.updated_at)}});
  return list;
}

}  // namespace advisor::delivery
