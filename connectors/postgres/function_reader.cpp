#include "connectors/postgres/function_reader.hpp"

#include <pqxx/pqxx>

#include "connectors/postgres/server_error.hpp"

namespace connectors::pg {

namespace {

using ReadOnlyTransaction = pqxx::transaction<pqxx::read_committed, pqxx::read_only>;

// Input arguments only (proargtypes), in order; OUT arguments do not take part in a call.
// Operators (->>, *) are reported like functions, named by their symbol, with the volatility
// of the function behind them and their left/right operand types.
constexpr const char* k_functions_sql = R"(
SELECT n.nspname, p.proname, p.provolatile,
       ARRAY(SELECT pg_catalog.format_type(u.t, NULL)
             FROM pg_catalog.unnest(p.proargtypes) WITH ORDINALITY AS u(t, ord) ORDER BY u.ord)::text[]
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.prokind = 'f' AND p.proname = ANY(%NAMES%)
UNION ALL
SELECT n.nspname, o.oprname, p.provolatile,
       ARRAY(SELECT pg_catalog.format_type(t, NULL) FROM pg_catalog.unnest(ARRAY[o.oprleft, o.oprright]) AS t
             WHERE t <> 0)::text[]
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
JOIN pg_catalog.pg_namespace n ON n.oid = o.oprnamespace
WHERE o.oprname = ANY(%NAMES%)
ORDER BY 1, 2)";

std::vector<std::string> text_array(const pqxx::field& field)
{
  std::vector<std::string> out;
  if (field.is_null())
    return out;
  auto parser = field.as_array();
  for (auto step = parser.get_next(); step.first != pqxx::array_parser::done; step = parser.get_next())
    if (step.first == pqxx::array_parser::string_value)
      out.push_back(step.second);
  return out;
}

model::Volatility volatility_of(const std::string& code)
{
  if (code == "i")
    return model::Volatility::immutable;
  if (code == "s")
    return model::Volatility::stable;
  return model::Volatility::volatile_;
}

}  // namespace

model::Result<model::ServerFeatures> read_server_features(Session& session,
                                                          const std::vector<std::string>& function_names)
{
  model::ServerFeatures features;
  try {
    ReadOnlyTransaction txn(session.conn());
    if (!function_names.empty()) {
      // esc() between quotes rather than quote(): see catalog_reader.cpp (-Wrestrict).
      std::string names = "ARRAY[";
      for (std::size_t i = 0; i < function_names.size(); ++i)
        names.append(i ? ", '" : "'").append(txn.esc(function_names[i])).append("'");
      names += "]::pg_catalog.name[]";
      std::string sql = k_functions_sql;
      for (auto pos = sql.find("%NAMES%"); pos != std::string::npos; pos = sql.find("%NAMES%"))
        sql.replace(pos, 7, names);
      for (const auto& row : txn.exec(sql)) {
        model::FunctionInfo function;
        function.schema = row[0].as<std::string>();
        function.name = row[1].as<std::string>();
        function.volatility = volatility_of(row[2].as<std::string>());
        function.argument_types = text_array(row[3]);
        features.functions.push_back(std::move(function));
      }
    }
    for (const auto& row : txn.exec("SELECT extname FROM pg_catalog.pg_extension ORDER BY extname"))
      features.extensions.push_back(row[0].as<std::string>());
    features.database_collation =
        txn.exec1("SELECT datcollate FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()")[0]
            .as<std::string>();
    txn.abort();
    return features;
  } catch (...) {
    return current_exception_to_error(
        session, ErrorContext{session.settings().statement_timeout_ms, session.settings().lock_timeout_ms, {}});
  }
}

}  // namespace connectors::pg
