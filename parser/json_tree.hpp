#pragma once
// A compact, read-only JSON tree for the parse trees libpg_query prints. One flat vector of
// nodes and views into the source text: building it costs a fraction of an nlohmann DOM,
// which matters because shape extraction runs on every sampled statement.

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.hpp"

namespace parser::json {

enum class Type : std::uint8_t { null, boolean, number, string, array, object };

struct Node {
  Type type = Type::null;
  std::uint32_t first_child = 0;  //!< 0: none (the root is never a child)
  std::uint32_t next = 0;         //!< next sibling, 0: none
  std::string_view key;           //!< member name when the parent is an object
  std::string_view text;          //!< string (unescaped), number or literal text
};

class Tree;

//! A cheap handle to one node; an invalid Ref (missing member) answers every query with an
//! empty/zero value, so lookups chain without checks: ref["a"]["b"].integer().
class Ref {
public:
  Ref() = default;
  Ref(const Tree* tree, std::uint32_t index) : m_tree(tree), m_index(index) {}

  bool valid() const { return m_tree != nullptr; }
  explicit operator bool() const { return valid(); }
  Type type() const;
  bool is_object() const { return valid() && type() == Type::object; }
  bool is_array() const { return valid() && type() == Type::array; }

  //! Member of an object, or an invalid Ref.
  Ref operator[](std::string_view key) const;
  //! Element i of an array or object, or an invalid Ref.
  Ref at(std::size_t i) const;
  std::size_t size() const;

  std::string_view key() const;
  std::string_view str() const;  //!< string or number text; "" otherwise
  std::int64_t integer(std::int64_t fallback = 0) const;
  bool boolean() const;

  //! First member of an object: libpg_query wraps every node as {"TypeName": {…}}.
  Ref first() const { return at(0); }

  class Iterator {
  public:
    Iterator(const Tree* tree, std::uint32_t index) : m_tree(tree), m_index(index) {}
    Ref operator*() const { return Ref(m_tree, m_index); }
    Iterator& operator++();
    bool operator!=(const Iterator& other) const { return m_index != other.m_index; }

  private:
    const Tree* m_tree;
    std::uint32_t m_index;
  };
  //! Children of an array or object (members in source order); empty for scalars.
  Iterator begin() const;
  Iterator end() const { return Iterator(m_tree, 0); }

private:
  const Node& node() const;
  const Tree* m_tree = nullptr;
  std::uint32_t m_index = 0;
};

class Tree {
public:
  //! Parses `text`, which must outlive the tree (strings without escapes are views into it).
  //! Malformed JSON: ErrorKind::internal (libpg_query never prints it).
  static model::Result<Tree> parse(std::string_view text);

  Ref root() const { return Ref(this, 0); }
  const Node& node(std::uint32_t index) const { return m_nodes[index]; }

  Tree(Tree&&) = default;
  Tree& operator=(Tree&&) = default;

private:
  Tree() = default;
  friend class Reader;
  std::vector<Node> m_nodes;
  std::deque<std::string> m_unescaped;  //!< stable storage for strings that had escapes
};

}  // namespace parser::json
