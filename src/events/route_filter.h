// Event route filters: ADT's filter language, parsed once when a route is stored (PUT
// /eventroutes) and evaluated for every event. RouteFilter is immutable after Parse: copy it
// freely and call Matches from any number of threads.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "common/status.h"

namespace dtwin {

struct FilterExpr;

// ADT documents no maximum filter length; this one keeps a filter small enough to store,
// list and log, and far above any filter the documentation shows.
inline constexpr size_t kMaxRouteFilterLength = 2048;

// Parentheses, NOT and function calls nested deeper than this are an error (parsing and
// evaluation recurse, and user input must never exhaust the stack).
inline constexpr int kMaxRouteFilterNesting = 64;

// The CloudEvents view of one event (reference/adt-api.md 8.2) that a filter is evaluated
// against. An attribute the event does not carry is nullopt (telemetry has no `time`, a
// twin-level telemetry message no `subject`). Non-owning: everything viewed must outlive
// the call to Matches.
struct FilterInput {
  std::optional<std::string_view> type;
  std::optional<std::string_view> source;
  std::optional<std::string_view> id;
  std::optional<std::string_view> subject;
  std::optional<std::string_view> specversion;
  std::optional<std::string_view> dataschema;
  std::optional<std::string_view> datacontenttype;
  std::optional<std::string_view> time;
  std::optional<std::string_view> traceparent;
  // The event's `data`, which `$body.<path>` reads; nullptr when the event has none.
  const boost::json::value* data = nullptr;
};

// The language (how-to-create-routes, "Filter events"):
//   true | false                          route everything / nothing
//   <operand> <op> <operand>              op: = != < <= > >=
//   STARTS_WITH(x, y) ENDS_WITH(x, y) CONTAINS(x, y)
//   <condition> AND <condition>, OR, ( ), and NOT <condition> (NOT is a dtwin extension)
// Operands: the attributes type, source, id, subject, specversion, dataschema,
// datacontenttype, time, traceparent; `$body.a.b` (a property of the event data; `$body`
// alone is the whole data); literals 'string' (escapes \' \" \\), integers, decimals
// (e.g. -2.5e3), true, false, null. `$eventType` is also accepted, because the service
// accepts the filter every SDK sample uses ("$eventType = 'DigitalTwinTelemetryMessages' or
// $eventType = 'DigitalTwinLifecycleNotification'"); see the evaluator for its values.
//
// Case: keywords (AND, OR, NOT, TRUE, FALSE, NULL) and function names are case-insensitive
// (the recorded SDK filter uses `or`); attribute names, $body paths and values are
// case-sensitive ("Filters are case-sensitive and need to match the payload case").
//
// Evaluation: a comparison involving a missing attribute or $body path is false, whatever
// the operator, so `$body.prop != null` means "prop is present and not null". Between two
// present values `=` is true only for equal values of the same type (numbers compare by
// value across integer and decimal), `!=` is its negation, and the ordering operators
// compare two numbers or two strings (ordinally) and are false otherwise. Functions are
// false unless both arguments are strings; fields inside arrays are never reached.
class RouteFilter {
 public:
  // Parses text. Errors are kEventRouteFilterInvalid with ADT's message: "The provided
  // filter is invalid. Parsing error, Line=L, Position=P, Message=<what>. See event route
  // documentation ..." with 1-based line and position (counted in characters).
  static Result<RouteFilter> Parse(std::string_view text);

  // Whether the event passes the filter.
  bool Matches(const FilterInput& event) const;

  // Whether the filter reads $body anywhere: when none does, the router need not parse the
  // event data (FilterInput::data may then be nullptr).
  bool reads_body() const { return reads_body_; }

 private:
  RouteFilter(std::shared_ptr<const FilterExpr> root, bool reads_body)
      : root_(std::move(root)), reads_body_(reads_body) {}

  std::shared_ptr<const FilterExpr> root_;  // immutable, shared by copies
  bool reads_body_ = false;
};

}  // namespace dtwin
