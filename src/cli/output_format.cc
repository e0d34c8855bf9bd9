// JSON and table rendering for the remote commands (see output_format.h).
#include "cli/output_format.h"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <ostream>

namespace dtwin::cli {

namespace {

namespace json = boost::json;

template <typename Number>
void AppendNumber(Number number, std::string& out) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
  out.append(buffer, end);
}

void AppendNewline(int indent, std::string& out) {
  if (indent < 0) return;
  out += '\n';
  out.append(static_cast<size_t>(indent), ' ');
}

// indent < 0: everything on one line.
void AppendJson(const json::value& value, int indent, std::string& out) {
  int inner = indent < 0 ? indent : indent + 2;
  switch (value.kind()) {
    case json::kind::null:
      out += "null";
      return;
    case json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return;
    case json::kind::int64:
      AppendNumber(value.get_int64(), out);
      return;
    case json::kind::uint64:
      AppendNumber(value.get_uint64(), out);
      return;
    case json::kind::double_:
      AppendNumber(value.get_double(), out);
      return;
    case json::kind::string:
      out += json::serialize(value.get_string());
      return;
    case json::kind::array: {
      const json::array& array = value.get_array();
      if (array.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < array.size(); ++i) {
        if (i > 0) out += indent < 0 ? ", " : ",";
        AppendNewline(inner, out);
        AppendJson(array[i], inner, out);
      }
      AppendNewline(indent, out);
      out += ']';
      return;
    }
    case json::kind::object: {
      const json::object& object = value.get_object();
      if (object.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const json::key_value_pair& member : object) {
        if (!first) out += indent < 0 ? ", " : ",";
        first = false;
        AppendNewline(inner, out);
        out += json::serialize(member.key());
        out += ": ";
        AppendJson(member.value(), inner, out);
      }
      AppendNewline(indent, out);
      out += '}';
      return;
    }
  }
}

const json::value* FindPath(const json::value& row, const std::vector<std::string>& path) {
  const json::value* current = &row;
  for (const std::string& key : path) {
    const json::object* object = current->if_object();
    if (object == nullptr) return nullptr;
    current = object->if_contains(key);
    if (current == nullptr) return nullptr;
  }
  return current;
}

std::string CellText(const json::value* value) {
  if (value == nullptr || value->is_null()) return "";
  if (const json::string* text = value->if_string()) return std::string(*text);
  return FormatJsonCompact(*value);
}

// Display width of UTF-8 text: one column per code point (continuation bytes do not count).
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) width += (c & 0xC0) != 0x80;
  return width;
}

std::vector<Column> DeriveColumns(const json::array& rows) {
  std::vector<Column> columns;
  auto add = [&columns](std::string header, std::vector<std::string> path) {
    for (const Column& column : columns) {
      if (column.header == header) return;
    }
    columns.push_back({std::move(header), std::move(path)});
  };
  for (const json::value& row : rows) {
    const json::object* object = row.if_object();
    if (object == nullptr) {
      add("value", {});
      continue;
    }
    for (const json::key_value_pair& member : *object) {
      std::string key(member.key());
      if (key == "$metadata") {
        // A twin's metadata is timestamps per property; its model is what people look for.
        if (member.value().is_object() && member.value().get_object().contains("$model")) {
          add("$model", {"$metadata", "$model"});
        }
        continue;
      }
      add(key, {key});
    }
  }
  return columns;
}

}  // namespace

std::optional<OutputFormat> ParseOutputFormat(std::string_view text) {
  if (text == "json") return OutputFormat::kJson;
  if (text == "table") return OutputFormat::kTable;
  return std::nullopt;
}

std::string FormatJson(const json::value& value) {
  std::string out;
  AppendJson(value, 0, out);
  return out;
}

std::string FormatJsonCompact(const json::value& value) {
  std::string out;
  AppendJson(value, -1, out);
  return out;
}

std::string FormatTable(const json::array& rows, const std::vector<Column>& columns) {
  if (rows.empty()) return "";
  std::vector<Column> used = columns.empty() ? DeriveColumns(rows) : columns;
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const Column& column : used) widths.push_back(DisplayWidth(column.header));
  for (const json::value& row : rows) {
    std::vector<std::string>& line = cells.emplace_back();
    for (size_t c = 0; c < used.size(); ++c) {
      line.push_back(CellText(FindPath(row, used[c].path)));
      widths[c] = std::max(widths[c], DisplayWidth(line.back()));
    }
  }
  std::string out;
  auto append_line = [&out, &widths](const std::vector<std::string>& line) {
    std::string text;
    for (size_t c = 0; c < line.size(); ++c) {
      if (c > 0) text += "  ";
      text += line[c];
      text.append(widths[c] - DisplayWidth(line[c]), ' ');
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out += text + "\n";
  };
  std::vector<std::string> headers, dashes;
  for (size_t c = 0; c < used.size(); ++c) {
    headers.push_back(used[c].header);
    dashes.push_back(std::string(widths[c], '-'));
  }
  append_line(headers);
  append_line(dashes);
  for (const std::vector<std::string>& line : cells) append_line(line);
  return out;
}

void OutputWriter::WriteItem(const json::value& item, const std::vector<Column>& columns) {
  if (format_ == OutputFormat::kTable) {
    out_ << FormatTable(json::array{item}, columns);
  } else {
    out_ << FormatJson(item) << "\n";
  }
}

void OutputWriter::WriteList(const json::array& items, const std::vector<Column>& columns) {
  if (format_ == OutputFormat::kTable) {
    out_ << FormatTable(items, columns);
  } else {
    out_ << FormatJson(items) << "\n";
  }
}

void OutputWriter::WritePage(const json::array& items, const std::optional<std::string>& token,
                             const std::vector<Column>& columns) {
  if (format_ == OutputFormat::kTable) {
    out_ << FormatTable(items, columns);
    if (token) err_ << "dtwin: more results: continue with --continuation '" << *token << "'\n";
    return;
  }
  json::object page;
  page["items"] = items;
  page["continuationToken"] = token ? json::value(*token) : json::value(nullptr);
  out_ << FormatJson(page) << "\n";
}

}  // namespace dtwin::cli
