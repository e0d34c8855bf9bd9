// Tests for JSON Patch parsing (shape errors) and atomic application (add, replace, remove).
#include "common/json_patch.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "common/json_writer.h"

namespace dtwin {
namespace {

boost::json::value Json(std::string_view text) { return boost::json::parse(text); }

// Parses patch_text and applies it to a copy of target_text. Returns the status; *result
// receives the patched document.
Status Patch(std::string_view target_text, std::string_view patch_text,
             boost::json::value* result = nullptr) {
  Result<JsonPatch> patch = ParseJsonPatch(Json(patch_text));
  EXPECT_TRUE(patch.ok()) << patch.status().ToString();
  if (!patch.ok()) return patch.status();
  boost::json::value target = Json(target_text);
  Status status = ApplyJsonPatch(*patch, target);
  if (result != nullptr) *result = std::move(target);
  return status;
}

// The compact JSON of target after the patch; fails the test if the patch fails.
std::string Patched(std::string_view target_text, std::string_view patch_text) {
  boost::json::value result;
  Status status = Patch(target_text, patch_text, &result);
  EXPECT_TRUE(status.ok()) << status.ToString();
  return WriteJson(result);
}

// The error message of a patch that must fail.
std::string PatchFailure(std::string_view target_text, std::string_view patch_text) {
  Status status = Patch(target_text, patch_text);
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kJsonPatchInvalid);
  return status.message();
}

// The message of a patch document that must not parse.
std::string ParseFailure(std::string_view patch_text) {
  Result<JsonPatch> patch = ParseJsonPatch(Json(patch_text));
  EXPECT_FALSE(patch.ok()) << patch_text;
  if (patch.ok()) return "";
  EXPECT_EQ(patch.status().code(), ErrorCode::kJsonPatchInvalid);
  return patch.status().message();
}

// ---- parsing

TEST(ParseJsonPatchTest, ParsesOperations) {
  Result<JsonPatch> patch = ParseJsonPatch(Json(R"([
      {"op": "add", "path": "/a~1b/0", "value": {"x": 1}},
      {"op": "replace", "path": "/c", "value": null},
      {"op": "remove", "path": "/d"}])"));
  ASSERT_TRUE(patch.ok()) << patch.status().ToString();
  ASSERT_EQ(patch->size(), 3u);
  const PatchOperation& add = (*patch)[0];
  EXPECT_EQ(add.kind, PatchOpKind::kAdd);
  EXPECT_EQ(add.path, "/a~1b/0");
  EXPECT_EQ(add.tokens, (std::vector<std::string>{"a/b", "0"}));
  EXPECT_EQ(add.value, Json(R"({"x": 1})"));
  EXPECT_EQ((*patch)[1].kind, PatchOpKind::kReplace);
  EXPECT_TRUE((*patch)[1].value.is_null());
  EXPECT_EQ((*patch)[2].kind, PatchOpKind::kRemove);
  EXPECT_TRUE((*patch)[2].value.is_null());
}

TEST(ParseJsonPatchTest, EmptyPatchIsValid) {
  Result<JsonPatch> patch = ParseJsonPatch(Json("[]"));
  ASSERT_TRUE(patch.ok());
  EXPECT_TRUE(patch->empty());
}

TEST(ParseJsonPatchTest, IgnoresUnknownMembers) {
  // RFC 6902 section 4: members not defined for the operation are ignored.
  Result<JsonPatch> patch =
      ParseJsonPatch(Json(R"([{"op": "remove", "path": "/a", "from": "/b", "value": 1}])"));
  ASSERT_TRUE(patch.ok());
  EXPECT_TRUE((*patch)[0].value.is_null());  // a remove carries no value
}

TEST(ParseJsonPatchTest, RejectsNonArrayDocument) {
  EXPECT_EQ(ParseFailure(R"({"op": "add", "path": "/a", "value": 1})"),
            "a JSON patch must be an array of operations, not an object");
  EXPECT_EQ(ParseFailure("null"), "a JSON patch must be an array of operations, not null");
}

TEST(ParseJsonPatchTest, RejectsNonObjectOperation) {
  EXPECT_EQ(ParseFailure(R"([{"op": "remove", "path": "/a"}, "AverageTemperature"])"),
            "operation 1: an operation must be an object, not a string");
}

TEST(ParseJsonPatchTest, RejectsMissingOrInvalidOp) {
  EXPECT_EQ(ParseFailure(R"([{}])"), "operation 0: missing \"op\"");
  EXPECT_EQ(ParseFailure(R"([{"op": 1, "path": "/a"}])"),
            "operation 0: \"op\" must be a string, not a number");
  EXPECT_EQ(ParseFailure(R"([{"op": ["add"], "path": "/a"}])"),
            "operation 0: \"op\" must be a string, not an array");
  EXPECT_EQ(ParseFailure(R"([{"op": "ADD", "path": "/a", "value": 1}])"),
            "operation 0: unknown op \"ADD\"; use add, replace or remove");
}

TEST(ParseJsonPatchTest, RejectsOpsAdtDoesNotSupport) {
  EXPECT_EQ(ParseFailure(R"([{"op": "move", "from": "/a", "path": "/b"}])"),
            "operation 0: op \"move\" is not supported; use add, replace or remove");
  EXPECT_EQ(ParseFailure(R"([{"op": "add", "path": "/a", "value": 1},
                              {"op": "copy", "from": "/a", "path": "/b"}])"),
            "operation 1: op \"copy\" is not supported; use add, replace or remove");
  EXPECT_EQ(ParseFailure(R"([{"op": "test", "path": "/a", "value": 1}])"),
            "operation 0: op \"test\" is not supported; use add, replace or remove");
}

