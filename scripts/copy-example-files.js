#!/usr/bin/env node
// Copies the files an example's program reads beside itself (examples/directory/users.csv, read
// with `path.join(__dirname, "users.csv")`) next to its compiled JS in dist/examples/<name>/, so
// that the compiled program runs as the example does (the end-to-end suite runs it inline).
// Project files (Pulumi.yaml, package.json, tsconfig.json) and TypeScript stay out: dist/ holds
// programs, not projects. A file is copied only when it is newer than its copy.
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const examples = path.join(root, "examples");
const PROJECT_FILES = /^(Pulumi(\..+)?\.ya?ml|package(-lock)?\.json|tsconfig(\..+)?\.json)$/;

const mtime = (file) => {
    try {
        return fs.statSync(file).mtimeMs;
    } catch {
        return undefined;
    }
};

if (fs.existsSync(examples)) {
    for (const example of fs.readdirSync(examples, { withFileTypes: true }).filter((e) => e.isDirectory())) {
        const src = path.join(examples, example.name);
        const out = path.join(root, "dist", "examples", example.name);
        for (const f of fs.readdirSync(src, { withFileTypes: true })) {
            if (!f.isFile() || f.name.endsWith(".ts") || PROJECT_FILES.test(f.name)) continue;
            const from = path.join(src, f.name);
            const to = path.join(out, f.name);
            const copied = mtime(to);
            if (copied !== undefined && copied >= mtime(from)) continue;
            fs.mkdirSync(out, { recursive: true });
            fs.copyFileSync(from, to);
        }
    }
}
