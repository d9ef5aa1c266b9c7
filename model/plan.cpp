#include "model/plan.hpp"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

namespace model {

namespace {

using Json = nlohmann::json;

// Raised inside the parser only, turned into an Error at the API boundary: a wrong-typed field
// deep in the tree cannot continue that branch, and threading Result through every field
// reader would triple the code.
struct FieldError {
  std::string message;
};

std::string field_path(const std::string& path, const char* key)
{
  const std::string quoted = std::string("\"") + key + "\"";
  return path.empty() ? quoted : path + "." + quoted;
}

std::string type_name(const Json& value)
{
  return value.type_name();
}

//! The field when present and not null; nullptr otherwise.
const Json* find_field(const Json& object, const char* key)
{
  const auto it = object.find(key);
  if (it == object.end() || it->is_null())
    return nullptr;
  return &*it;
}

void read_string(const Json& object, const char* key, const std::string& path, std::string& out)
{
  const Json* value = find_field(object, key);
  if (!value)
    return;
  if (!value->is_string())
    throw FieldError{field_path(path, key) + " should be a string, not " + type_name(*value)};
  out = value->get<std::string>();
}

std::optional<double> read_number(const Json& object, const char* key, const std::string& path)
{
  const Json* value = find_field(object, key);
  if (!value)
    return std::nullopt;
  if (!value->is_number())
    throw FieldError{field_path(path, key) + " should be a number, not " + type_name(*value)};
  return value->get<double>();
}

void read_number(const Json& object, const char* key, const std::string& path, double& out)
{
  if (auto value = read_number(object, key, path))
    out = *value;
}

void read_number(const Json& object, const char* key, const std::string& path, std::optional<double>& out)
{
  out = read_number(object, key, path);
}

void read_int(const Json& object, const char* key, const std::string& path, std::optional<int>& out)
{
  if (auto value = read_number(object, key, path))
    out = static_cast<int>(*value);
}

void read_int64(const Json& object, const char* key, const std::string& path, std::optional<std::int64_t>& out)
{
  if (auto value = read_number(object, key, path))
    out = static_cast<std::int64_t>(*value);
}

//! Reads a block counter; returns whether it was present (BUFFERS was on).
bool read_blocks(const Json& object, const char* key, const std::string& path, std::int64_t& out)
{
  auto value = read_number(object, key, path);
  if (!value)
    return false;
  out = static_cast<std::int64_t>(*value);
  return true;
}

void read_bool(const Json& object, const char* key, const std::string& path, bool& out)
{
  const Json* value = find_field(object, key);
  if (!value)
    return;
  if (!value->is_boolean())
    throw FieldError{field_path(path, key) + " should be a boolean, not " + type_name(*value)};
  out = value->get<bool>();
}

void read_strings(const Json& object, const char* key, const std::string& path, std::vector<std::string>& out)
{
  const Json* value = find_field(object, key);
  if (!value)
    return;
  if (!value->is_array())
    throw FieldError{field_path(path, key) + " should be an array, not " + type_name(*value)};
  for (const auto& item : *value) {
    if (!item.is_string())
      throw FieldError{field_path(path, key) + " should hold strings, not " + type_name(item)};
    out.push_back(item.get<std::string>());
  }
}

void read_buffers(const Json& object, const std::string& path, PlanNode& node)
{
  Buffers& b = node.buffers;
  bool any = false;
  any |= read_blocks(object, "Shared Hit Blocks", path, b.shared_hit);
  any |= read_blocks(object, "Shared Read Blocks", path, b.shared_read);
  any |= read_blocks(object, "Shared Dirtied Blocks", path, b.shared_dirtied);
  any |= read_blocks(object, "Shared Written Blocks", path, b.shared_written);
  any |= read_blocks(object, "Local Hit Blocks", path, b.local_hit);
  any |= read_blocks(object, "Local Read Blocks", path, b.local_read);
  any |= read_blocks(object, "Temp Read Blocks", path, b.temp_read);
  any |= read_blocks(object, "Temp Written Blocks", path, b.temp_written);
  node.has_buffers = any;
}

PlanNode read_node(const Json& object, const std::string& path)
{
  if (!object.is_object())
    throw FieldError{path + " should be an object, not " + type_name(object)};

  PlanNode node;
  read_string(object, "Node Type", path, node.node_type);
  read_string(object, "Parent Relationship", path, node.parent_relationship);
  read_string(object, "Subplan Name", path, node.subplan_name);
  read_bool(object, "Parallel Aware", path, node.parallel_aware);
  read_string(object, "Relation Name", path, node.relation_name);
  read_string(object, "Schema", path, node.schema);
  read_string(object, "Alias", path, node.alias);
  read_string(object, "CTE Name", path, node.cte_name);
  read_string(object, "Function Name", path, node.function_name);
  read_string(object, "Index Name", path, node.index_name);
  read_string(object, "Scan Direction", path, node.scan_direction);
  read_string(object, "Join Type", path, node.join_type);
  read_string(object, "Strategy", path, node.strategy);
  read_string(object, "Partial Mode", path, node.partial_mode);
  read_string(object, "Operation", path, node.operation);
  read_string(object, "Filter", path, node.filter);
  read_string(object, "Index Cond", path, node.index_cond);
  read_string(object, "Recheck Cond", path, node.recheck_cond);
  read_string(object, "Hash Cond", path, node.hash_cond);
  read_string(object, "Merge Cond", path, node.merge_cond);
  read_string(object, "Join Filter", path, node.join_filter);
  read_strings(object, "Sort Key", path, node.sort_keys);
  read_strings(object, "Group Key", path, node.group_keys);
  read_string(object, "Sort Method", path, node.sort_method);
  read_string(object, "Sort Space Type", path, node.sort_space_type);
  read_int64(object, "Sort Space Used", path, node.sort_space_kb);

  read_number(object, "Startup Cost", path, node.startup_cost);
  read_number(object, "Total Cost", path, node.total_cost);
  read_number(object, "Plan Rows", path, node.plan_rows);
  if (auto width = read_number(object, "Plan Width", path))
    node.plan_width = static_cast<int>(*width);

  read_number(object, "Actual Startup Time", path, node.actual_startup_ms);
  read_number(object, "Actual Total Time", path, node.actual_total_ms);
  read_number(object, "Actual Rows", path, node.actual_rows);
  read_number(object, "Actual Loops", path, node.actual_loops);
  read_number(object, "Rows Removed by Filter", path, node.rows_removed_by_filter);
  read_number(object, "Rows Removed by Index Recheck", path, node.rows_removed_by_index_recheck);
  read_number(object, "Rows Removed by Join Filter", path, node.rows_removed_by_join_filter);
  read_number(object, "Heap Fetches", path, node.heap_fetches);
  read_number(object, "Exact Heap Blocks", path, node.exact_heap_blocks);
  read_number(object, "Lossy Heap Blocks", path, node.lossy_heap_blocks);
  read_number(object, "Hash Batches", path, node.hash_batches);
  read_number(object, "Original Hash Batches", path, node.original_hash_batches);
  read_number(object, "Peak Memory Usage", path, node.peak_memory_kb);
  read_number(object, "HashAgg Batches", path, node.hashagg_batches);
  read_int64(object, "Disk Usage", path, node.disk_usage_kb);
  read_int(object, "Workers Planned", path, node.workers_planned);
  read_int(object, "Workers Launched", path, node.workers_launched);
  read_buffers(object, path, node);

  if (const Json* plans = find_field(object, "Plans")) {
    const std::string plans_path = field_path(path, "Plans");
    if (!plans->is_array())
      throw FieldError{plans_path + " should be an array, not " + type_name(*plans)};
    for (std::size_t i = 0; i < plans->size(); ++i)
      node.children.push_back(read_node((*plans)[i], plans_path + "[" + std::to_string(i) + "]"));
  }
  return node;
}

Plan read_plan(const Json& top)
{
  Plan plan;
  const Json* root = find_field(top, "Plan");
  if (!root)
    throw FieldError{"not EXPLAIN JSON: no \"Plan\" key in the top-level object"};
  plan.root = read_node(*root, "Plan");
  read_number(top, "Planning Time", "", plan.planning_ms);
  read_number(top, "Execution Time", "", plan.execution_ms);
  if (const Json* jit = find_field(top, "JIT")) {
    if (!jit->is_object())
      throw FieldError{"\"JIT\" should be an object, not " + type_name(*jit)};
    if (const Json* timing = find_field(*jit, "Timing")) {
      if (!timing->is_object())
        throw FieldError{"\"JIT\".\"Timing\" should be an object, not " + type_name(*timing)};
      plan.jit_ms = read_number(*timing, "Total", "\"JIT\".\"Timing\"");
    }
  }
  plan.analyzed = plan.root.analyzed();
  return plan;
}

std::string join_label(const PlanNode& node)
{
  // EXPLAIN's text format: "Hash Join", "Hash Left Join", "Nested Loop Anti Join".
  const bool inner = node.join_type.empty() || node.join_type == "Inner";
  if (node.node_type == "Nested Loop")
    return inner ? node.node_type : node.node_type + " " + node.join_type + " Join";
  const std::string method = node.node_type.substr(0, node.node_type.size() - std::string(" Join").size());
  return inner ? node.node_type : method + " " + node.join_type + " Join";
}

std::string aggregate_label(const PlanNode& node)
{
  std::string name = "Aggregate";
  if (node.strategy == "Hashed")
    name = "HashAggregate";
  else if (node.strategy == "Sorted")
    name = "GroupAggregate";
  else if (node.strategy == "Mixed")
    name = "MixedAggregate";
  if (!node.partial_mode.empty() && node.partial_mode != "Simple")
    name = node.partial_mode + " " + name;
  return name;
}

bool ends_with(const std::string& text, std::string_view suffix)
{
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

double PlanNode::exclusive_ms() const
{
  double children_ms = 0;
  for (const auto& child : children)
    children_ms += child.inclusive_ms();
  // Under Gather, children's loops add up worker time that ran in parallel, so the
  // difference can go below zero: clamp.
  return std::max(0.0, inclusive_ms() - children_ms);
}

std::string PlanNode::label() const
{
  std::string text;
  if (node_type == "Aggregate")
    text = aggregate_label(*this);
  else if (node_type == "ModifyTable" && !operation.empty())
    text = operation;
  else if (ends_with(node_type, " Join") || node_type == "Nested Loop")
    text = join_label(*this);
  else
    text = (parallel_aware ? "Parallel " : "") + node_type;

  if (scan_direction == "Backward")
    text += " Backward";
  if (!index_name.empty())
    text += (node_type == "Bitmap Index Scan" ? " on " : " using ") + index_name;

  std::string target;
  if (!relation_name.empty())
    target = (schema.empty() ? "" : schema + ".") + relation_name;
  else if (!cte_name.empty())
    target = cte_name;
  else if (!function_name.empty())
    target = (schema.empty() ? "" : schema + ".") + function_name;

  if (!target.empty()) {
    text += " on " + target;
    const std::string& own_name = relation_name.empty() ? (cte_name.empty() ? function_name : cte_name) : relation_name;
    if (!alias.empty() && alias != own_name)
      text += " " + alias;
  } else if (!alias.empty() && (node_type == "Subquery Scan" || node_type == "Values Scan")) {
    text += " on " + alias;
  }
  return text;
}

Result<Plan> parse_explain_json(std::string_view text)
{
  Json document;
  try {
    document = Json::parse(text.begin(), text.end());
  } catch (const Json::parse_error& e) {
    return make_error(ErrorKind::invalid_input, std::string("not JSON: ") + e.what(),
                      "give the output of EXPLAIN (FORMAT JSON)", static_cast<int>(e.byte));
  }

  const Json* top = &document;
  if (document.is_array()) {
    if (document.empty())
      return make_error(ErrorKind::invalid_input, "not EXPLAIN JSON: the top-level array is empty");
    top = &document.front();
  }
  if (!top->is_object())
    return make_error(ErrorKind::invalid_input,
                      "not EXPLAIN JSON: expected an object or [object] at the top level, not " + type_name(*top));

  try {
    Plan plan = read_plan(*top);
    plan.json = std::string(text);
    return plan;
  } catch (const FieldError& e) {
    return make_error(ErrorKind::invalid_input, e.message, "give the output of EXPLAIN (FORMAT JSON)");
  }
}

}  // namespace model
