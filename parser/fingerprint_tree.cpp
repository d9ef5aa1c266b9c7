#include "parser/fingerprint_tree.hpp"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cstdio>
#include <string_view>
#include <vector>

// libpg_query links xxHash in and exports it; using its copy guarantees the same hash.
extern "C" {
std::uint64_t XXH3_64bits_withSeed(const void* data, std::size_t len, std::uint64_t seed);
}

namespace parser::detail {

namespace {

using json::Node;
using json::Tree;
using json::Type;

// pg_query_fingerprint seeds XXH3 with its fingerprint format version.
constexpr std::uint64_t k_seed = 3;

// libpg_query stops descending at depth 100; we report unsupported well before, so the
// cut-off never has to be emulated.
constexpr unsigned k_max_depth = 80;

// Node types whose generic treatment (type name, then every field but `location` in
// alphabetical order) has been checked against pg_query_fingerprint, with their JSON keys
// equal to libpg_query's struct field names. Anything else falls back. Sorted for lookup.
constexpr std::string_view k_supported[] = {
  "A_ArrayExpr", "A_Expr", "A_Indices", "A_Indirection", "A_Star", "AccessPriv", "AlterEnumStmt",
  "AlterFunctionStmt", "AlterOwnerStmt", "AlterRoleSetStmt", "AlterRoleStmt", "AlterSeqStmt",
  "AlterTableCmd", "AlterTableStmt", "AlterTableSpaceOptionsStmt", "BoolExpr", "BooleanTest",
  "CallStmt", "CaseExpr", "CaseWhen", "CheckPointStmt", "ClosePortalStmt", "ClusterStmt",
  "CoalesceExpr", "CollateClause", "ColumnDef", "ColumnRef", "CommentStmt", "CommonTableExpr",
  "CompositeTypeStmt", "Constraint", "CopyStmt", "CreateEnumStmt", "CreateExtensionStmt",
  "CreateFunctionStmt", "CreateRoleStmt", "CreateSchemaStmt", "CreateSeqStmt", "CreateStmt",
  "CreateTableAsStmt", "CreateTrigStmt", "CreatedbStmt", "CurrentOfExpr", "DeallocateStmt",
  "DeclareCursorStmt", "DefElem", "DeleteStmt", "DiscardStmt", "DoStmt", "DropRoleStmt",
  "DropStmt", "DropdbStmt", "ExecuteStmt", "ExplainStmt", "FetchStmt", "FuncCall",
  "FunctionParameter", "GrantRoleStmt", "GrantStmt", "GroupingFunc", "GroupingSet", "IndexElem",
  "IndexStmt", "InferClause", "InsertStmt", "IntoClause", "JoinExpr", "ListenStmt",
  "LockStmt", "LockingClause", "MergeStmt", "MergeWhenClause", "MinMaxExpr", "MultiAssignRef",
  "NamedArgExpr", "NotifyStmt", "NullTest", "ObjectWithArgs", "OnConflictClause",
  "PartitionBoundSpec", "PartitionElem", "PartitionSpec", "PrepareStmt", "RangeFunction",
  "RangeSubselect", "RangeTableSample", "RangeVar", "ReassignOwnedStmt", "RefreshMatViewStmt",
  "ReindexStmt", "RenameStmt", "ResTarget", "RoleSpec", "RowExpr", "RuleStmt", "SQLValueFunction",
  "SelectStmt", "SortBy", "SubLink", "TableLikeClause", "TransactionStmt", "TruncateStmt",
  "TypeCast", "TypeName", "UnlistenStmt", "UpdateStmt", "VacuumRelation", "VacuumStmt",
  "VariableSetStmt", "VariableShowStmt", "ViewStmt", "WindowDef", "WithClause", "XmlExpr",
  "XmlSerialize", "AlterDefaultPrivilegesStmt", "CreatePolicyStmt", "CreateDomainStmt",
  "DropOwnedStmt", "CreateCastStmt", "AlterObjectSchemaStmt", "AlterDatabaseSetStmt",
  "AlterExtensionStmt", "AlterSystemStmt", "ConstraintsSetStmt", "CreateStatsStmt", "DefineStmt",
  "LoadStmt", "StatsElem", "CTESearchClause", "CTECycleClause",
};

// Nodes libpg_query leaves out entirely (constants, parameters, aliases, DEFAULT, NULL).
constexpr std::string_view k_skipped_nodes[] = {
  "A_Const", "Alias", "IntList", "Null", "OidList", "ParamRef", "SetToDefault",
};

// Fields libpg_query 15-4.0.0 leaves out, besides every `location`: names that vary without
// changing the statement (prepared statements, cursors, savepoints, channels) and bodies
// (function options, DO blocks, transaction options).
struct SkippedField {
  std::string_view type;
  std::string_view field;
};
constexpr SkippedField k_skipped_fields[] = {
  {"ClosePortalStmt", "portalname"},
  {"CreateFunctionStmt", "options"},
  {"DeallocateStmt", "name"},
  {"DeclareCursorStmt", "portalname"},
  {"DoStmt", "args"},
  {"ExecuteStmt", "name"},
  {"FetchStmt", "portalname"},
  {"FunctionParameter", "name"},
  {"ListenStmt", "conditionname"},
  {"NotifyStmt", "conditionname"},
  {"PrepareStmt", "name"},
  {"TransactionStmt", "gid"},
  {"TransactionStmt", "options"},
  {"TransactionStmt", "savepoint_name"},
  {"UnlistenStmt", "conditionname"},
};

// Lists whose items libpg_query orders by their own hash and deduplicates, so that
// `SELECT a, b` and `SELECT b, a` (or IN lists of any length) fingerprint alike.
constexpr std::string_view k_sorted_lists[] = {
  "args", "cols", "fromClause", "rexpr", "targetList", "valuesLists",
};

// Fields that hold one node of a fixed type: the JSON prints them without the {"Type": …}
// wrapper and libpg_query hashes them without the type name. The type matters only for
// Alias (left out) and RangeVar (relation name rules).
struct SpecificField {
  std::string_view field;
  std::string_view type;
};
constexpr SpecificField k_specific_fields[] = {
  {"action", "GrantStmt"},
  {"alias", "Alias"},
  {"argType", "TypeName"},
  {"authrole", "RoleSpec"},
  {"collClause", "CollateClause"},
  {"cycle_clause", "CTECycleClause"},
  {"func", "ObjectWithArgs"},
  {"funccall", "FuncCall"},
  {"grantor", "RoleSpec"},
  {"identitySequence", "RangeVar"},
  {"infer", "InferClause"},
  {"into", "IntoClause"},
  {"intoClause", "IntoClause"},
  {"join_using_alias", "Alias"},
  {"larg", "SelectStmt"},
  {"newowner", "RoleSpec"},
  {"newrole", "RoleSpec"},
  {"ofTypename", "TypeName"},
  {"onConflictClause", "OnConflictClause"},
  {"over", "WindowDef"},
  {"partbound", "PartitionBoundSpec"},
  {"partspec", "PartitionSpec"},
  {"pktable", "RangeVar"},
  {"rarg", "SelectStmt"},
  {"rel", "RangeVar"},
  {"relation", "RangeVar"},
  {"returnType", "TypeName"},
  {"role", "RoleSpec"},
  {"search_clause", "CTESearchClause"},
  {"sequence", "RangeVar"},
  {"setstmt", "VariableSetStmt"},
  {"sourcetype", "TypeName"},
  {"table", "RangeVar"},
  {"targettype", "TypeName"},
  {"typeName", "TypeName"},
  {"typevar", "RangeVar"},
  {"view", "RangeVar"},
  {"withClause", "WithClause"},
};

// Byte-wise equality and order without a library call: the names compared here are short.
bool same(std::string_view a, std::string_view b)
{
  if (a.size() != b.size())
    return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] != b[i])
      return false;
  return true;
}

