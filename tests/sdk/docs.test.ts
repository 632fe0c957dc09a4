/**
 * The reference in docs/ and the README's generated sections stay in step with the tables: every
 * committed page is what `npm run gen` writes (none missing, none stale, none out of date), every
 * resource and function has its page, the pages' examples pass check and compile in both modes,
 * and every relative link in the README and docs/ resolves, headings included.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import * as ts from "typescript";
import { DATA_SOURCES } from "../../provider/engine/datasources";
import { makeCheck } from "../../provider/engine/check";
import { RESOURCES } from "../../provider/resources";
import {
    docsDrift, DOCS_DIR, functionExample, functionPage, INDEX_PAGE, readDocs, renderDocs, renderReadme, renderTs, resourceExample, resourcePage, slug,
    type Example, type Expr,
} from "../../scripts/gen-docs";
import { ROOT } from "../helpers";

/** The text of a Markdown file without its code (a `[x](y)` or `# x` in a code block is code). */
const prose = (text: string) => text.replace(/^\s*```[\s\S]*?^\s*```/gm, "");

/** The anchors of a Markdown file's headings, as GitHub makes them (a repeated one gets -1, -2, ...). */
function anchors(text: string): Set<string> {
    const seen = new Map<string, number>();
    const out = new Set<string>();
    for (const [, heading] of prose(text).matchAll(/^#{1,6}\s+(.+?)\s*$/gm)) {
        const base = slug(heading);
        const n = seen.get(base) ?? 0;
        seen.set(base, n + 1);
        out.add(n ? `${base}-${n}` : base);
    }
    return out;
}

/** Every relative link of the files (by path from the repository root) that points at no file, or at no heading of it. */
function brokenLinks(files: ReadonlyMap<string, string>): string[] {
    const broken: string[] = [];
    const textOf = (file: string) => files.get(file) ?? (fs.existsSync(path.join(ROOT, file)) ? fs.readFileSync(path.join(ROOT, file), "utf8") : undefined);
    for (const [file, text] of files) {
        for (const [, target] of prose(text).replace(/`[^`\n]*`/g, "").matchAll(/\]\(([^)\s]+)\)/g)) {
            if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
            const [where, anchor] = target.split("#");
            const to = where ? path.posix.normalize(path.posix.join(path.posix.dirname(file), where)) : file;
            if (!files.has(to) && !fs.existsSync(path.join(ROOT, to))) broken.push(`${file}: ${target} (no file ${to})`);
            else if (anchor !== undefined && to.endsWith(".md") && !anchors(textOf(to) ?? "").has(anchor)) broken.push(`${file}: ${target} (no heading #${anchor} in ${to})`);
        }
    }
    return broken;
}

const GUID = "0b0a8f7e-6f3c-4c55-9e62-8f57b8e4d7a1";
/** An example value as the provider receives it: a reference is some ObjectId, a config secret its example value. */
const valueOf = (e: Expr): unknown =>
    "literal" in e ? e.literal
    : "secret" in e ? e.value
    : "of" in e ? GUID
    : "list" in e ? e.list.map(valueOf)
    : Object.fromEntries(e.object.map(([k, v]) => [k, valueOf(v)]));

const EXAMPLES: [string, Example][] = [
    ...Object.values(RESOURCES).map((def) => [resourcePage(def.kind), resourceExample(def)] as [string, Example]),
    ...DATA_SOURCES.map((d) => [functionPage(d), functionExample(d)] as [string, Example]),
];

describe("the reference in docs/ (npm run gen)", () => {
    it("every file under docs/ is what gen writes: none missing, none stale, none out of date", () => {
        expect(fs.existsSync(DOCS_DIR), "docs/ is committed").to.equal(true);
        expect(docsDrift(readDocs()), "run `npm run gen`").to.deep.equal([]);
    });

    it("a page gen no longer writes, one it writes that is missing, and one edited by hand are each named", () => {
        const rendered = renderDocs();
        const stale = new Map([...rendered, ["docs/resources/Gone.md", "# Gone\n"], ["docs/functions/getGone.md", "# getGone\n"]]);
        expect(docsDrift(stale, rendered)).to.deep.equal([
            "docs/resources/Gone.md is stale: gen writes no such page",
            "docs/functions/getGone.md is stale: gen writes no such page",
        ]);
        const edited = new Map(rendered);
        edited.delete(resourcePage("User"));
        edited.set(resourcePage("Partition"), "# Partition\n\nedited by hand\n");
        expect(docsDrift(edited, rendered)).to.deep.equal([`${resourcePage("User")} is missing`, `${resourcePage("Partition")} is out of date`]);
    });

    it("every resource and every function has its page, linked from the index and the README", () => {
        const docs = readDocs();
        const index = docs.get(INDEX_PAGE) ?? "";
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const def of Object.values(RESOURCES)) {
            const page = docs.get(resourcePage(def.kind));
            expect(page, def.kind).to.be.a("string");
            expect(page).to.contain(`# ${def.kind}\n\n${def.summary}\n`).and.to.contain(`\`pulumi-nodejs:dynamic/cuc:${def.kind}\``).and.to.contain(`\`cuc:index:${def.kind}\``);
            for (const f of def.inputs) expect(page, `${def.kind}.${f.name}`).to.contain(`| \`${f.name}\` |`);
            expect(index).to.contain(`[${def.kind}](resources/${def.kind}.md)`);
            expect(readme).to.contain(`[${def.kind}](docs/resources/${def.kind}.md)`);
        }
        for (const d of DATA_SOURCES) {
            const page = docs.get(functionPage(d)) ?? "";
            for (const name of [d.list.name, ...(d.one ? [d.one.name] : [])]) {
                expect(anchors(page), `${name} has its section`).to.include(name.toLowerCase());
                expect(index).to.contain(`[\`${name}\`](functions/${d.list.name}.md#${name.toLowerCase()})`);
                expect(readme).to.contain(`[\`${name}\`](docs/functions/${d.list.name}.md#${name.toLowerCase()})`);
            }
        }
    });

    it("the README's generated sections are up to date", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        expect(readme).to.equal(renderReadme(readme), "run `npm run gen`");
    });

    it("every relative link in the README and docs/ points at a file and a heading that exist", () => {
        const files = new Map([["README.md", fs.readFileSync(path.join(ROOT, "README.md"), "utf8")], ...readDocs()]);
        expect(brokenLinks(files)).to.deep.equal([]);
        // The checker itself: a link to a missing page and one to a missing heading are found.
        expect(brokenLinks(new Map([["docs/x.md", "# X\n\n[a](resources/Nope.md) [b](#nowhere) [c](#x) [d](https://example.com) `[e](f.md)`\n"]]))).to.deep.equal([
            "docs/x.md: resources/Nope.md (no file docs/resources/Nope.md)",
            "docs/x.md: #nowhere (no heading #nowhere in docs/x.md)",
        ]);
    });

    it("every example's resources pass check with the tables' example values", () => {
        for (const [page, example] of EXAMPLES) {
            for (const s of example.statements) {
                if (!s.resource) continue;
                const inputs = { ...Object.fromEntries(s.props.map(([k, v]) => [k, valueOf(v)])), __cucName: s.name };
                expect(makeCheck(s.resource)({}, inputs).failures, `${page}: ${s.resource.kind}`).to.deep.equal([]);
            }
        }
    });

    it("every example compiles against both packages (pulumi-cuc and pulumi-cuc/native)", function () {
        this.timeout(120_000);
        // Virtual files in the repository, so that @pulumi/pulumi resolves from its node_modules; the SDKs as built.
        const sources = new Map(EXAMPLES.flatMap(([page, example]) => (["pulumi-cuc", "pulumi-cuc/native"] as const).map((module) =>
            [path.join(ROOT, ".docs-examples", `${path.basename(page, ".md")}.${module === "pulumi-cuc" ? "dynamic" : "native"}.ts`), renderTs(example, module)] as const)));
        const options: ts.CompilerOptions = {
            target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, strict: true, noEmit: true,
            skipLibCheck: true, types: [], baseUrl: ROOT,
            paths: { "pulumi-cuc": ["dist/sdk/index.d.ts"], "pulumi-cuc/native": ["dist/sdk/native/index.d.ts"] },
        };
        const host = ts.createCompilerHost(options);
        const { fileExists, readFile, getSourceFile } = host;
        host.fileExists = (f) => sources.has(path.resolve(f)) || fileExists(f);
        host.readFile = (f) => sources.get(path.resolve(f)) ?? readFile(f);
        host.getSourceFile = (f, v, ...rest) => {
            const text = sources.get(path.resolve(f));
            return text !== undefined ? ts.createSourceFile(f, text, v) : getSourceFile(f, v, ...rest);
        };
        const program = ts.createProgram([...sources.keys()], options, host);
        const errors = ts.getPreEmitDiagnostics(program).map((d) =>
            `${d.file ? path.basename(d.file.fileName) : ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
        expect(errors).to.deep.equal([]);
    });
});