TEST(ParseJsonPatchTest, RejectsMissingOrInvalidPath) {
  EXPECT_EQ(ParseFailure(R"([{"op": "remove"}])"), "operation 0: missing \"path\"");
  EXPECT_EQ(ParseFailure(R"([{"op": "remove", "path": null}])"),
            "operation 0: \"path\" must be a string, not null");
  EXPECT_EQ(ParseFailure(R"([{"op": "remove", "path": "a"}])"),
            "operation 0: \"path\" is an invalid JSON pointer \"a\": it must be empty or start "
            "with '/'");
  EXPECT_EQ(ParseFailure(R"([{"op": "remove", "path": "/a~2"}])"),
            "operation 0: \"path\" is an invalid JSON pointer \"/a~2\": '~' must be followed by "
            "0 or 1");
}

TEST(ParseJsonPatchTest, RejectsMissingValue) {
  EXPECT_EQ(ParseFailure(R"([{"op": "add", "path": "/a"}])"),
            "operation 0 (add /a): missing \"value\"");
  EXPECT_EQ(ParseFailure(R"([{"op": "remove", "path": "/a"},
                              {"op": "replace", "path": "/b"}])"),
            "operation 1 (replace /b): missing \"value\"");
  // An explicit null is a value.
  EXPECT_TRUE(ParseJsonPatch(Json(R"([{"op": "add", "path": "/a", "value": null}])")).ok());
}

TEST(JsonPatchToJsonTest, RendersOperationsAsSent) {
  const std::string text =
      R"([{"op":"add","path":"/a~1b","value":{"x":[1]}},{"op":"replace","path":"/c","value":null},)"
      R"({"op":"remove","path":"/d"}])";
  Result<JsonPatch> patch = ParseJsonPatch(Json(text));
  ASSERT_TRUE(patch.ok());
  EXPECT_EQ(WriteJson(JsonPatchToJson(*patch)), text);
  EXPECT_EQ(WriteJson(JsonPatchToJson({})), "[]");
}

// ---- add

TEST(ApplyJsonPatchTest, AddCreatesOrReplacesObjectMembers) {
  EXPECT_EQ(Patched(R"({"a": 1})", R"([{"op": "add", "path": "/b", "value": 2}])"),
            R"({"a":1,"b":2})");
  EXPECT_EQ(Patched(R"({"a": 1})", R"([{"op": "add", "path": "/a", "value": [3]}])"),
            R"({"a":[3]})");
  EXPECT_EQ(Patched(R"({"o": {}})", R"([{"op": "add", "path": "/o/x~1y", "value": true}])"),
            R"({"o":{"x/y":true}})");
  EXPECT_EQ(Patched(R"({})", R"([{"op": "add", "path": "/", "value": 0}])"), R"({"":0})");
}

TEST(ApplyJsonPatchTest, AddInsertsIntoArrays) {
  EXPECT_EQ(Patched(R"({"l": [1, 2]})", R"([{"op": "add", "path": "/l/0", "value": 0}])"),
            R"({"l":[0,1,2]})");
  EXPECT_EQ(Patched(R"({"l": [1, 2]})", R"([{"op": "add", "path": "/l/1", "value": 9}])"),
            R"({"l":[1,9,2]})");
  EXPECT_EQ(Patched(R"({"l": [1, 2]})", R"([{"op": "add", "path": "/l/2", "value": 3}])"),
            R"({"l":[1,2,3]})");  // index == size appends
  EXPECT_EQ(Patched(R"({"l": [1, 2]})", R"([{"op": "add", "path": "/l/-", "value": 3}])"),
            R"({"l":[1,2,3]})");
  EXPECT_EQ(Patched(R"({"l": []})", R"([{"op": "add", "path": "/l/-", "value": {"k": 1}}])"),
            R"({"l":[{"k":1}]})");
}

