// Runs one fuzz input through the query language as the server would, and says whether the
// code behaved. Shared by fuzz/query_fuzzer.cc and tests/query/fuzz_regression_test.cc, so a
// regression file replays exactly what the fuzzer ran. Thread-safe (the only shared state is
// read-only).
#pragma once

#include <string>
#include <string_view>

namespace dtwin::fuzz {

// What went wrong with how the query code handled input, or "" when it behaved. The input is
// parsed, then run by ExecuteQuery over a small fixed graph page by page (each continuation
// fed back, the first also truncated), and finally used as a continuation token, raw and
// base64url-encoded. Every call must return a value (a parse tree keeping the AST's invariants;
// pages of at most max_items JSON objects, within TOP) or an error of an expected code
// (SqlQueryError, BadRequest, TimeoutError) with a message; text the parser rejects, the
// engine rejects too. Crashes, undefined behaviour and hangs are for the sanitizers and
// libFuzzer to catch.
std::string CheckQueryInput(std::string_view input);

}  // namespace dtwin::fuzz
