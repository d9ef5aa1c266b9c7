#include "heuristics/number_format.hpp"
#include "tests/support/catch.hpp"

TEST_CASE("number_format: numbers, percentages, bytes and times", "[heuristics]")
{
  using namespace heuristics;
  CHECK(format_number(1234567.8) == "1,234,568");
  CHECK(format_number(12.34) == "12.3");
  CHECK(format_number(0.25) == "0.250");
  CHECK(format_number(42) == "42");
  CHECK(format_percent(0.923) == "92 %");
  CHECK(format_percent(0.05) == "5.0 %");
  CHECK(format_percent(0.9986) == "99.8 %");
  CHECK(format_percent(0.99999) == "99.9 %");
  CHECK(format_percent(1.0) == "100 %");
  CHECK(format_percent(0.0004) == "0.04 %");
  CHECK(format_bytes(512) == "512 bytes");
  CHECK(format_bytes(8 * 1024 * 1024 + 100 * 1024) == "8.1 MB");
  CHECK(format_ms(0.0421) == "0.042 ms");
  CHECK(format_ms(45.26) == "45.3 ms");
  CHECK(format_ms(1234.5) == "1,235 ms");
}
