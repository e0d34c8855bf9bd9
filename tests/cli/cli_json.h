// The JSON a `dtwin` command printed, for tests of commands that must succeed. Stateless.
#pragma once

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "dtwin_cli_runner.h"

namespace dtwin::testing {

// result's stdout parsed; test failures when the command failed, wrote to stderr, or printed
// something that is not JSON.
inline boost::json::value SucceededJson(const CliResult& result) {
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err, "");
  boost::system::error_code ec;
  boost::json::value value = boost::json::parse(result.out, ec);
  EXPECT_FALSE(ec) << "stdout is not JSON: " << result.out;
  return value;
}

}  // namespace dtwin::testing
