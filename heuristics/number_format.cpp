#include "heuristics/number_format.hpp"

#include <cmath>
#include <cstdio>

namespace heuristics {

namespace {

std::string group_thousands(long long value)
{
  std::string digits = std::to_string(value < 0 ? -value : value);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0)
      out += ',';
    out += digits[i];
  }
  return value < 0 ? "-" + out : out;
}

std::string fixed(double value, int decimals)
{
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace

std::string format_number(double value)
{
  if (!std::isfinite(value))
    return "n/a";
  const double magnitude = std::fabs(value);
  if (magnitude >= 1000)
    return group_thousands(std::llround(value));
  if (magnitude >= 100 || value == std::floor(value))
    return fixed(value, 0);
  if (magnitude >= 1)
    return fixed(value, 1);
  return fixed(value, 3);
}

std::string format_percent(double fraction)
{
  const double percent = fraction * 100;
  // 99.86 % must not read as "100 %": near the top, one decimal, rounded down.
  if (percent >= 99 && percent < 100)
    return fixed(std::floor(percent * 10) / 10, 1) + " %";
  if (std::fabs(percent) >= 10 || percent == 0)
    return fixed(percent, 0) + " %";
  if (std::fabs(percent) >= 0.1)
    return fixed(percent, 1) + " %";
  return fixed(percent, 2) + " %";
}

std::string format_bytes(std::int64_t bytes)
{
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  return (unit == 0 ? fixed(value, 0) : fixed(value, value >= 100 ? 0 : 1)) + " " + units[unit];
}

std::string format_ms(double ms)
{
  if (ms >= 1000)
    return group_thousands(std::llround(ms)) + " ms";
  if (ms >= 10)
    return fixed(ms, 1) + " ms";
  if (ms >= 0.1)
    return fixed(ms, 2) + " ms";
  return fixed(ms, 3) + " ms";
}

}  // namespace heuristics
