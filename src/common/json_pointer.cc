// JSON Pointer (RFC 6901): parsing, escaping and lookup over boost::json values.
// Stateless; thread-safe.
#include "common/json_pointer.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <charconv>

namespace dtwin {

namespace {

// Unescapes one raw token ("a~1b" -> "a/b") into out; false on a '~' not followed by 0 or 1.
bool UnescapeToken(std::string_view raw, std::string& out) {
  out.clear();
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '~') {
      out += raw[i];
      continue;
    }
    if (i + 1 >= raw.size() || (raw[i + 1] != '0' && raw[i + 1] != '1')) return false;
    out += raw[i + 1] == '0' ? '~' : '/';
    ++i;
  }
  return true;
}

// RFC 6901 array index: "0" or digits without a leading zero; "-" and anything else fail.
bool ParseArrayIndex(std::string_view token, size_t& index) {
  if (token.empty() || (token.size() > 1 && token[0] == '0')) return false;
  for (char c : token) {
    if (c < '0' || c > '9') return false;
  }
  auto [ptr, ec] = std::from_chars(token.data(), token.data() + token.size(), index);
  return ec == std::errc() && ptr == token.data() + token.size();
}

// Walks pointer from root without building a token vector (lookups are on hot paths).
// Works for const and non-const values alike.
template <typename Value>
Value* Find(Value& root, std::string_view pointer) {
  if (pointer.empty()) return &root;
  if (pointer[0] != '/') return nullptr;
  Value* current = &root;
  std::string unescaped;
  size_t start = 1;
  for (;;) {
    const size_t slash = pointer.find('/', start);
    const size_t end = slash == std::string_view::npos ? pointer.size() : slash;
    std::string_view token = pointer.substr(start, end - start);
    if (token.find('~') != std::string_view::npos) {
      if (!UnescapeToken(token, unescaped)) return nullptr;
      token = unescaped;
    }
    if (current->is_object()) {
      auto& object = current->get_object();
      auto it = object.find(token);
      if (it == object.end()) return nullptr;
      current = &it->value();
    } else if (current->is_array()) {
      auto& array = current->get_array();
      size_t index = 0;
      if (!ParseArrayIndex(token, index) || index >= array.size()) return nullptr;
      current = &array[index];
    } else {
      return nullptr;
    }
    if (slash == std::string_view::npos) return current;
    start = slash + 1;
  }
}

}  // namespace

Result<std::vector<std::string>> ParseJsonPointer(std::string_view pointer) {
  std::vector<std::string> tokens;
  if (pointer.empty()) return tokens;
  if (pointer[0] != '/') {
    return Status(ErrorCode::kInvalidArgument, "invalid JSON pointer \"" + std::string(pointer) +
                                                   "\": it must be empty or start with '/'");
  }
  size_t start = 1;
  for (;;) {
    const size_t slash = pointer.find('/', start);
    const size_t end = slash == std::string_view::npos ? pointer.size() : slash;
    std::string token;
    if (!UnescapeToken(pointer.substr(start, end - start), token)) {
      return Status(ErrorCode::kInvalidArgument, "invalid JSON pointer \"" + std::string(pointer) +
                                                     "\": '~' must be followed by 0 or 1");
    }
    tokens.push_back(std::move(token));
    if (slash == std::string_view::npos) return tokens;
    start = slash + 1;
  }
}

void AppendEscapedJsonPointerToken(std::string_view token, std::string& out) {
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
}

std::string EscapeJsonPointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  AppendEscapedJsonPointerToken(token, out);
  return out;
}

std::string JoinJsonPointer(const std::vector<std::string>& tokens) {
  std::string out;
  for (const std::string& token : tokens) {
    out += '/';
    out += EscapeJsonPointerToken(token);
  }
  return out;
}

const boost::json::value* FindJsonPointer(const boost::json::value& root,
                                          std::string_view pointer) {
  return Find(root, pointer);
}

boost::json::value* FindJsonPointer(boost::json::value& root, std::string_view pointer) {
  return Find(root, pointer);
}

}  // namespace dtwin
