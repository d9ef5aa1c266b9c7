#pragma once
// Turns what libpqxx throws into model::Error values a user can act on: timeouts and lock waits
// say which limit was hit, unknown relations are not_found, and no password leaks through.

#include <exception>
#include <string>

#include "model/result.hpp"

namespace connectors::pg {

class Session;

struct ErrorContext {
  int statement_timeout_ms = 0;
  int lock_timeout_ms = 0;
  std::string relations;  //!< "s.t, u": named in the lock_timeout message
};

//! Maps the exception currently being handled (call it inside a catch block):
//! 57014 -> server "canceled: the query ran longer than statement_timeout (N ms)";
//! 55P03 -> server "could not get a lock within lock_timeout (N ms) on …";
//! 42P01/42703/42883/3F000 -> not_found; other class 42 -> invalid_input;
//! broken connection -> unreachable; anything else -> server with the server's message.
//! Rethrows what is not a std::exception.
model::Error current_exception_to_error(const Session& session, const ErrorContext& context);

//! The first line of a server message without the "ERROR:  " prefix.
std::string server_message(const std::string& what);

}  // namespace connectors::pg
