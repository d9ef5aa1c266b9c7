#pragma once
// Plain-text pieces of a recommendation shared by the Slack and Jira bodies: a title, the
// estimate in one line, the findings with their evidence, the queries it helps.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "advisor/delivery/delivery_event.hpp"

namespace advisor::delivery {

//! "Verified: create_index on shop (ab12cd34)": what happened, the kind, the target, the id.
std::string event_title(Event event, const nlohmann::ordered_json& recommendation);

//! "cost 1234 → 12 (99 % better), ~52,000 ms saved per day, index 2.1 MB; risk low,
//! confidence 0.80"; only the figures that are known.
std::string estimate_line(const nlohmann::ordered_json& recommendation);

//! One line per finding of trace.findings: "[seq_scan_selective_filter] title: name value unit, …".
std::vector<std::string> finding_lines(const nlohmann::ordered_json& recommendation);

//! One line per query: "calls 1200, mean 41.2 ms: SELECT …" (the text cut to `max_chars`).
std::vector<std::string> query_lines(const nlohmann::ordered_json& recommendation, std::size_t max_chars);

//! `text` cut to at most `max_chars` bytes on a UTF-8 boundary, with "…" when cut.
std::string truncate_text(const std::string& text, std::size_t max_chars);

//! A number without trailing zeros, at most 2 decimals ("41.25", "3", "0.8").
std::string format_number(double value);

}  // namespace advisor::delivery