bool before(std::string_view a, std::string_view b)
{
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] != b[i])
      return static_cast<unsigned char>(a[i]) < static_cast<unsigned char>(b[i]);
  return a.size() < b.size();
}

template <typename Range>
bool contains(const Range& set, std::string_view s)
{
  for (std::string_view item : set)
    if (same(item, s))
      return true;
  return false;
}

bool is_skipped_field(std::string_view type, std::string_view field)
{
  for (const auto& f : k_skipped_fields)
    if (same(f.field, field) && same(f.type, type))
      return true;
  return false;
}

std::string_view specific_type(std::string_view field)
{
  for (const auto& f : k_specific_fields)
    if (same(f.field, field))
      return f.type;
  return {};
}

// How node() treats a node type, looked up once per node in a small hash table.
enum class Kind : std::uint8_t { unknown, string, integer, float_value, boolean, bit_string, list, skipped,
                                 type_cast, generic };
struct TypeInfo {
  std::string_view name;
  Kind kind = Kind::unknown;
  bool has_skipped_fields = false;
};

std::uint32_t name_hash(std::string_view name)
{
  std::uint32_t h = 2166136261u;  // FNV-1a
  for (char c : name)
    h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

class TypeTable {
public:
  TypeTable()
  {
    add("String", Kind::string);
    add("Integer", Kind::integer);
    add("Float", Kind::float_value);
    add("Boolean", Kind::boolean);
    add("BitString", Kind::bit_string);
    add("List", Kind::list);
    for (auto name : k_skipped_nodes)
      add(name, Kind::skipped);
    for (auto name : k_supported)
      add(name, same(name, "TypeCast") ? Kind::type_cast : Kind::generic);
    for (const auto& f : k_skipped_fields)
      slot(f.type).has_skipped_fields = true;
  }

  //! The entry for `name`; one with Kind::unknown when the type is not covered.
  const TypeInfo& find(std::string_view name) const
  {
    for (auto i = name_hash(name) & k_mask;; i = (i + 1) & k_mask) {
      const auto& entry = m_slots[i];
      if (entry.kind == Kind::unknown || same(entry.name, name))
        return entry;
    }
  }

private:
  static constexpr std::uint32_t k_mask = 511;

  void add(std::string_view name, Kind kind)
  {
    auto& entry = slot(name);
    entry.name = name;
    entry.kind = kind;
  }

  TypeInfo& slot(std::string_view name)
  {
    for (auto i = name_hash(name) & k_mask;; i = (i + 1) & k_mask)
      if (m_slots[i].kind == Kind::unknown || same(m_slots[i].name, name))
        return m_slots[i];
  }

  std::array<TypeInfo, k_mask + 1> m_slots{};
};

const TypeInfo& type_info(std::string_view name)
{
  static const TypeTable table;
  return table.find(name);
}

// Walks the JSON tree by node index (cheaper than json::Ref on this hot path) and appends
// libpg_query's tokens to one buffer, hashed once at the end: XXH3 over the concatenation
// equals libpg_query's streamed updates.
class Fingerprinter {
public:
  Fingerprinter(const Tree& tree, std::string& buffer, std::string* marks, std::string_view sql)
    : m_tree(tree), m_buf(buffer), m_marks(marks), m_sql(sql)
  {
  }

  bool ok() const { return m_ok; }

  void root()
  {
    auto stmts = member(0, "stmts");
    if (stmts == 0 || at(stmts).type != Type::array)
      return fail();
    // The tree is a List of RawStmt, not a sorted list: statements keep their order.
    for (auto raw = at(stmts).first_child; raw != 0 && m_ok; raw = at(raw).next) {
      if (at(raw).type != Type::object)
        return fail();
      put("RawStmt");
      auto stmt = member(raw, "stmt");
      if (stmt == 0)
        continue;
      if (!is_wrapped(stmt))
        return fail();
      auto mark = size();
      put("stmt");
      node(stmt, "RawStmt", "stmt", 2);
      rollback_if_nothing(mark, 4);
    }
  }

private:
  struct Segment {
    std::uint64_t hash;
    std::size_t begin;
    std::size_t end;
  };

  const Node& at(std::uint32_t i) const { return m_tree.node(i); }

  std::uint32_t member(std::uint32_t object, std::string_view key) const
  {
    for (auto i = at(object).first_child; i != 0; i = at(i).next)
      if (same(at(i).key, key))
        return i;
    return 0;
  }

  // A node printed as {"TypeName": {…}}: one member, named after a node type.
  bool is_wrapped(std::uint32_t i) const
  {
    const auto& n = at(i);
    if (n.type != Type::object || n.first_child == 0)
      return false;
    const auto& inner = at(n.first_child);
    return inner.next == 0 && inner.type == Type::object && !inner.key.empty() && inner.key.front() >= 'A' &&
           inner.key.front() <= 'Z';
  }

  bool is_empty_object(std::uint32_t i) const { return at(i).type == Type::object && at(i).first_child == 0; }

  void fail() { m_ok = false; }

  std::size_t size() const { return m_buf.size(); }

  void put(std::string_view token)
  {
    if (m_marks && !token.empty()) {
      m_marks->push_back('\n');
      m_marks->append(token.size() - 1, ' ');
    }
    m_buf.append(token);
  }

  void truncate(std::size_t n)
  {
    m_buf.resize(n);
    if (m_marks)
      m_marks->resize(n);
  }

  // libpg_query hashes a field's name, then its child, and rolls the name back when the
  // child added nothing (a constant, an alias…).
  void rollback_if_nothing(std::size_t mark, std::size_t name_size)
  {
    if (size() == mark + name_size)
      truncate(mark);
  }

  void node(std::uint32_t wrapper, std::string_view parent, std::string_view field, unsigned depth)
  {
    if (!m_ok)
      return;
    if (depth >= k_max_depth)
      return fail();
    auto body = at(wrapper).first_child;
    auto type = at(body).key;
    const auto& info = type_info(type);
    switch (info.kind) {
    case Kind::string: {
      put("String");
      put("str");
      auto sval = member(body, "sval");
      put(sval ? at(sval).text : std::string_view());
      break;
    }
    case Kind::integer:
      integer(body, parent, field);
      break;
    case Kind::float_value:
      if (auto fval = member(body, "fval")) {
        put("Float");
        put("str");
        put(at(fval).text);
      }
      break;
    case Kind::boolean:
      break;  // libpg_query 15-4.0.0 has no fingerprint case for Boolean: it adds nothing
    case Kind::list: {
      // A List node adds no name of its own; its items carry the enclosing field's name.
      auto items = member(body, "items");
      if (items != 0 && at(items).type != Type::array)
        return fail();
      if (items != 0)
        list(items, parent, field, depth);
      break;
    }
    case Kind::skipped:
      break;  // constants, parameters, aliases: left out
    case Kind::type_cast:
      if (cast_of_constant(body))
        break;  // '1'::int and $1::text are constants as well
      put(type);
      fields(body, info, parent, field, depth);
      break;
    case Kind::generic:
      put(type);
      fields(body, info, parent, field, depth);
      break;
    case Kind::bit_string:  // only seen inside constants, not checked
    case Kind::unknown:
      fail();
      break;
    }
  }

  void integer(std::uint32_t body, std::string_view parent, std::string_view field)
  {
    // The JSON prints an Integer only when positive: {} may be 0 (hashed as nothing) or
    // negative (hashed), which only array bounds let us tell apart.
    auto ival = member(body, "ival");
    std::string_view value = ival ? at(ival).text : std::string_view();
    if (value.empty() || value.front() == '-' || value == "0") {
      if (ival || !same(parent, "TypeName") || !same(field, "arrayBounds") || !empty_bounds_are_unsized())
        return fail();
      value = "-1";  // `int[]`
    }
    put("Integer");
    put("ival");
    put(value);
  }

  // An array bound is `[]` (-1) or `[n]` with n an unsigned literal, which is 0 only when
  // written with a leading 0. When no `[` in the text is followed by a 0 (or a comment that
  // could hide one), every bound the JSON prints as {} is -1.
  bool empty_bounds_are_unsized()
  {
    if (m_bounds == Bounds::unknown) {
      m_bounds = Bounds::unsized;
      for (auto i = m_sql.find('['); i != std::string_view::npos; i = m_sql.find('[', i + 1)) {
        auto j = m_sql.find_first_not_of(" \t\n\r\f\v", i + 1);
        if (j != std::string_view::npos && (m_sql[j] == '0' || m_sql[j] == '/' || m_sql[j] == '-')) {
          m_bounds = Bounds::ambiguous;
          break;
        }
      }
    }
    return m_bounds == Bounds::unsized;
  }

  bool cast_of_constant(std::uint32_t body) const
  {
    auto arg = member(body, "arg");
    if (arg == 0 || at(arg).first_child == 0)
      return false;
    auto type = at(at(arg).first_child).key;
    return same(type, "A_Const") || same(type, "ParamRef");
  }

  void list(std::uint32_t items, std::string_view parent, std::string_view field, unsigned depth)
  {
    if (!contains(k_sorted_lists, field)) {
      for (auto item = at(items).first_child; item != 0 && m_ok; item = at(item).next)
        list_item(item, parent, field, depth + 1);
      return;
    }
    // Hash every item on its own, then lay the items out again ordered by hash, each
    // distinct hash once: what libpg_query does with a sub-context per item.
    auto base = m_segments.size();
    auto start = size();
    for (auto item = at(items).first_child; item != 0 && m_ok; item = at(item).next) {
      auto begin = size();
      list_item(item, parent, field, depth + 1);
      m_segments.push_back({XXH3_64bits_withSeed(m_buf.data() + begin, size() - begin, k_seed), begin, size()});
    }
    if (m_ok && m_segments.size() - base > 1)
      reorder(base, start);
    m_segments.resize(base);
  }

  void reorder(std::size_t base, std::size_t start)
  {
    auto first = m_segments.begin() + static_cast<std::ptrdiff_t>(base);
    std::sort(first, m_segments.end(), [](const Segment& a, const Segment& b) { return a.hash < b.hash; });
    m_scratch.assign(m_buf, start, std::string::npos);
    if (m_marks)
      m_scratch_marks.assign(*m_marks, start, std::string::npos);
    truncate(start);
    for (auto it = first; it != m_segments.end(); ++it) {
      if (it != first && it->hash == (it - 1)->hash)
        continue;
      m_buf.append(m_scratch, it->begin - start, it->end - it->begin);
      if (m_marks)
        m_marks->append(m_scratch_marks, it->begin - start, it->end - it->begin);
    }
  }

  void list_item(std::uint32_t item, std::string_view parent, std::string_view field, unsigned depth)
  {
    if (is_empty_object(item))  // a NULL list cell (DISTINCT's NIL)
      return;
    if (!is_wrapped(item))
      return fail();
    node(item, parent, field, depth);
  }

  // The fields of a node of type `type`; its own parent and field name decide ResTarget's name.
  void fields(std::uint32_t body, const TypeInfo& info, std::string_view parent, std::string_view field,
              unsigned depth)
  {
    auto type = info.name;
    constexpr std::size_t k_max_fields = 48;
    std::array<std::uint32_t, k_max_fields> members;
    std::size_t n = 0;
    for (auto i = at(body).first_child; i != 0; i = at(i).next) {
      if (n == k_max_fields)
        return fail();
      // Insertion sort by name: libpg_query's generator emits fields alphabetically.
      std::size_t j = n++;
      while (j > 0 && before(at(i).key, at(members[j - 1]).key)) {
        members[j] = members[j - 1];
        --j;
      }
      members[j] = i;
    }

    bool skips = info.has_skipped_fields;
    for (std::size_t k = 0; k < n && m_ok; ++k) {
      auto i = members[k];
      const auto& value = at(i);
      auto key = value.key;
      if (same(key, "location") || (skips && is_skipped_field(type, key)))
        continue;
      switch (value.type) {
      case Type::null:
        break;
      case Type::boolean:
        if (same(value.text, "true")) {
          put(key);
          put("true");
        }
        break;
      case Type::number:
        if (!same(value.text, "0")) {
          put(key);
          put(value.text);
        }
        break;
      case Type::string:
        scalar_string(body, type, parent, field, key, value.text);
        break;
      case Type::array: {
        if (value.first_child == 0)
          break;
        auto mark = size();
        put(key);
        list(i, type, key, depth + 1);
        // DISTINCT's list of one NULL cell is the one list kept although it adds nothing.
        bool lone_null = is_empty_object(value.first_child) && at(value.first_child).next == 0;
        if (!lone_null)
          rollback_if_nothing(mark, key.size());
        break;
      }
      case Type::object: {
        auto mark = size();
        put(key);
        if (is_wrapped(i))
          node(i, type, key, depth + 1);
        else
          specific(i, type, key, depth + 1);
        rollback_if_nothing(mark, key.size());
        break;
      }
      }
    }
  }

  void scalar_string(std::uint32_t body, std::string_view type, std::string_view parent, std::string_view field,
                     std::string_view key, std::string_view text)
  {
    if (same(type, "ResTarget") && same(key, "name") && same(parent, "SelectStmt") && same(field, "targetList"))
      return;  // output column names (AS x) don't change the query
    if (same(type, "A_Expr") && same(key, "kind") && (same(text, "AEXPR_IN") || same(text, "AEXPR_OP_ANY")))
      text = "AEXPR_OP";  // x IN (…) and x = ANY(…) fingerprint as the plain operator
    if (same(type, "RangeVar") && same(key, "relname")) {
      // Temporary tables and numbered partitions/shards group together: libpg_query skips
      // temp relation names and drops every run of two or more digits.
      auto persistence = member(body, "relpersistence");
      if (persistence && same(at(persistence).text, "t"))
        return;
      put(key);
      relname(text);
      return;
    }
    put(key);
    put(text);
  }

  void relname(std::string_view name)
  {
    auto begin = size();
    for (std::size_t i = 0; i < name.size();) {
      std::size_t j = i;
      while (j < name.size() && name[j] >= '0' && name[j] <= '9')
        ++j;
      if (j == i)
        m_buf.push_back(name[j++]);
      else if (j - i == 1)
        m_buf.push_back(name[i]);
      i = j;
    }
    if (m_marks && size() > begin) {
      m_marks->push_back('\n');
      m_marks->append(size() - begin - 1, ' ');
    }
  }

  // A fixed-type child, printed without its type wrapper and hashed without its type name.
  void specific(std::uint32_t body, std::string_view parent, std::string_view field, unsigned depth)
  {
    if (depth >= k_max_depth)
      return fail();
    auto type = specific_type(field);
    if (type.empty())
      return fail();
    if (same(type, "Alias"))
      return;
    const auto& info = type_info(type);
    if (info.kind != Kind::generic)
      return fail();
    fields(body, info, parent, field, depth);
  }

  const Tree& m_tree;
  std::string& m_buf;
  std::string* m_marks;
  std::string_view m_sql;
  enum class Bounds { unknown, unsized, ambiguous };
  Bounds m_bounds = Bounds::unknown;
  bool m_ok = true;
  std::vector<Segment> m_segments;
  std::string m_scratch;
  std::string m_scratch_marks;
};

}  // namespace

std::optional<std::uint64_t> fingerprint_tree(const json::Tree& tree, std::string_view sql)
{
  thread_local std::string buffer;
  buffer.clear();
  Fingerprinter fingerprinter(tree, buffer, nullptr, sql);
  fingerprinter.root();
  if (!fingerprinter.ok())
    return std::nullopt;
  return XXH3_64bits_withSeed(buffer.data(), buffer.size(), k_seed);
}

std::optional<std::string> fingerprint_tokens(const json::Tree& tree, std::string_view sql)
{
  std::string buffer;
  std::string marks;
  Fingerprinter fingerprinter(tree, buffer, &marks, sql);
  fingerprinter.root();
  if (!fingerprinter.ok())
    return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < buffer.size(); ++i) {
    if (i > 0 && marks[i] == '\n')
      out.push_back('\n');
    out.push_back(buffer[i]);
  }
  if (!buffer.empty())
    out.push_back('\n');
  return out;
}

std::string fingerprint_hex(std::uint64_t value)
{
  char text[17];
  std::snprintf(text, sizeof text, "%016" PRIx64, value);
  return std::string(text, 16);
}

}  // namespace parser::detail
