#pragma once
// Connection strings as the user writes them (libpq key=value or postgresql:// URL): hiding
// their passwords from every message, and adding pgadvisor's defaults without overriding the
// user's choices.

#include <string>
#include <string_view>
#include <vector>

namespace connectors::pg {

//! The connection string with every password hidden: `password=…` (key=value form),
//! `user:…@` and `?password=…` (URL form) become `***`. Safe to log.
std::string redact_conninfo(std::string_view conninfo);

//! The passwords a connection string carries (key=value, URL user:password@ and ?password=,
//! raw and percent-decoded), plus PGPASSWORD when set: what scrub_secrets() hides.
std::vector<std::string> conninfo_secrets(std::string_view conninfo);

//! `text` with every occurrence of every non-empty secret replaced by `***`.
std::string scrub_secrets(std::string text, const std::vector<std::string>& secrets);

//! The connection string with fallback_application_name=`name` added, so libpq uses it only
//! when neither the string nor PGAPPNAME sets application_name.
std::string with_fallback_application_name(std::string_view conninfo, std::string_view name);

//! True for the postgresql:// and postgres:// URL forms.
bool is_conninfo_url(std::string_view conninfo);

}  // namespace connectors::pg
