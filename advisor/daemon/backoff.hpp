#pragma once
// Reconnection delays for a target that is down: exponential from `initial`, capped at `max`,
// with ±20 % jitter so that many daemons do not hammer a recovering server in step.

#include <chrono>
#include <cstdint>

namespace advisor::daemon {

class Backoff {
public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed = 0);

  //! The delay before the next attempt; each call doubles the base up to the cap.
  std::chrono::milliseconds next();
  //! Back to `initial` (the target answered).
  void reset() { m_attempt = 0; }
  int attempts() const { return m_attempt; }
  void set_limits(std::chrono::milliseconds initial, std::chrono::milliseconds max);

private:
  std::chrono::milliseconds m_initial;
  std::chrono::milliseconds m_max;
  int m_attempt = 0;
  std::uint64_t m_state;  //!< xorshift state for the jitter
};

}  // namespace advisor::daemon
