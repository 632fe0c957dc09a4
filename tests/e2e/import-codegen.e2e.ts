/**
 * The code `pulumi import` writes for our native resources, written by Pulumi's own generator, and
 * what it does when run. Our Node language host (v3.68.0) has no GenerateProgram, so the CLI
 * imports with --generate-code=false and scripts/codegen does the rest exactly as the CLI would:
 * Pulumi's importer (resource states to PCL) and its Node.js program generator, from the schema
 * the installed plugin serves and the stack's export. The code is then run as written: it must
 * plan nothing dangerous (no dynamic twin, no delete) and send no write to the server.
 */
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { CupiClient, resolveSettings } from "../../provider/client";
import { AxlServer, ExternalService, PhoneSystem } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { ROOT } from "../helpers";
import { UserWorkspace, VERSION, type CliResult, type UserProject } from "./user-project";

const PASSWORDS = { admin: "Codegen-Admin-Pass-1", axl: "Codegen-Axl-Secret-2", service: "Codegen-Svc-Secret-3", fromConfig: "Codegen-Config-Secret-4" };
/** The write-only secrets of the imported kinds and their resources: CUPI never returns them, so no import can fill them in. */
const WRITE_ONLY = { servicePassword: "ExternalService", ccmAxlPassword: "AxlServer" };
const DANGEROUS = new Set(["delete", "replace", "create-replacement", "delete-replaced", "discard", "discard-replaced"]);

interface PreviewStep {
    op: string;
    urn: string;
}
interface PreviewJson {
    steps?: PreviewStep[];
    changeSummary?: Record<string, number>;
    diagnostics?: { message?: string; severity?: string; urn?: string }[];
}

/** The type of a URN (`urn:pulumi:stack::project::parent$type::name`). */
const typeOf = (urn: string) => urn.split("::")[2].split("$").pop()!;

