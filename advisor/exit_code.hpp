#pragma once

namespace advisor {

//! The process exit codes of every command (DESIGN.md, "CLI").
enum class ExitCode {
  done = 0,                   //!< the work was done, with or without recommendations
  failed = 1,                 //!< the work could not be done: invalid SQL, unknown table, server down
  usage = 2,                  //!< bad command line or config
  recommendations_found = 3,  //!< with --fail-on-recommendations
};

inline int to_int(ExitCode code) { return static_cast<int>(code); }

}  // namespace advisor
