#pragma once
// Numbers as a DBA reads them in text output: 1,200,000 rows, 45.3 ms, 8.1 MB, 92 %.

#include <cstdint>
#include <string>

namespace heuristics {

std::string format_number(double value);      //!< 1234567.8 -> "1,234,568"; 12.34 -> "12.3"
std::string format_percent(double fraction);  //!< 0.923 -> "92 %"; 0.0004 -> "0.04 %"
std::string format_bytes(std::int64_t bytes); //!< 8493465 -> "8.1 MB"
std::string format_ms(double ms);             //!< 0.0421 -> "0.042 ms"; 1234.5 -> "1,235 ms"

}  // namespace heuristics
