#pragma once
// What the server says about the functions a query wraps columns in (pg_proc volatility) and
// about the features index candidates depend on (extensions, the database collation). Plain
// data, filled by connectors::pg::read_server_features().

#include <string>
#include <vector>

namespace model {

enum class Volatility { immutable, stable, volatile_ };

//! "IMMUTABLE", "STABLE", "VOLATILE".
inline const char* to_string(Volatility volatility)
{
  switch (volatility) {
  case Volatility::immutable:
    return "IMMUTABLE";
  case Volatility::stable:
    return "STABLE";
  case Volatility::volatile_:
    return "VOLATILE";
  }
  return "VOLATILE";
}

//! One pg_proc overload.
struct FunctionInfo {
  std::string schema;                    //!< "pg_catalog"
  std::string name;                      //!< "date_trunc"
  std::vector<std::string> argument_types;  //!< format_type() of each input argument
  Volatility volatility = Volatility::volatile_;

  //! "date_trunc(text, timestamp with time zone)".
  std::string signature() const
  {
    std::string out = name + "(";
    for (std::size_t i = 0; i < argument_types.size(); ++i)
      out += (i ? ", " : "") + argument_types[i];
    return out + ")";
  }
};

struct ServerFeatures {
  std::vector<FunctionInfo> functions;   //!< every overload of the names asked for (operators too)
  std::vector<std::string> extensions;   //!< installed in this database (pg_extension)
  std::string database_collation;        //!< pg_database.datcollate: what "default" means

  bool has_extension(const std::string& name) const
  {
    for (const auto& e : extensions)
      if (e == name)
        return true;
    return false;
  }

  //! Every overload named `name` (lowercase, as the parser reports it).
  std::vector<const FunctionInfo*> overloads(const std::string& name) const
  {
    std::vector<const FunctionInfo*> out;
    for (const auto& f : functions)
      if (f.name == name)
        out.push_back(&f);
    return out;
  }
};

}  // namespace model
