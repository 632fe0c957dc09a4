#!/usr/bin/env node
// Builds dist/plugin/, the native provider as a Pulumi plugin folder that the official CLI installs
// with `pulumi plugin install resource cuc <version> --file node_modules/pulumi-cuc/dist/plugin`:
// `pulumi-resource-cuc` (what the engine executes) next to one self-contained script bundled by
// esbuild, so the installed plugin needs no node_modules and outlives the project it came from.
// Nothing is done when the bundle is newer than every file that went into it (listed by esbuild
// at the last build in dist/.plugin-inputs.json, outside the shipped folder) and than this script.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const out = path.join(root, "dist", "plugin");
const bundle = path.join(out, "pulumi-resource-cuc.js");
const inputsFile = path.join(root, "dist", ".plugin-inputs.json");
const launchers = {
    // The engine runs the plugin by path; the script finds its bundle beside itself (symlinks resolved).
    "pulumi-resource-cuc": { text: '#!/bin/sh\nexec node "$(dirname "$(readlink -f "$0")")/pulumi-resource-cuc.js" "$@"\n', mode: 0o755 },
    "pulumi-resource-cuc.cmd": { text: '@node "%~dp0pulumi-resource-cuc.js" %*\r\n' },
};

const mtime = (file) => {
    try {
        return fs.statSync(file).mtimeMs;
    } catch {
        return undefined;
    }
};

function upToDate() {
    const built = mtime(bundle);
    if (built === undefined || Object.keys(launchers).some((f) => mtime(path.join(out, f)) === undefined)) return false;
    let inputs;
    try {
        inputs = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
    } catch {
        return false;
    }
    return [__filename, ...inputs.map((f) => path.resolve(root, f))].every((f) => {
        const t = mtime(f);
        return t !== undefined && t <= built;
    });
}

if (!upToDate()) {
    // Required here: an up-to-date build needs no esbuild.
    const esbuild = require("esbuild");
    fs.rmSync(out, { recursive: true, force: true });
    fs.mkdirSync(out, { recursive: true });
    const { metafile } = esbuild.buildSync({
        entryPoints: [path.join(root, "dist", "provider", "hosts", "native", "main.js")],
        absWorkingDir: root,
        bundle: true,
        platform: "node",
        target: "node20",
        outfile: bundle,
        metafile: true,
        logLevel: "warning",
    });
    for (const [name, { text, mode }] of Object.entries(launchers)) fs.writeFileSync(path.join(out, name), text, mode ? { mode } : undefined);
    fs.writeFileSync(inputsFile, JSON.stringify(Object.keys(metafile.inputs)));
}
