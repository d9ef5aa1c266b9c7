#pragma once
// Expected failures (bad SQL, unknown table, server gone) travel as values, not exceptions.

#include <string>
#include <utility>
#include <variant>

namespace model {

enum class ErrorKind {
  invalid_input,   //!< the user's SQL, plan file or argument is wrong
  not_found,       //!< a file, table or column that does not exist
  server,          //!< the server refused or failed (timeout, lock, permission)
  unreachable,     //!< no connection could be made
  refused,         //!< pgadvisor refuses to run it (e.g. several statements)
  internal,
};

struct Error {
  ErrorKind kind = ErrorKind::internal;
  std::string message;  //!< one line: what is wrong, naming the thing
  std::string hint;     //!< optional: what to do about it
  int position = -1;    //!< 1-based character position in the input, -1 when unknown
};

template <typename T>
class Result {
public:
  Result(T value) : m_value(std::move(value)) {}
  Result(Error error) : m_value(std::move(error)) {}

  bool ok() const { return std::holds_alternative<T>(m_value); }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<T>(m_value); }
  const T& value() const& { return std::get<T>(m_value); }
  T&& value() && { return std::get<T>(std::move(m_value)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<Error>(m_value); }

private:
  std::variant<T, Error> m_value;
};

inline Error make_error(ErrorKind kind, std::string message, std::string hint = {}, int position = -1)
{
  return Error{kind, std::move(message), std::move(hint), position};
}

}  // namespace model
