#include "advisor/daemon/backoff.hpp"

#include <algorithm>
#include <random>

namespace advisor::daemon {

Backoff::Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed)
    : m_initial(initial), m_max(max), m_state(seed ? seed : std::random_device{}() | 1ULL)
{
}

void Backoff::set_limits(std::chrono::milliseconds initial, std::chrono::milliseconds max)
{
  m_initial = initial;
  m_max = max;
}

std::chrono::milliseconds Backoff::next()
{
  const double cap = static_cast<double>(std::max(m_max, m_initial).count());
  const double base = std::min(cap, static_cast<double>(m_initial.count()) * static_cast<double>(1ULL << std::min(m_attempt, 30)));
  ++m_attempt;
  m_state ^= m_state << 13;
  m_state ^= m_state >> 7;
  m_state ^= m_state << 17;
  const double unit = static_cast<double>(m_state % 10001) / 10000.0;  // 0..1
  const double jittered = base * (0.8 + 0.4 * unit);
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(jittered, cap)));
}

}  // namespace advisor::daemon
