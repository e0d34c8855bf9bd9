// NatsSubjectTemplate: parsing, per-event rendering and the stream filter of a NATS subject
// template. Immutable after Parse.
#include "events/nats_subject_template.h"

#include <utility>

namespace dtwin::events {
namespace {

// Characters NATS does not allow inside a subject token (the separator, wildcards, whitespace
// and control characters).
bool IsInvalidInToken(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return c == '.' || c == '*' || c == '>' || c == ' ' || byte < 0x20 || byte == 0x7f;
}

std::string SanitizedToken(std::string_view value) {
  if (value.empty()) return "_";
  std::string out(value);
  for (char& c : out) {
    if (IsInvalidInToken(c)) c = '_';
  }
  return out;
}

Status TemplateError(std::string_view text, std::string_view what) {
  return Status(ErrorCode::kInvalidArgument,
                "invalid NATS subject template '" + std::string(text) + "': " + std::string(what));
}

}  // namespace

Result<NatsSubjectTemplate> NatsSubjectTemplate::Parse(std::string_view text) {
  NatsSubjectTemplate result;
  result.text_ = std::string(text);
  if (text.empty()) return TemplateError(text, "it is empty");
  Token token;
  size_t i = 0;
  auto end_token = [&]() -> Status {
    if (token.pieces.empty()) {
      return TemplateError(text, "empty token at position " + std::to_string(i));
    }
    result.tokens_.push_back(std::move(token));
    token = Token{};
    return Status::Ok();
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '.') {
      if (Status s = end_token(); !s.ok()) return s;
      ++i;
    } else if (c == '{') {
      const size_t close = text.find('}', i);
      if (close == std::string_view::npos) {
        return TemplateError(text, "'{' at position " + std::to_string(i) + " is not closed");
      }
      const std::string_view name = text.substr(i + 1, close - i - 1);
      Piece piece;
      if (name == "type") {
        piece.field = Field::kType;
      } else if (name == "subject") {
        piece.field = Field::kSubject;
      } else if (name == "source") {
        piece.field = Field::kSource;
      } else {
        return TemplateError(text, "unknown placeholder {" + std::string(name) +
                                       "} (use {type}, {subject} or {source})");
      }
      token.pieces.push_back(std::move(piece));
      token.has_placeholder = true;
      i = close + 1;
    } else if (c == '}' || IsInvalidInToken(c)) {
      return TemplateError(text, "character '" + std::string(1, c) + "' at position " +
                                     std::to_string(i) + " is not allowed in a NATS subject");
    } else {
      if (token.pieces.empty() || token.pieces.back().literal.empty()) {
        token.pieces.push_back(Piece{});
      }
      token.pieces.back().literal.push_back(c);
      ++i;
    }
  }
  if (Status s = end_token(); !s.ok()) return s;
  return result;
}

std::string NatsSubjectTemplate::Render(const CloudEvent& event) const {
  std::string subject;
  for (const Token& token : tokens_) {
    if (!subject.empty()) subject.push_back('.');
    for (const Piece& piece : token.pieces) {
      if (!piece.literal.empty()) {
        subject += piece.literal;
        continue;
      }
      switch (piece.field) {
        case Field::kType:
          subject += SanitizedToken(event.type);
          break;
        case Field::kSubject:
          subject += SanitizedToken(event.subject);
          break;
        case Field::kSource:
          subject += SanitizedToken(event.source);
          break;
      }
    }
  }
  return subject;
}

std::string NatsSubjectTemplate::StreamFilter() const {
  std::string filter;
  for (const Token& token : tokens_) {
    if (!filter.empty()) filter.push_back('.');
    if (token.has_placeholder) {
      filter.push_back('*');
    } else {
      for (const Piece& piece : token.pieces) filter += piece.literal;
    }
  }
  return filter;
}

}  // namespace dtwin::events
