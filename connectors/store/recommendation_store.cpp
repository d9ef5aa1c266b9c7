#include "connectors/store/recommendation_store.hpp"

#include <sstream>

#include <nlohmann/json.hpp>

namespace connectors::store {

namespace {

std::string join(const std::vector<std::string>& items)
{
  std::string out;
  for (const auto& item : items) {
    if (!out.empty())
      out += ' ';
    out += item;
  }
  return out;
}

std::vector<std::string> split(const std::string& text)
{
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string item; in >> item;)
    out.push_back(item);
  return out;
}

//! The document with the fields the store owns set to the stored values.
std::string patched_document(const std::string& document, const std::string& status, const std::string& first_seen,
                             const std::string& last_seen)
{
  auto json = nlohmann::ordered_json::parse(document, nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return document;
  json["status"] = status;
  json["first_seen"] = first_seen;
  json["last_seen"] = last_seen;
  return json.dump();
}

}  // namespace

bool comes_back_open(const std::string& status)
{
  // Filed again means the analysis wants it again: a resolved one is back, and an applied
  // one whose index or statistics are gone (someone dropped the index) is open once more. A
  // regressed one stays for a person to look at (re-applying it could regress again), and a
  // dismissed one stays dismissed.
  return status == "resolved" || status == "applied" || status == "verified" || status == "no_effect";
}

model::Result<std::string> file_recommendation(Database& db, const FiledRecommendation& r, const std::string& now_iso)
{
  auto select = db.prepare("SELECT status, first_seen FROM recommendations WHERE id = ?1");
  if (!select)
    return select.error();
  select->bind(1, r.id);
  auto row = select->step();
  if (!row)
    return row.error();
  if (!*row) {
    auto insert = db.prepare("INSERT INTO recommendations (id, target, kind, statement, status, score, ms_saved_per_day,"
                             " fingerprints, document, first_seen, last_seen, status_changed)"
                             " VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7, ?8, ?9, ?9, ?9)");
    if (!insert)
      return insert.error();
    insert->bind(1, r.id).bind(2, r.target).bind(3, r.kind).bind(4, r.statement).bind(5, r.score);
    insert->bind(6, r.ms_saved_per_day).bind(7, join(r.fingerprints));
    insert->bind(8, patched_document(r.document, "open", now_iso, now_iso)).bind(9, now_iso);
    if (auto error = insert->run())
      return *error;
    return std::string("open");
  }
  const std::string old_status = select->text(0);
  const std::string first_seen = select->text(1);
  const std::string status = comes_back_open(old_status) ? "open" : old_status;
  auto update = db.prepare("UPDATE recommendations SET score = ?2, ms_saved_per_day = ?3, fingerprints = ?4,"
                           " document = ?5, last_seen = ?6, status = ?7,"
                           " applied_at = CASE WHEN ?7 = 'open' THEN NULL ELSE applied_at END,"
                           " verification = CASE WHEN ?7 = 'open' THEN '' ELSE verification END,"
                           " status_changed = CASE WHEN status = ?7 THEN status_changed ELSE ?6 END WHERE id = ?1");
  if (!update)
    return update.error();
  update->bind(1, r.id).bind(2, r.score).bind(3, r.ms_saved_per_day).bind(4, join(r.fingerprints));
  update->bind(5, patched_document(r.document, status, first_seen, now_iso)).bind(6, now_iso).bind(7, status);
  if (auto error = update->run())
    return *error;
  return status;
}

model::Result<bool> set_status(Database& db, const std::string& id, const std::string& status, const std::string& now_iso)
{
  if (!is_valid_status(status))
    return model::make_error(model::ErrorKind::invalid_input, "unknown status '" + status + "'",
                             "one of open, applied, verified, no_effect, regressed, dismissed, resolved");
  auto select = db.prepare("SELECT document, first_seen, last_seen FROM recommendations WHERE id = ?1");
  if (!select)
    return select.error();
  select->bind(1, id);
  auto row = select->step();
  if (!row)
    return row.error();
  if (!*row)
    return false;
  const std::string document = patched_document(select->text(0), status, select->text(1), select->text(2));
  auto update = db.prepare("UPDATE recommendations SET status = ?2, document = ?3, status_changed = ?4 WHERE id = ?1");
  if (!update)
    return update.error();
  update->bind(1, id).bind(2, status).bind(3, document).bind(4, now_iso);
  if (auto error = update->run())
    return *error;
  return true;
}

model::Result<bool> mark_applied(Database& db, const std::string& id, double applied_at, const std::string& now_iso)
{
  auto done = set_status(db, id, "applied", now_iso);
  if (!done || !*done)
    return done;
  auto update = db.prepare("UPDATE recommendations SET applied_at = ?2, verification = '' WHERE id = ?1");
  if (!update)
    return update.error();
  update->bind(1, id).bind(2, applied_at);
  if (auto error = update->run())
    return *error;
  return true;
}

model::Result<bool> record_verification(Database& db, const std::string& id, const std::string& status,
                                        const std::string& verification_json, const std::string& now_iso)
{
  auto done = set_status(db, id, status, now_iso);
  if (!done || !*done)
    return done;
  auto select = db.prepare("SELECT document FROM recommendations WHERE id = ?1");
  if (!select)
    return select.error();
  select->bind(1, id);
  auto row = select->step();
  if (!row)
    return row.error();
  auto document = nlohmann::ordered_json::parse(select->text(0), nullptr, false);
  auto verification = nlohmann::ordered_json::parse(verification_json, nullptr, false);
  if (!document.is_discarded() && document.is_object() && !verification.is_discarded())
    document["verification"] = verification;
  auto update = db.prepare("UPDATE recommendations SET verification = ?2, document = ?3 WHERE id = ?1");
  if (!update)
    return update.error();
  update->bind(1, id).bind(2, verification_json).bind(3, document.is_discarded() ? select->text(0) : document.dump());
  if (auto error = update->run())
    return *error;
  return true;
}

namespace {

model::Result<std::vector<StoredRecommendation>> read_recommendations(Statement* stmt)
{
  std::vector<StoredRecommendation> out;
  for (;;) {
    auto row = stmt->step();
    if (!row)
      return row.error();
    if (!*row)
      break;
    StoredRecommendation r;
    r.id = stmt->text(0);
    r.target = stmt->text(1);
    r.kind = stmt->text(2);
    r.statement = stmt->text(3);
    r.status = stmt->text(4);
    r.score = stmt->real(5);
    r.ms_saved_per_day = stmt->real(6);
    r.fingerprints = split(stmt->text(7));
    r.document = stmt->text(8);
    r.first_seen = stmt->text(9);
    r.last_seen = stmt->text(10);
    r.status_changed = stmt->text(11);
    if (!stmt->is_null(12))
      r.applied_at = stmt->real(12);
    r.verification = stmt->text(13);
    out.push_back(std::move(r));
  }
  return out;
}

constexpr const char* select_columns =
    "SELECT id, target, kind, statement, status, score, ms_saved_per_day, fingerprints,"
    " document, first_seen, last_seen, status_changed, applied_at, verification FROM recommendations";

}  // namespace

model::Result<std::vector<StoredRecommendation>> list_recommendations(Database& db, const std::string& status,
                                                                      const std::string& target)
{
  auto stmt = db.prepare(std::string(select_columns) +
                         " WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR target = ?2) ORDER BY score DESC, id");
  if (!stmt)
    return stmt.error();
  stmt->bind(1, status).bind(2, target);
  return read_recommendations(&*stmt);
}

model::Result<std::optional<StoredRecommendation>> find_recommendation(Database& db, const std::string& id)
{
  auto stmt = db.prepare(std::string(select_columns) + " WHERE id = ?1");
  if (!stmt)
    return stmt.error();
  stmt->bind(1, id);
  auto rows = read_recommendations(&*stmt);
  if (!rows)
    return rows.error();
  if (rows->empty())
    return std::optional<StoredRecommendation>();
  return std::optional<StoredRecommendation>(std::move(rows->front()));
}

}  // namespace connectors::store
