#pragma once
// Typed values of configuration keys, parsed from the text the user wrote.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "advisor/config/config_keys.hpp"

namespace advisor::config {

//! "500ms", "60s", "5m", "2h", "7d"; a bare number is seconds. nullopt when malformed or negative.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

//! Whole non-negative number with an optional k/M/G suffix (1024-based). nullopt when malformed.
std::optional<std::int64_t> parse_integer(std::string_view text);

//! Non-negative decimal number. nullopt when malformed.
std::optional<double> parse_number(std::string_view text);

//! on/off, true/false, yes/no, 1/0 (case-insensitive). nullopt otherwise.
std::optional<bool> parse_boolean(std::string_view text);

//! Why `text` is not a valid value of `key` ("expected a duration such as 60s or 5m"), or
//! nullopt when it is. auto_apply.kinds and auto_apply.window are also parsed as the triage
//! parses them (heuristics::triage::parse_kinds, parse_time_window).
std::optional<std::string> check_value(const KeySpec& key, std::string_view text);

//! Whitespace trimmed at both ends.
std::string trim(std::string_view text);

}  // namespace advisor::config
