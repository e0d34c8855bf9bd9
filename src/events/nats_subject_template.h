// NatsSubjectTemplate: the NATS subject an event is published to, from a template such as
// "dtwin.{type}.{subject}". Immutable after Parse; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "events/event_sink.h"

namespace dtwin::events {

class NatsSubjectTemplate {
 public:
  static constexpr std::string_view kDefault = "dtwin.{type}.{subject}";

  // Placeholders: {type}, {subject}, {source}. The template itself must be a valid NATS
  // subject: dot-separated non-empty tokens without spaces or wildcards ('*', '>').
  static Result<NatsSubjectTemplate> Parse(std::string_view text);

  // The subject for this event. Substituted values have '.', whitespace, '*', '>' and control
  // characters replaced by '_' (an empty value becomes "_"), so each placeholder stays inside
  // its token and the subject is always valid, e.g.
  // "dtwin.Microsoft_DigitalTwins_Twin_Update.room1".
  std::string Render(const CloudEvent& event) const;

  // The subject filter that captures every subject Render can produce: each token holding a
  // placeholder becomes '*' ("dtwin.*.*"). Used as the subjects of a stream the sink creates.
  std::string StreamFilter() const;

  const std::string& text() const { return text_; }

 private:
  enum class Field { kType, kSubject, kSource };
  // A piece of one token: literal text, or a placeholder when literal is empty.
  struct Piece {
    std::string literal;
    Field field = Field::kType;
  };
  struct Token {
    std::vector<Piece> pieces;
    bool has_placeholder = false;
  };

  std::string text_;
  std::vector<Token> tokens_;
};

}  // namespace dtwin::events
