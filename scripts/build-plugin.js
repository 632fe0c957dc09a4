#!/usr/bin/env node
// Builds dist/plugin/, the native provider as a Pulumi plugin folder that the official CLI installs
// with `pulumi plugin install resource cuc <version> --file node_modules/pulumi-cuc/dist/plugin`:
// `pulumi-resource-cuc` (what the engine executes) next to one self-contained script bundled by
// esbuild, so the installed plugin needs no node_modules and outlives the project it came from.
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "dist", "plugin");
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
esbuild.buildSync({
    entryPoints: [path.join(root, "dist", "provider", "hosts", "native", "main.js")],
    bundle: true,
    platform: "node",
    target: "node20",
    outfile: path.join(out, "pulumi-resource-cuc.js"),
    logLevel: "warning",
});
// The engine runs the plugin by path; the script finds its bundle beside itself (symlinks resolved).
fs.writeFileSync(path.join(out, "pulumi-resource-cuc"), '#!/bin/sh\nexec node "$(dirname "$(readlink -f "$0")")/pulumi-resource-cuc.js" "$@"\n', { mode: 0o755 });
fs.writeFileSync(path.join(out, "pulumi-resource-cuc.cmd"), '@node "%~dp0pulumi-resource-cuc.js" %*\r\n');
