#!/usr/bin/env node
// Stryker buildCommand, run once in the sandbox (cwd = sandbox; PATH has the project's node_modules/.bin).
// 1. tsc -p . --noCheck  -> dist/ from the instrumented sources. --noCheck (TS >= 5.6): the
//    instrumented files carry // @ts-nocheck (disableTypeChecks), which widens the inferred types
//    they export (e.g. withRetry's return type), so the TESTS no longer type-check against them
//    (TS2722 in tests/unit/client-parts.test.ts). Type errors of mutants are the checker's job.
// 2. node_modules/pulumi-cuc -> ..  INSIDE the sandbox. The sandbox has no node_modules of its own
//    (symlinkNodeModules: false), so every other package resolves through the parent directories
//    (.stryker-tmp/sandbox-x/ -> project/node_modules), while `require("pulumi-cuc/provider")`
//    (the dynamic-provider shim, resolved from the host's cwd = sandbox) loads the MUTATED tree.
//    With Stryker's default node_modules symlink, `pulumi-cuc -> ..` is resolved relative to the
//    real project node_modules and the host would run the original, un-mutated code.
// 3. dist/plugin (esbuild), as `npm run build` does; no fast test needs it, it is cheap.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const run = (cmd, args) => execFileSync(cmd, args, { stdio: "inherit" });
run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", ".", "--noCheck"]);
fs.mkdirSync("node_modules", { recursive: true });
run(process.execPath, ["scripts/link-self.js"]);
const link = path.resolve("node_modules", "pulumi-cuc");
if (fs.realpathSync(link) !== fs.realpathSync(".")) throw new Error(`${link} does not point at the sandbox`);
run(process.execPath, ["scripts/build-plugin.js"]);
