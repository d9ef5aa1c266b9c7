#include "parser/json_tree.hpp"

#include <charconv>

namespace parser::json {

Type Ref::type() const
{
  return node().type;
}

const Node& Ref::node() const
{
  return m_tree->node(m_index);
}

Ref Ref::operator[](std::string_view key) const
{
  if (!is_object())
    return {};
  for (std::uint32_t i = node().first_child; i != 0; i = m_tree->node(i).next)
    if (m_tree->node(i).key == key)
      return Ref(m_tree, i);
  return {};
}

Ref Ref::at(std::size_t n) const
{
  if (!valid())
    return {};
  std::uint32_t i = node().first_child;
  for (; i != 0 && n > 0; --n)
    i = m_tree->node(i).next;
  return i == 0 ? Ref() : Ref(m_tree, i);
}

std::size_t Ref::size() const
{
  std::size_t n = 0;
  for (auto child : *this) {
    (void)child;
    ++n;
  }
  return n;
}

std::string_view Ref::key() const
{
  return valid() ? node().key : std::string_view();
}

std::string_view Ref::str() const
{
  if (!valid() || (type() != Type::string && type() != Type::number))
    return {};
  return node().text;
}

std::int64_t Ref::integer(std::int64_t fallback) const
{
  if (!valid() || type() != Type::number)
    return fallback;
  std::int64_t value = fallback;
  auto text = node().text;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

bool Ref::boolean() const
{
  return valid() && type() == Type::boolean && node().text == "true";
}

Ref::Iterator& Ref::Iterator::operator++()
{
  m_index = m_tree->node(m_index).next;
  return *this;
}

Ref::Iterator Ref::begin() const
{
  if (!valid() || (type() != Type::array && type() != Type::object))
    return end();
  return Iterator(m_tree, node().first_child);
}

// Recursive descent over compact JSON. Depth follows the parse tree's depth, which
// libpg_query itself bounds (max_stack_depth), so recursion is safe here.
class Reader {
public:
  Reader(std::string_view text, Tree& tree) : m_text(text), m_tree(tree) {}

  bool value(std::uint32_t index)
  {
    skip_blanks();
    if (m_pos >= m_text.size())
      return false;
    char c = m_text[m_pos];
    switch (c) {
    case '{':
      return container(index, Type::object, '}');
    case '[':
      return container(index, Type::array, ']');
    case '"': {
      m_tree.m_nodes[index].type = Type::string;
      std::string_view s;
      if (!string(s))
        return false;
      m_tree.m_nodes[index].text = s;
      return true;
    }
    case 't':
      return literal(index, "true", Type::boolean);
    case 'f':
      return literal(index, "false", Type::boolean);
    case 'n':
      return literal(index, "null", Type::null);
    default:
      return number(index);
    }
  }

  bool at_end()
  {
    skip_blanks();
    return m_pos == m_text.size();
  }

private:
  void skip_blanks()
  {
    while (m_pos < m_text.size()
           && (m_text[m_pos] == ' ' || m_text[m_pos] == '\n' || m_text[m_pos] == '\t' || m_text[m_pos] == '\r'))
      ++m_pos;
  }

  std::uint32_t new_node()
  {
    m_tree.m_nodes.emplace_back();
    return static_cast<std::uint32_t>(m_tree.m_nodes.size() - 1);
  }

  bool container(std::uint32_t index, Type type, char close)
  {
    m_tree.m_nodes[index].type = type;
    ++m_pos;
    skip_blanks();
    if (m_pos < m_text.size() && m_text[m_pos] == close) {
      ++m_pos;
      return true;
    }
    std::uint32_t previous = 0;
    while (true) {
      std::uint32_t child = new_node();
      if (type == Type::object) {
        skip_blanks();
        std::string_view key;
        if (!string(key))
          return false;
        skip_blanks();
        if (m_pos >= m_text.size() || m_text[m_pos] != ':')
          return false;
        ++m_pos;
        m_tree.m_nodes[child].key = key;
      }
      if (!value(child))
        return false;
      if (previous == 0)
        m_tree.m_nodes[index].first_child = child;
      else
        m_tree.m_nodes[previous].next = child;
      previous = child;
      skip_blanks();
      if (m_pos >= m_text.size())
        return false;
      char c = m_text[m_pos++];
      if (c == close)
        return true;
      if (c != ',')
        return false;
    }
  }

  bool string(std::string_view& out)
  {
    if (m_pos >= m_text.size() || m_text[m_pos] != '"')
      return false;
    std::size_t start = ++m_pos;
    while (m_pos < m_text.size() && m_text[m_pos] != '"' && m_text[m_pos] != '\\')
      ++m_pos;
    if (m_pos >= m_text.size())
      return false;
    if (m_text[m_pos] == '"') {
      out = m_text.substr(start, m_pos - start);
      ++m_pos;
      return true;
    }
    std::string decoded(m_text.substr(start, m_pos - start));
    while (m_pos < m_text.size() && m_text[m_pos] != '"') {
      char c = m_text[m_pos++];
      if (c != '\\') {
        decoded.push_back(c);
        continue;
      }
      if (m_pos >= m_text.size())
        return false;
      char e = m_text[m_pos++];
      switch (e) {
      case 'n': decoded.push_back('\n'); break;
      case 't': decoded.push_back('\t'); break;
      case 'r': decoded.push_back('\r'); break;
      case 'b': decoded.push_back('\b'); break;
      case 'f': decoded.push_back('\f'); break;
      case 'u': {
        unsigned code = 0;
        if (!hex4(code))
          return false;
        if (code >= 0xD800 && code < 0xDC00 && m_pos + 6 <= m_text.size() && m_text[m_pos] == '\\'
            && m_text[m_pos + 1] == 'u') {
          m_pos += 2;
          unsigned low = 0;
          if (!hex4(low))
            return false;
          code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
        }
        append_utf8(decoded, code);
        break;
      }
      default: decoded.push_back(e); break;  // \" \\ \/
      }
    }
    if (m_pos >= m_text.size())
      return false;
    ++m_pos;
    out = m_tree.m_unescaped.emplace_back(std::move(decoded));
    return true;
  }

  bool hex4(unsigned& code)
  {
    if (m_pos + 4 > m_text.size())
      return false;
    auto r = std::from_chars(m_text.data() + m_pos, m_text.data() + m_pos + 4, code, 16);
    if (r.ptr != m_text.data() + m_pos + 4)
      return false;
    m_pos += 4;
    return true;
  }

  static void append_utf8(std::string& out, unsigned code)
  {
    if (code < 0x80) {
      out.push_back(static_cast<char>(code));
    } else if (code < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (code >> 6)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else if (code < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (code >> 12)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (code >> 18)));
      out.push_back(static_cast<char>(0x80 | ((code >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (code & 0x3F)));
    }
  }

  bool literal(std::uint32_t index, std::string_view word, Type type)
  {
    if (m_text.substr(m_pos, word.size()) != word)
      return false;
    m_tree.m_nodes[index].type = type;
    m_tree.m_nodes[index].text = m_text.substr(m_pos, word.size());
    m_pos += word.size();
    return true;
  }

  bool number(std::uint32_t index)
  {
    std::size_t start = m_pos;
    while (m_pos < m_text.size()) {
      char c = m_text[m_pos];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E')
        ++m_pos;
      else
        break;
    }
    if (m_pos == start)
      return false;
    m_tree.m_nodes[index].type = Type::number;
    m_tree.m_nodes[index].text = m_text.substr(start, m_pos - start);
    return true;
  }

  std::string_view m_text;
  Tree& m_tree;
  std::size_t m_pos = 0;
};

model::Result<Tree> Tree::parse(std::string_view text)
{
  Tree tree;
  // libpg_query's compact JSON runs near 12 bytes per node; reserving avoids regrowth.
  tree.m_nodes.reserve(text.size() / 8 + 4);
  tree.m_nodes.emplace_back();
  Reader reader(text, tree);
  if (!reader.value(0) || !reader.at_end())
    return model::make_error(model::ErrorKind::internal, "malformed JSON from libpg_query");
  return tree;
}

}  // namespace parser::json
