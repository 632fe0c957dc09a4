#!/usr/bin/env node
// Makes `require("pulumi-cuc/...")` resolve inside this repository (tests, examples), as it does
// in a user's project: the serialized dynamic provider loads the implementation by package name.
const fs = require("node:fs");
const path = require("node:path");
const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-cuc");
if (!fs.existsSync(path.join(root, "node_modules"))) process.exit(0); // installed as a dependency
try {
    if (fs.realpathSync(link) === root) process.exit(0);
    fs.rmSync(link, { recursive: true, force: true });
} catch {
    // no link yet
}
fs.symlinkSync(path.relative(path.dirname(link), root), link, "dir");
