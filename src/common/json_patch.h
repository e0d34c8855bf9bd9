// JSON Patch (RFC 6902) as ADT uses it: add, replace and remove only. A patch is parsed
// once (so its shape errors come before any change) and applied atomically: on any error
// the target is left unchanged. Stateless; thread-safe.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "common/status.h"

namespace dtwin {

enum class PatchOpKind { kAdd, kReplace, kRemove };

struct PatchOperation {
  PatchOpKind kind;
  std::string path;                  // JSON Pointer text as sent
  std::vector<std::string> tokens;   // path split into unescaped reference tokens
  boost::json::value value;          // null for remove
};

using JsonPatch = std::vector<PatchOperation>;

// "add", "replace" or "remove".
std::string_view PatchOpName(PatchOpKind kind);

// Parses a patch document. Errors (kJsonPatchInvalid) name the operation index and what is
// wrong: not an array, an operation that is not an object, a missing or unknown "op"
// (move, copy and test are not supported by ADT), a missing or invalid "path", a missing
// "value" for add/replace.
Result<JsonPatch> ParseJsonPatch(const boost::json::value& document);

// Applies the patch to target atomically. Semantics (RFC 6902): add creates or replaces an
// object member, inserts into an array at an index or appends at "-"; replace and remove
// need the member to exist. A missing parent is an error. Errors (kJsonPatchInvalid) say
// "operation N (op path): why".
Status ApplyJsonPatch(const JsonPatch& patch, boost::json::value& target);

// The patch as JSON (for event bodies): [{"op":..., "path":..., "value":...}, ...].
boost::json::value JsonPatchToJson(const JsonPatch& patch);

}  // namespace dtwin
