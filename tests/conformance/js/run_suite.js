// ctest entry point of the JavaScript SDK suite: runs test/*.test.js with node's built-in test
// runner, or reports the suite skipped (exit 77) when `npm ci` has not installed the SDK yet.
"use strict";

const { spawnSync } = require("node:child_process");
const path = require("node:path");

try {
  require.resolve("@azure/digital-twins-core", { paths: [__dirname] });
} catch {
  console.log(`SKIPPED: @azure/digital-twins-core is not installed in ${__dirname}/node_modules; ` +
    "run scripts/bootstrap (it runs npm ci there)");
  process.exit(77);
}
const result = spawnSync(process.execPath, ["--test", path.join(__dirname, "test")],
  { stdio: "inherit", cwd: __dirname });
process.exit(result.status === null ? 1 : result.status);
