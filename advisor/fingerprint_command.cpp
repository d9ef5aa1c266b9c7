#include "advisor/fingerprint_command.hpp"

#include <ostream>

#include <nlohmann/json.hpp>

#include "advisor/cli_support.hpp"
#include "advisor/query_input.hpp"
#include "parser/query.hpp"

namespace po = boost::program_options;

namespace advisor {

ExitCode run_fingerprint(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err)
{
  const char* usage = "usage: pgadvisor fingerprint QUERY | -f FILE | -\n";
  po::options_description options("fingerprint options");
  options.add_options()
      ("file,f", po::value<std::string>(), "read the query from FILE (- for standard input)")
      ("query", po::value<std::string>(), "the SQL text (positional)");
  po::positional_options_description positional;
  positional.add("query", 1);
  auto parsed = parse_options(args, options, positional);
  if (!parsed) {
    print_error(err, parsed.error());
    err << usage;
    return ExitCode::usage;
  }
  if (parsed->help) {
    out << usage << "\n" << options;
    return ExitCode::done;
  }
  const auto& values = parsed->values;
  std::optional<std::string> text;
  std::optional<std::string> file;
  if (values.count("query"))
    text = values["query"].as<std::string>();
  if (values.count("file"))
    file = values["file"].as<std::string>();
  if (!text && !file) {
    err << "pgadvisor: error: no query given\n" << usage;
    return ExitCode::usage;
  }
  auto sql = read_query(text, file, in);
  if (!sql) {
    print_error(err, sql.error());
    return ExitCode::failed;
  }
  auto info = parser::analyse(*sql);
  if (!info) {
    print_error(err, info.error(), *sql);
    return ExitCode::failed;
  }
  if (*output_format(values) == OutputFormat::json) {
    nlohmann::ordered_json document{{"fingerprint", info->fingerprint.hex},
                                    {"normalized", info->normalized},
                                    {"statements", info->statement_count}};
    out << document.dump(2) << "\n";
  } else {
    out << info->fingerprint.hex << "  " << info->normalized << "\n";
  }
  return ExitCode::done;
}

}  // namespace advisor