TEST(ApplyJsonPatchTest, AddToArrayOutOfRangeFails) {
  EXPECT_EQ(PatchFailure(R"({"l": [1, 2]})", R"([{"op": "add", "path": "/l/3", "value": 0}])"),
            "operation 0 (add /l/3): index 3 is out of range for an array of 2 elements");
  EXPECT_EQ(PatchFailure(R"({"l": [1]})", R"([{"op": "add", "path": "/l/01", "value": 0}])"),
            "operation 0 (add /l/01): \"01\" is not a valid array index");
  EXPECT_EQ(PatchFailure(R"({"l": [1]})", R"([{"op": "add", "path": "/l/x", "value": 0}])"),
            "operation 0 (add /l/x): \"x\" is not a valid array index");
}

TEST(ApplyJsonPatchTest, AddWithMissingParentFails) {
  EXPECT_EQ(PatchFailure(R"({"a": 1})", R"([{"op": "add", "path": "/o/x", "value": 2}])"),
            "operation 0 (add /o/x): the member \"o\" does not exist");
  EXPECT_EQ(PatchFailure(R"({"o": {}})", R"([{"op": "add", "path": "/o/p/q", "value": 2}])"),
            "operation 0 (add /o/p/q): the member \"p\" does not exist");
}

TEST(ApplyJsonPatchTest, AddBelowAScalarFails) {
  EXPECT_EQ(PatchFailure(R"({"a": 1})", R"([{"op": "add", "path": "/a/b", "value": 2}])"),
            "operation 0 (add /a/b): the value at \"/a\" is a number, not an object or array");
  EXPECT_EQ(
      PatchFailure(R"({"a": {"s": "x"}})", R"([{"op": "add", "path": "/a/s/t/u", "value": 2}])"),
      "operation 0 (add /a/s/t/u): the value at \"/a/s\" is a string, not an object or "
      "array");
}

TEST(ApplyJsonPatchTest, AddThroughArrayElements) {
  EXPECT_EQ(Patched(R"({"l": [{"a": 1}]})", R"([{"op": "add", "path": "/l/0/b", "value": 2}])"),
            R"({"l":[{"a":1,"b":2}]})");
  EXPECT_EQ(
      PatchFailure(R"({"l": [{"a": 1}]})", R"([{"op": "add", "path": "/l/1/b", "value": 2}])"),
      "operation 0 (add /l/1/b): index 1 is out of range for an array of 1 element");
  EXPECT_EQ(
      PatchFailure(R"({"l": [{"a": 1}]})", R"([{"op": "add", "path": "/l/-/b", "value": 2}])"),
      "operation 0 (add /l/-/b): \"-\" does not name an existing array element");
}

TEST(ApplyJsonPatchTest, AddAtRootReplacesTheDocument) {
  EXPECT_EQ(Patched(R"({"a": 1})", R"([{"op": "add", "path": "", "value": {"b": 2}}])"),
            R"({"b":2})");
}

// ---- replace

TEST(ApplyJsonPatchTest, ReplaceChangesExistingValues) {
  EXPECT_EQ(Patched(R"({"a": 1, "b": 2})", R"([{"op": "replace", "path": "/a", "value": "x"}])"),
            R"({"a":"x","b":2})");
  EXPECT_EQ(Patched(R"({"l": [1, 2]})", R"([{"op": "replace", "path": "/l/1", "value": 5}])"),
            R"({"l":[1,5]})");
  EXPECT_EQ(
      Patched(R"({"a": {"b": 1}})", R"([{"op": "replace", "path": "/a/b", "value": {"c": []}}])"),
      R"({"a":{"b":{"c":[]}}})");
  EXPECT_EQ(Patched(R"([1])", R"([{"op": "replace", "path": "", "value": 7}])"), "7");
}

TEST(ApplyJsonPatchTest, ReplaceOfMissingTargetFails) {
  EXPECT_EQ(PatchFailure(R"({"a": {}})", R"([{"op": "replace", "path": "/a/b", "value": 1}])"),
            "operation 0 (replace /a/b): the member \"b\" does not exist");
  EXPECT_EQ(PatchFailure(R"({"l": [1, 2]})", R"([{"op": "replace", "path": "/l/2", "value": 1}])"),
            "operation 0 (replace /l/2): index 2 is out of range for an array of 2 elements");
  EXPECT_EQ(PatchFailure(R"({"l": []})", R"([{"op": "replace", "path": "/l/0", "value": 1}])"),
            "operation 0 (replace /l/0): index 0 is out of range for an array of 0 elements");
  EXPECT_EQ(PatchFailure(R"({"l": [1]})", R"([{"op": "replace", "path": "/l/-", "value": 1}])"),
            "operation 0 (replace /l/-): \"-\" does not name an existing array element");
}

