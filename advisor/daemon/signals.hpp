#pragma once
// SIGHUP, SIGTERM and SIGINT delivered to the main loop through a self-pipe: the handlers only
// write the signal number (and, for SIGTERM, arm the hard shutdown deadline); the loop reads
// them with poll() and does the work.

#include <chrono>
#include <vector>

namespace advisor::daemon {

class SignalPipe {
public:
  //! Installs the handlers (once per process). SIGPIPE is ignored. A second SIGTERM or SIGINT
  //! exits at once (status 0); after the first, the process exits by itself once
  //! `hard_deadline` has passed, whatever it is doing.
  explicit SignalPipe(std::chrono::seconds hard_deadline);
  ~SignalPipe();
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;

  //! The read end, for poll().
  int fd() const;
  //! Signals received since the last call, in order. Never blocks.
  std::vector<int> drain();
  void set_hard_deadline(std::chrono::seconds deadline);
};

}  // namespace advisor::daemon