/** `pulumi preview --json`, parsed even when it fails (the CLI still prints its steps and diagnostics). */
async function preview(p: UserProject): Promise<{ r: CliResult; json: PreviewJson }> {
    const r = await p.pulumi("preview", "--json");
    let json: PreviewJson;
    try {
        json = JSON.parse(r.stdout) as PreviewJson;
    } catch {
        throw new Error(`pulumi preview --json printed no JSON (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    return { r, json };
}

/** Steps that would make a dynamic-provider twin or delete/replace one of our objects. */
function dangerousSteps(steps: PreviewStep[]): string[] {
    return steps
        .filter((s) => (s.op === "create" && typeOf(s.urn).startsWith("pulumi-nodejs:dynamic")) || (DANGEROUS.has(s.op) && typeOf(s.urn).startsWith("cuc:index:")))
        .map((s) => `${s.op} ${s.urn}`);
}

describe("pulumi import of native resources: the code Pulumi's generator writes, run as written", function () {
    this.timeout(600_000);
    let ws: UserWorkspace;
    let s: Simulator;
    let client: CupiClient;
    let codegen: string;
    let p: UserProject;
    let schemaFile: string;
    let exportFile: string;
    let code = "";
    const NAMES = ["cluster", "cucm-pub", "o365"];

    before(async function () {
        this.timeout(20 * 60_000);
        // Built once (about 30 s after the CLI build, which leaves most packages in Go's build cache; minutes without), then cached.
        codegen = execFileSync(path.join(ROOT, "scripts", "pulumi-codegen"), { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
        ws = new UserWorkspace();
        await ws.init();
        s = await startSimulator({ password: PASSWORDS.admin, seed: 57 });
        client = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORDS.admin, caCert: s.ca }, {}));
    });
    after(async () => {
        client?.close();
        if (ws) {
            // Secrets never in plaintext: not in the CLI's output, the state or the generated code.
            const extra = { "the generated code": code, ...(exportFile && fs.existsSync(exportFile) ? { [exportFile]: fs.readFileSync(exportFile, "utf8") } : {}) };
            expect(ws.secretLeaks(Object.values(PASSWORDS), extra)).to.deep.equal([]);
        }
        await s?.close();
        ws?.dispose();
    });

    it("imports a phone system, its AXL server and an Office 365 service with `pulumi import --file`: GETs only", async () => {
        p = ws.project("imported", "export {};\n");
        await p.installPlugin();
        await p.stack({ url: s.url, user: s.user, password: PASSWORDS.admin, certPath: s.certPath });
        const ps = await client.create(PhoneSystem, { DisplayName: "Codegen Cluster", MwiAlwaysUpdate: true });
        const axl = await client.create(AxlServer, { HostOrIPAddress: "cucm-pub.example.com", Port: 8443, Precedence: 0, CcmAXLUser: "axl-unity", CcmAXLPassword: PASSWORDS.axl }, ps);
        const svc = await client.create(ExternalService, { DisplayName: "Codegen Office 365", ServerType: 5, Server: "outlook.office365.com", ServiceAlias: "svc-unity@example.onmicrosoft.com", ServicePassword: PASSWORDS.service });
        p.write("import.json", JSON.stringify({
            resources: [
                { type: "cuc:index:PhoneSystem", name: NAMES[0], id: ps },
                { type: "cuc:index:AxlServer", name: NAMES[1], id: `${ps}/${axl}` },
                { type: "cuc:index:ExternalService", name: NAMES[2], id: svc },
            ],
        }, null, 2));
        s.resetStats();
        const out = await p.ok("import", "--file", "import.json", "--yes", "--generate-code=false");
        expect(out).to.contain("3 imported");
        expect(Object.keys(s.stats().byMethod), "import reads only").to.deep.equal(["GET"]);
    });

    it("Pulumi's generator, given the plugin's schema and the stack's export, writes code importing pulumi-cuc/native", async () => {
        // The schema `pulumi import` loads: the one the installed plugin serves.
        const schema = await p.pulumi("package", "get-schema", `cuc@${VERSION}`);
        expect(schema.code, schema.stderr).to.equal(0);
        schemaFile = path.join(p.dir, "plugin-schema.json");
        fs.writeFileSync(schemaFile, schema.stdout);
        const exported = await p.pulumi("stack", "export");
        expect(exported.code, exported.stderr).to.equal(0);
        exportFile = path.join(p.dir, "export.json");
        fs.writeFileSync(exportFile, exported.stdout);
        // As the CLI, the tool decrypts the export's secrets with the stack's passphrase (in ws.env).
        const r = await ws.run(p.dir, codegen, ["-schema", schemaFile, "-state", exportFile, ...NAMES]);
        expect(r.code, r.stderr).to.equal(0);
        code = r.stdout;
        console.log(`      --- index.ts as \`pulumi import\` writes it ---\n${code.replace(/^/gm, "      | ")}`);
        expect(code).to.match(/^import \* as cuc from "pulumi-cuc\/native";$/m);
        expect(code, "the dynamic classes of the package root").not.to.match(/from "pulumi-cuc"/);
        for (const kind of ["PhoneSystem", "AxlServer", "ExternalService"]) expect(code).to.contain(`new cuc.${kind}(`);
        // The schema requires them of no program (only a create needs them): no `servicePassword: ""` to fix.
        for (const f of Object.keys(WRITE_ONLY)) expect(code, `the generated code sets ${f}`).not.to.contain(`${f}:`);
    });

    it("the repository's schema.json makes the same code as the plugin's schema", async () => {
        expect(code, "the previous test wrote no code").not.to.equal("");
        const r = await ws.run(p.dir, codegen, ["-schema", path.join(ROOT, "schema.json"), "-state", exportFile, ...NAMES]);
        expect(r.code, r.stderr).to.equal(0);
        expect(r.stdout, "schema.json is not the schema the plugin serves: run `npm run gen`").to.equal(code);
    });

    it("the code as written, without the passwords it cannot know, compiles and previews no change: no dynamic create, no delete, no writes", async () => {
        expect(code, "the generator wrote no code").not.to.equal("");
        p.write("index.ts", code);
        // Pulumi's template compiles it as the Node host will (ts-node type-checks): every name it uses must exist.
        const tsc = await p.bin("tsc", ["--noEmit", "--pretty", "false", "-p", "."]);
        expect(tsc.code, `the generated code does not compile against pulumi-cuc/native:\n${tsc.stdout}${tsc.stderr}`).to.equal(0);
        s.resetStats();
        const { r, json } = await preview(p);
        const steps = json.steps ?? [];
        expect(dangerousSteps(steps), "dynamic twins, deletes or replacements").to.deep.equal([]);
        const messages = (json.diagnostics ?? []).map((d) => d.message ?? "").join("\n") + r.stderr;
        const errors = (json.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => (d.message ?? "").trim());
        console.log(`      preview as written: exit ${r.code}; errors:\n${errors.join("\n").replace(/^/gm, "      | ")}`);
        expect(r.code, messages).to.equal(0);
        expect(Object.keys(json.changeSummary ?? {}).filter((k) => k !== "same"), "changes").to.deep.equal([]);
        const writes = Object.keys(s.stats().byMethod).filter((m) => m !== "GET");
        expect(writes, "requests that write").to.deep.equal([]);
    });

    it("with each password added from config.requireSecret and set with `config set --secret`, preview plans one update each: no create, delete or replace", async () => {
        expect(code, "the generator wrote no code").not.to.equal("");
        let fixed = code;
        for (const [f, kind] of Object.entries(WRITE_ONLY)) {
            const before = fixed;
            fixed = fixed.replace(new RegExp(`(new cuc\\.${kind}\\("[^"]*", \\{\\n)`), `$1    ${f}: config.requireSecret("${f}"),\n`);
            expect(fixed, `a new cuc.${kind} in the code`).not.to.equal(before);
            await p.ok("config", "set", "--secret", f, PASSWORDS.fromConfig);
        }
        if (!/^import \* as pulumi from "@pulumi\/pulumi";$/m.test(fixed)) fixed = `import * as pulumi from "@pulumi/pulumi";\n${fixed}`;
        fixed = fixed.replace(/^(import [^\n]*\n)+/, (imports) => `${imports}\nconst config = new pulumi.Config();\n`);
        p.write("index.ts", fixed);
        const tsc = await p.bin("tsc", ["--noEmit", "--pretty", "false", "-p", "."]);
        expect(tsc.code, `the fixed code does not compile:\n${tsc.stdout}${tsc.stderr}`).to.equal(0);
        s.resetStats();
        const { r, json } = await preview(p);
        expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
        const steps = json.steps ?? [];
        expect(dangerousSteps(steps)).to.deep.equal([]);
        const changes = Object.fromEntries(Object.entries(json.changeSummary ?? {}).filter(([k]) => k !== "same"));
        console.log(`      preview after the fix: ${JSON.stringify(changes)}`);
        // Setting a password the import could not read is an in-place update, nothing else.
        expect(changes).to.deep.equal({ update: Object.keys(WRITE_ONLY).length });
        expect(Object.keys(s.stats().byMethod).filter((m) => m !== "GET"), "requests that write").to.deep.equal([]);
    });
});
