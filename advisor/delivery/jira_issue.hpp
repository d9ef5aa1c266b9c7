#pragma once
// The `jira` format: a Jira REST "create issue" body (POST /rest/api/2/issue): summary,
// a wiki-markup description with the analysis and the DDL, and labels including
// "pgadvisor-<id>" so that a consumer can find the issue it filed before and update it
// instead of filing a duplicate. The event and id also travel as an issue property.

#include <string>

#include <nlohmann/json.hpp>

#include "advisor/delivery/delivery_event.hpp"

namespace advisor::delivery {

struct JiraOptions {
  std::string project_key = "DBA";
  std::string issue_type = "Task";
};

nlohmann::ordered_json jira_issue(Event event, const nlohmann::ordered_json& recommendation,
                                  const EventDetails& details, const JiraOptions& options = {});

//! The duplicate-avoidance label: "pgadvisor-" + the id with anything but [A-Za-z0-9_-]
//! replaced by '_' (Jira labels cannot hold spaces).
std::string jira_label(const std::string& recommendation_id);

}  // namespace advisor::delivery