// ---- remove

TEST(ApplyJsonPatchTest, RemoveDeletesMembersAndElements) {
  EXPECT_EQ(Patched(R"({"a": 1, "b": 2})", R"([{"op": "remove", "path": "/a"}])"), R"({"b":2})");
  EXPECT_EQ(Patched(R"({"l": [1, 2, 3]})", R"([{"op": "remove", "path": "/l/1"}])"),
            R"({"l":[1,3]})");
  EXPECT_EQ(Patched(R"({"a": {"b": {"c": 1}}})", R"([{"op": "remove", "path": "/a/b/c"}])"),
            R"({"a":{"b":{}}})");
}

TEST(ApplyJsonPatchTest, RemoveOfMissingTargetFails) {
  EXPECT_EQ(PatchFailure(R"({"a": 1})", R"([{"op": "remove", "path": "/b"}])"),
            "operation 0 (remove /b): the member \"b\" does not exist");
  EXPECT_EQ(PatchFailure(R"({"l": [1]})", R"([{"op": "remove", "path": "/l/1"}])"),
            "operation 0 (remove /l/1): index 1 is out of range for an array of 1 element");
  EXPECT_EQ(PatchFailure(R"({"l": [1]})", R"([{"op": "remove", "path": "/l/-"}])"),
            "operation 0 (remove /l/-): \"-\" does not name an existing array element");
  EXPECT_EQ(PatchFailure(R"({"a": 1})", R"([{"op": "remove", "path": ""}])"),
            "operation 0 (remove ): the whole document cannot be removed");
}

// ---- sequencing and atomicity

TEST(ApplyJsonPatchTest, OperationsSeeEarlierOperations) {
  EXPECT_EQ(Patched(R"({})", R"([
      {"op": "add", "path": "/o", "value": {}},
      {"op": "add", "path": "/o/x", "value": 1},
      {"op": "replace", "path": "/o/x", "value": 2},
      {"op": "add", "path": "/y", "value": 3},
      {"op": "remove", "path": "/y"}])"),
            R"({"o":{"x":2}})");
}

TEST(ApplyJsonPatchTest, FailedPatchLeavesTargetUnchanged) {
  const boost::json::value original = Json(R"({"a": 1, "l": [1, 2], "o": {"p": true}})");
  Result<JsonPatch> patch = ParseJsonPatch(Json(R"([
      {"op": "replace", "path": "/a", "value": 100},
      {"op": "remove", "path": "/l/0"},
      {"op": "add", "path": "/o/q", "value": "new"},
      {"op": "replace", "path": "/a/b", "value": 1}])"));
  ASSERT_TRUE(patch.ok());
  boost::json::value target = original;
  Status status = ApplyJsonPatch(*patch, target);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), ErrorCode::kJsonPatchInvalid);
  EXPECT_EQ(status.message(),
            "operation 3 (replace /a/b): the value at \"/a\" is a number, not an object or array");
  EXPECT_EQ(target, original);
}

TEST(ApplyJsonPatchTest, SecondOperationFailingUndoesTheFirst) {
  boost::json::value target = Json(R"({"a": 1})");
  Result<JsonPatch> patch = ParseJsonPatch(Json(R"([
      {"op": "add", "path": "/b", "value": 2},
      {"op": "remove", "path": "/missing"}])"));
  ASSERT_TRUE(patch.ok());
  Status status = ApplyJsonPatch(*patch, target);
  EXPECT_EQ(status.message(),
            "operation 1 (remove /missing): the member \"missing\" does not exist");
  EXPECT_EQ(WriteJson(target), R"({"a":1})");
}

TEST(ApplyJsonPatchTest, PatchCanBeAppliedTwice) {
  // The parsed patch is not consumed by applying it.
  Result<JsonPatch> patch = ParseJsonPatch(Json(R"([{"op": "add", "path": "/l/-", "value": 1}])"));
  ASSERT_TRUE(patch.ok());
  boost::json::value target = Json(R"({"l": []})");
  ASSERT_TRUE(ApplyJsonPatch(*patch, target).ok());
  ASSERT_TRUE(ApplyJsonPatch(*patch, target).ok());
  EXPECT_EQ(WriteJson(target), R"({"l":[1,1]})");
}

TEST(ApplyJsonPatchTest, EmptyPatchChangesNothing) {
  boost::json::value target = Json(R"({"a": 1})");
  ASSERT_TRUE(ApplyJsonPatch({}, target).ok());
  EXPECT_EQ(WriteJson(target), R"({"a":1})");
}

}  // namespace
}  // namespace dtwin
