#pragma once
// Small pieces the plan rules share: naming the scanned table, formatting numbers, reading the
// columns out of a plan condition, and saying why a rule skipped something.

#include <string>
#include <vector>

#include "heuristics/rule.hpp"

namespace heuristics::rules {

//! The catalog entry for a scanned relation: the plan's schema when VERBOSE printed it, else
//! the schema the query wrote, else the first table of that name. Null without a catalog.
const model::TableInfo* scanned_table(const model::PlanNode& scan, const RuleContext& context);

//! "schema.table" for a scanned relation, the schema found as in scanned_table().
std::string scanned_relation(const model::PlanNode& scan, const RuleContext& context);

//! A count as text without a fraction, thousands grouped: 499,500.
std::string count_text(double value);

//! "1.3 MB" for a size in kB.
std::string kb_text(double kb);

//! A memory setting that holds `kb` kilobytes, rounded up to whole MB (at least 1MB): "3MB".
std::string memory_setting(double kb);

//! Appends "rule_id: message" to context.notes when someone listens.
void add_note(const RuleContext& context, const std::string& rule_id, const std::string& message);

//! Whether the plan has actual numbers; when not, notes that rule_id needs EXPLAIN ANALYZE.
bool require_analyze(const RuleContext& context, const std::string& rule_id);

//! A note for a node the rule would look at whose plan lacks `field` (older or newer
//! PostgreSQL versions name or emit fields differently): "skipped Sort on t: the plan has no
//! "Sort Space Type" (another PostgreSQL version?)".
void note_missing_field(const RuleContext& context, const std::string& rule_id, const model::PlanNode& node,
                        const std::string& field);

struct ConditionColumn {
  std::string name;        //!< the column, without its table or alias qualifier
  std::string qualifier;   //!< "o" in o.customer_id; empty when unqualified
  bool equality = false;   //!< compared with "=" (an equality key leads a multi-column index)
};

//! The columns a plan condition names ("((a = 5) AND (b > 3))", "(o.status = 'x'::text)"),
//! in order of appearance, each once. String literals, casts, function names, parameters and
//! SQL keywords are skipped. Best effort on EXPLAIN's deparsed text: never throws.
std::vector<ConditionColumn> condition_columns(const std::string& condition);

//! "a, b, c".
std::string join_list(const std::vector<std::string>& items);

//! Temp blocks this node wrote itself: EXPLAIN's buffer counts include the children's.
double own_temp_written_blocks(const model::PlanNode& node);

}  // namespace heuristics::rules
