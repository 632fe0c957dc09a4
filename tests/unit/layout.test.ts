/**
 * The layers and their import rules, as the README's layout table declares them: every import in
 * provider/, sdk/ and simulator/ must go to the importer's own layer or one its row names.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const CHECKED = ["provider", "sdk", "simulator"];
/** What a package-name import of ourselves stands for. */
const SELF: Record<string, string> = { "pulumi-cuc": "sdk/index.ts", "pulumi-cuc/native": "sdk/native/index.ts", "pulumi-cuc/provider": "provider/index.ts", "pulumi-cuc/simulator": "simulator/index.ts" };

interface Layer { name: string; where: string[]; mayImport: string[] }

/** The rows between the README's `layers:start` and `layers:end` markers. */
export function readLayers(readme: string): Layer[] {
    const table = readme.split("<!-- layers:start -->")[1]?.split("<!-- layers:end -->")[0];
    if (!table) throw new Error("README.md has no <!-- layers:start --> ... <!-- layers:end --> table");
    return table.trim().split("\n").slice(2).map((row) => {
        const [name, where, , may] = row.split("|").slice(1, -1).map((c) => c.trim());
        return {
            name,
            where: [...where.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
            mayImport: may === "—" ? [] : may.split(",").map((s) => s.trim()),
        };
    });
}

/** The layer of a repository path: the row whose `where` is its longest prefix. */
function layerOf(layers: Layer[], file: string): Layer | undefined {
    let best: { layer: Layer; len: number } | undefined;
    for (const layer of layers) {
        for (const w of layer.where) {
            if ((w.endsWith("/") ? file.startsWith(w) : file === w) && (!best || w.length > best.len)) best = { layer, len: w.length };
        }
    }
    return best?.layer;
}

/**
 * Module specifiers of `import ... from`, `export ... from`, `import("…")` and `require("…")`, in
 * code: text in '…' and `…` strings (generated programs, messages) and comments is not an import.
 */
function specifiers(source: string): string[] {
    const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/gm, "");
    return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)"([^"]+)"/gm)].map((m) => m[1]).filter((spec) => !spec.endsWith("/package.json"));
}

/** Resolves a specifier to a repository path, or undefined for a third-party or built-in module. */
function target(file: string, spec: string, exists: (p: string) => boolean): string | undefined {
    if (SELF[spec]) return SELF[spec];
    if (!spec.startsWith(".")) return undefined;
    const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
    for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) if (exists(candidate)) return candidate;
    return base;
}

/** Every import that breaks the table, and every file that no row covers. */
export function violations(layers: Layer[], files: Record<string, string>): string[] {
    const names = new Set(layers.map((l) => l.name));
    const out: string[] = [];
    for (const l of layers) for (const m of l.mayImport) if (!names.has(m)) out.push(`layer '${l.name}' names an unknown layer '${m}'`);
    const exists = (p: string) => p in files;
    for (const [file, source] of Object.entries(files)) {
        const from = layerOf(layers, file);
        if (!from) {
            out.push(`${file} is in no layer: give its folder a row in README.md's layout table`);
            continue;
        }
        for (const spec of specifiers(source)) {
            const to = target(file, spec, exists);
            if (!to) continue;
            const into = layerOf(layers, to);
            if (!into) out.push(`${file} imports ${spec}, which is in no layer`);
            else if (into !== from && !from.mayImport.includes(into.name)) {
                out.push(`${file} (${from.name}) imports ${spec} (${into.name}); ${from.name} may import ${from.mayImport.join(", ") || "nothing"}`);
            }
        }
    }
    return out;
}

function sources(): Record<string, string> {
    const files: Record<string, string> = {};
    const walk = (dir: string): void => {
        for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
            const rel = `${dir}/${e.name}`;
            if (e.isDirectory()) walk(rel);
            else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) files[rel] = fs.readFileSync(path.join(ROOT, rel), "utf8");
        }
    };
    for (const dir of CHECKED) walk(dir);
    return files;
}

describe("layout", () => {
    const layers = readLayers(fs.readFileSync(path.join(ROOT, "README.md"), "utf8"));

    it("every import in provider/, sdk/ and simulator/ follows the README's layer table", () => {
        const files = sources();
        expect(Object.keys(files).length).to.be.greaterThan(40);
        expect(violations(layers, files)).to.deep.equal([]);
    });

    it("names what breaks the table: an import across layers, a file in no layer, a package-name import", () => {
        const planted = {
            "provider/specs/a.ts": 'import { x } from "./b";\n',
            "provider/specs/b.ts": "export const x = 1;\n",
            "provider/client/c.ts": 'import { x } from "../specs/b";\nimport type { Provider } from "../engine/provider";\n',
            "provider/engine/provider.ts": "export type Provider = {};\n",
            "provider/extra/d.ts": "export {};\n",
            "provider/resources/r.ts": 'const p = require("pulumi-cuc/provider"); // from "../engine/provider"\nconst program = \'import * as cuc from "pulumi-cuc";\';\n',
            "provider/index.ts": "export {};\n",
        };
        expect(violations(layers, planted)).to.deep.equal([
            "provider/client/c.ts (client) imports ../engine/provider (engine); client may import specs",
            "provider/extra/d.ts is in no layer: give its folder a row in README.md's layout table",
            "provider/resources/r.ts (resources) imports pulumi-cuc/provider (provider API); resources may import specs, client",
        ]);
    });
});
