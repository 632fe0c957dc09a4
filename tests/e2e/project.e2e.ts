/**
 * Project mode, as users run it: `npm pack`, a new directory outside the repository with Pulumi's
 * TypeScript template files, the tarball installed, and the CLI's own commands in that directory
 * (`plugin install`, `stack init`, `config set --secret`, `preview`, `up`, `preview --diff`,
 * `refresh`, `import`, `destroy`), in both modes. Nothing here is an inline Automation API program.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import * as readline from "node:readline";
import * as fs from "node:fs";
import * as path from "node:path";
import { CupiClient, resolveSettings } from "../../provider/client";
import { NODEJS_IMPORT } from "../../provider/hosts/native/schema";
import { ClassOfService, Contact, DistributionList, DistributionListMember, ExternalService, Partition, PhoneSystem, SearchSpace, User, UserPin, UserTemplate, type ObjectSpec } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { raw, until, walk } from "../helpers";
import { directoryProgram, freshCheckout, PLUGIN_INSTALL, readmeProgram as program, UserWorkspace, VERSION, type DirectoryChange, type UserProject } from "./user-project";

const PASSWORDS = {
    admin: "Project-Admin-Pass-1", axl: "Project-Axl-Secret-2", o365: "Project-O365-Secret-3", inServerUrl: "Project-Url-Secret-4",
    defaultPin: "8204613759", annPin: "6041928375", annWebPassword: "Ann-Web-Secret-5", existingPin: "7153026498",
};

describe("npm pack in a fresh clone", function () {
    this.timeout(600_000);

    it("builds first: after `npm ci` alone the tarball holds dist/ (plugin, both SDKs, provider, simulator), and installing it runs no script", () => {
        const dir = freshCheckout();
        try {
            expect(fs.existsSync(path.join(dir, "dist")), "a fresh clone has no dist/").to.equal(false);
            const r = spawnSync("npm", ["pack", "--dry-run", "--json"], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 });
            expect(r.status, r.stderr).to.equal(0);
            // npm prints the lifecycle scripts' output before the JSON.
            const packed = JSON.parse(r.stdout.slice(r.stdout.indexOf("[\n"))) as { files: { path: string }[] }[];
            const shipped = packed[0].files.map((f) => f.path);
            for (const f of ["dist/plugin/pulumi-resource-cuc", "dist/plugin/pulumi-resource-cuc.js", "dist/provider/index.js", "dist/provider/hosts/native/main.js", "dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/sdk/native/index.js", "dist/simulator/cli.js", "schema.json"]) {
                expect(shipped, f).to.include(f);
            }
            expect(shipped.filter((f) => f.startsWith("dist/tests") || f.includes("tsbuildinfo") || f.startsWith("dist/.")), "no tests or build bookkeeping").to.deep.equal([]);
            const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts: Record<string, string> };
            for (const script of ["preinstall", "install", "postinstall", "prepare"]) expect(manifest.scripts, script).not.to.have.property(script);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("a user's own project: packed tarball, Pulumi's template, the CLI in project mode", function () {
    this.timeout(600_000);
    let ws: UserWorkspace;
    let s: Simulator;
    let client: CupiClient;
    const sim = () => ({ url: s.url, user: s.user, password: PASSWORDS.admin, certPath: s.certPath });

    before(async function () {
        this.timeout(20 * 60_000);
        ws = new UserWorkspace();
        await ws.init();
        s = await startSimulator({ password: PASSWORDS.admin, seed: 91 });
        client = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORDS.admin, caCert: s.ca }, {}));
    });
    after(async () => {
        client?.close();
        // Secrets never in plaintext: not in any output the CLI printed, nor in any state file.
        expect(ws.secretLeaks(Object.values(PASSWORDS))).to.deep.equal([]);
        await s?.close();
        ws?.dispose();
    });

    it("installs without scripts or warnings of its own; every subpath type-checks under node, node16 and bundler resolution", async () => {
        const p = ws.project("types", [
            'import * as pulumi from "@pulumi/pulumi";',
            'import * as dynamic from "pulumi-cuc";',
            'import * as native from "pulumi-cuc/native";',
            'import { CupiClient } from "pulumi-cuc/provider";',
            'import { startSimulator } from "pulumi-cuc/simulator";',
            "const provider = new native.Provider(\"site-b\", { server: \"cuc-b.example.com\" });",
            "export const kinds = [dynamic.PhoneSystem, native.PhoneSystem, CupiClient, startSimulator, provider].length;",
            "export const p: pulumi.Output<string> = new native.PhoneSystem(\"x\", {}, { provider }).displayName;",
            "",
        ].join("\n"));
        expect(p.install.stderr + p.install.stdout, "npm install").not.to.match(/pulumi-cuc|prepare/);
        // What the tarball holds: the plugin, both SDKs, the provider, the simulator and the schema; no tests.
        const shipped = [...walk(path.join(p.dir, "node_modules", "pulumi-cuc"))].map((f) => path.relative(path.join(p.dir, "node_modules", "pulumi-cuc"), f));
        for (const f of ["dist/plugin/pulumi-resource-cuc", "dist/plugin/pulumi-resource-cuc.js", "dist/provider/hosts/native/main.js", "dist/sdk/native/index.js", "dist/sdk/index.js", "dist/provider/index.js", "dist/simulator/cli.js", "schema.json", "README.md"]) expect(shipped, f).to.include(f);
        expect(shipped.filter((f) => f.startsWith("dist/tests") || f.startsWith("tests/"))).to.deep.equal([]);
        // One copy of the SDK in the program: the package takes a caret range, not an exact pin.
        expect([...walk(path.join(p.dir, "node_modules"))].filter((f) => f.endsWith(`${path.sep}@pulumi${path.sep}pulumi${path.sep}package.json`))).to.have.length(1);
        const manifest = JSON.parse(p.read("node_modules/pulumi-cuc/package.json")) as { scripts?: Record<string, string> };
        for (const script of ["preinstall", "install", "postinstall", "prepare"]) expect(manifest.scripts ?? {}, script).not.to.have.property(script);
        // Pulumi's template (moduleResolution node), then node16 and bundler.
        for (const flags of [[], ["--module", "node16", "--moduleResolution", "node16"], ["--module", "preserve", "--moduleResolution", "bundler"]]) {
            const tsc = await p.bin("tsc", ["--noEmit", "-p", ".", ...flags]);
            expect(tsc.code, `tsc ${flags.join(" ")}: ${tsc.stdout}`).to.equal(0);
        }
    });

    it("the plugin installs the Pulumi way from the package: one command, listed by `pulumi plugin ls`", async () => {
        const p = ws.project("plugin", "export {};\n");
        const install = await p.pulumi(...PLUGIN_INSTALL);
        expect(install.code, install.stderr).to.equal(0);
        expect(install.stderr + install.stdout).to.contain(`[resource plugin cuc-${VERSION}] installing`);
        const ls = await p.ok("plugin", "ls");
        expect(ls).to.match(new RegExp(`^cuc\\s+resource\\s+${VERSION.replace(/\./g, "\\.")}\\s`, "m"));
        // The schema the plugin serves; code that `pulumi import` writes imports its nodejs package
        // name: the native classes (cuc:index:*), not the dynamic ones of the package root.
        const schema = await p.json<{ language: { nodejs: { packageName: string } } }>("package", "get-schema", `cuc@${VERSION}`);
        expect(schema.language.nodejs.packageName).to.equal(NODEJS_IMPORT);
        const probe = await ws.run(p.dir, process.execPath, ["-e", `const m = require(${JSON.stringify(schema.language.nodejs.packageName)}); console.log(m.PhoneSystem.name, m.Provider ? "provider" : "none", require.resolve(${JSON.stringify(schema.language.nodejs.packageName)}))`]);
        expect(probe.stdout).to.match(/^PhoneSystem provider .*node_modules\/pulumi-cuc\/dist\/sdk\/native\/index\.js/);
    });

    it("the README's simulator: `npx cuc-sim --state ... --pid-file ... &` stops by its PID file and starts again with its data and the same certificate", async () => {
        const p = ws.project("sim", "export {};\n");
        const start = async () => {
            const npx = spawn("npx", ["cuc-sim", "--port", "0", "--state", "./sim-state.json", "--pid-file", "./sim.pid"], { cwd: p.dir, env: ws.env(p.dir), stdio: ["ignore", "pipe", "pipe"] });
            const lines: string[] = [];
            readline.createInterface({ input: npx.stdout! }).on("line", (l) => lines.push(l));
            const exited = new Promise<void>((r) => npx.once("exit", () => r()));
            await until(() => lines.length >= 4 || npx.exitCode !== null, () => `npx cuc-sim printed ${lines.join(" | ")}`, { tries: 600, everyMs: 100 });
            const field = (name: string) => lines.find((l) => l.startsWith(`${name} `))!.slice(name.length + 1);
            const pid = Number(p.read("sim.pid").trim());
            expect(pid, "the simulator's PID, not npx's").not.to.equal(npx.pid);
            return { npx, exited, pid, sim: { url: field("listening"), user: field("user"), password: field("password"), ca: fs.readFileSync(path.join(p.dir, field("certificate")), "utf8") } as Simulator, cert: field("certificate") };
        };
        const first = await start();
        expect(first.cert).to.equal("./sim-state.cert.pem");
        try {
            const created = await raw(first.sim, "POST", "/vmrest/phonesystems", { body: "<PhoneSystem><DisplayName>Kept Across Restarts</DisplayName></PhoneSystem>" });
            expect(created.status).to.equal(201);
            process.kill(first.pid, "SIGTERM");
            await first.exited; // npx ends with it
            expect(fs.existsSync(path.join(p.dir, "sim.pid"))).to.equal(false);
            const second = await start();
            try {
                // The CA the client read before the restart still verifies the server.
                expect(second.sim.ca).to.equal(first.sim.ca);
                const got = await raw({ ...second.sim, ca: first.sim.ca }, "GET", created.body);
                expect(got.body).to.contain("<DisplayName>Kept Across Restarts</DisplayName>");
            } finally {
                process.kill(second.pid, "SIGTERM");
                await second.exited;
            }
        } finally {
            first.npx.kill("SIGKILL");
        }
    });

    for (const mode of ["dynamic", "native"] as const) {
        describe(`${mode} mode`, () => {
            let p: UserProject;
            const module = mode === "native" ? "pulumi-cuc/native" : "pulumi-cuc";
            const type = (kind: string) => (mode === "native" ? `cuc:index:${kind}` : `pulumi-nodejs:dynamic/cuc:${kind}`);

            it("stack init, config set --secret, preview, up, a preview with no changes", async () => {
                p = ws.project(`user-${mode}`, program(module, true));
                if (mode === "native") await p.installPlugin();
                await p.stack(sim(), { [`user-${mode}:axlPassword`]: PASSWORDS.axl, [`user-${mode}:o365Password`]: PASSWORDS.o365 });
                expect(await p.previewChanges()).to.deep.equal({ create: 5 });
                s.resetStats();
                const up = await p.ok("up", "--yes", "--skip-preview");
                expect(up).to.contain(`+  ${type("PhoneSystem")} cucm-cluster created`);
                expect(s.stats().byMethod.POST).to.equal(3);
                expect(await p.previewChanges()).to.deep.equal({});
                const outputs = await p.outputs();
                expect(outputs.portGroups).to.equal(2);
                expect(outputs.phoneSystem).to.match(/^cucm-cluster-[0-9a-f]{7}$/);
            });

            it("preview --diff of an in-place change names the field; up applies it; refresh finds drift", async () => {
                p.write("index.ts", program(module, false));
                const diff = await p.ok("preview", "--diff");
                expect(diff).to.contain(`~ ${type("PhoneSystem")}: (update)`);
                expect(diff).to.match(/~ mwiAlwaysUpdate\s*: true => false/);
                expect(diff).to.contain("1 to update");
                await p.ok("up", "--yes", "--skip-preview");
                const id = String((await p.outputs()).phoneSystemId);
                expect((await client.get(PhoneSystem, id)).MwiAlwaysUpdate).to.equal(false);
                // Someone changes it in Connection Administration; refresh reads it back.
                await client.update(PhoneSystem, id, { MwiAlwaysUpdate: true });
                await p.ok("refresh", "--yes", "--skip-preview");
                expect(await p.previewChanges()).to.deep.equal({ update: 1 });
                await p.ok("up", "--yes", "--skip-preview");
                expect((await client.get(PhoneSystem, id)).MwiAlwaysUpdate).to.equal(false);
            });

            if (mode === "native") {
                it("pulumi import of an existing object: GETs only, then managed like the rest", async () => {
                    const id = await client.create(ExternalService, { DisplayName: "Imported Exchange", ServerType: 4, Server: "mail.example.com", ServiceAlias: "corp\\svc", ServicePassword: "Svc-Existing-1", AuthenticationMode: 3, ExchServerType: 1, SecurityTransportType: 1 });
                    s.resetStats();
                    const out = await p.ok("import", "cuc:index:ExternalService", "exchange", id, "--yes", "--protect=false", "--generate-code=false");
                    expect(out).to.contain("1 imported");
                    expect(Object.keys(s.stats().byMethod)).to.deep.equal(["GET"]);
                    const state = await p.json<{ deployment: { resources: { type: string; id?: string; inputs?: Record<string, unknown> }[] } }>("stack", "export");
                    const imported = state.deployment.resources.find((r) => r.type === "cuc:index:ExternalService" && r.id === id)!;
                    expect(imported.inputs).to.include({ displayName: "Imported Exchange", serverType: 4, server: "mail.example.com" });
                    expect(imported.inputs).not.to.have.property("servicePassword");
                });
            } else {
                it("cuc-import writes a project that installs as written and adopts without a change", async () => {
                    await client.create(PhoneSystem, { DisplayName: "Adopted Cluster", MwiForceOff: true });
                    const out = path.join(ws.root, "adopted");
                    const r = await p.bin("cuc-import", ["--out", out, "--kinds", "phonesystems", "--filter", "Adopted"], { CUC_SERVER: s.url, CUC_USERNAME: s.user, CUC_PASSWORD: PASSWORDS.admin, CUC_CA_CERT: s.certPath! });
                    expect(r.code, r.stderr).to.equal(0);
                    expect(r.stdout).to.contain(`pulumi config set cuc:caCert ${s.certPath}`);
                    expect(r.stdout).to.contain(`pulumi plugin install resource cuc ${VERSION} --file node_modules/pulumi-cuc/dist/plugin`);
                    const pkg = JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8")) as { dependencies: Record<string, string> };
                    const spec = pkg.dependencies["pulumi-cuc"];
                    expect(spec).to.match(/^file:pulumi-cuc-.*\.tgz$/);
                    const tarball = path.join(out, spec.slice("file:".length));
                    expect(fs.existsSync(tarball)).to.equal(true);
                    // As written: its own package.json, the tarball beside it (offline here: our lockfile).
                    const adopted = ws.adopt(out, "adopted", tarball);
                    await adopted.stack(sim());
                    expect(await adopted.previewChanges()).to.deep.equal({ create: 2 }); // the stack and the phone system
                    s.resetStats();
                    await adopted.ok("up", "--yes", "--skip-preview");
                    expect(Object.keys(s.stats().byMethod)).to.deep.equal(["GET"]);
                    expect(await adopted.previewChanges()).to.deep.equal({});
                });
            }

            it("a misspelt cuc:* key is named with the closest setting, without a stack trace, before any request", async () => {
                // Typed where a password was meant: its value is never printed.
                await p.ok("config", "set", "cuc:serverr", "Typo-Value-Not-Printed-7");
                s.resetStats();
                const r = await p.pulumi("preview");
                await p.ok("config", "rm", "cuc:serverr");
                expect(r.code).to.not.equal(0);
                const printed = r.stdout + r.stderr;
                expect(printed).to.contain("cuc:serverr is not a setting of this provider (did you mean cuc:server?)");
                expect(printed).not.to.match(/^\s+at /m);
                expect(printed).not.to.contain("Typo-Value-Not-Printed-7");
                expect(s.stats().requests).to.equal(0);
            });

            it("a cuc:server value carrying credentials is refused without quoting them, from cuc:server and from CUC_SERVER, before any request", async () => {
                const values = [`https://admin:${PASSWORDS.inServerUrl}@cuc example.com`, `admin:${PASSWORDS.inServerUrl}@cuc:99999`];
                s.resetStats();
                try {
                    for (const server of values) {
                        await p.ok("config", "set", "cuc:server", server);
                        const r = await p.pulumi("preview");
                        expect(r.code, server).to.not.equal(0);
                        expect(r.stdout + r.stderr, server).to.contain("cuc:server");
                    }
                    await p.ok("config", "rm", "cuc:server");
                    const r = await ws.pulumi(p.dir, ["preview"], { CUC_SERVER: values[1] });
                    expect(r.code).to.not.equal(0);
                    expect(r.stdout + r.stderr).to.contain("CUC_SERVER");
                } finally {
                    await p.ok("config", "set", "cuc:server", s.url);
                }
                // The workspace's scan (after) finds no credential in any output; nothing was sent.
                expect(ws.secretLeaks([PASSWORDS.inServerUrl])).to.deep.equal([]);
                expect(s.stats().requests).to.equal(0);
            });

            it("destroy deletes what the stack holds", async () => {
                const id = String((await p.outputs()).phoneSystemId);
                await p.ok("destroy", "--yes", "--skip-preview");
                expect(await client.get(PhoneSystem, id).then(() => "present", (e: { kind?: string }) => e.kind)).to.equal("not-found");
                expect(await client.list(ExternalService, { query: { column: "DisplayName", op: "startswith", value: "office365" } })).to.deep.equal([]);
                const files = [...walk(path.join(p.dir, ".state"))];
                expect(files.length).to.be.greaterThan(0);
            });
        });

        describe(`${mode} mode: the directory (one of each new resource)`, () => {
            let d: UserProject;
            const prefix = `${mode}-floor`;
            const ext = mode === "native" ? "52" : "51";
            const source = (change: DirectoryChange = {}) => directoryProgram(mode === "native" ? "pulumi-cuc/native" : "pulumi-cuc", prefix, ext, change);
            const write = (change: DirectoryChange = {}) => d.write("index.ts", source(change));
            const type = (kind: string) => (mode === "native" ? `cuc:index:${kind}` : `pulumi-nodejs:dynamic/cuc:${kind}`);
            /** The requests of the last run that were not GETs, by route. */
            const writes = () => Object.fromEntries(Object.entries(s.stats().byRoute).filter(([route]) => !route.startsWith("GET ")));
            let ids: Record<string, string>;
            let builtIns: Record<string, string>;
            let before: string;

            it("stack init, config set --secret, preview --json plans creates only, up, a preview with no changes", async () => {
                before = JSON.stringify(s.store.snapshot());
                d = ws.project(`directory-${mode}`, source());
                if (mode === "native") await d.installPlugin();
                await d.stack(sim(), { [`directory-${mode}:defaultPin`]: PASSWORDS.defaultPin, [`directory-${mode}:annPin`]: PASSWORDS.annPin, [`directory-${mode}:annWebPassword`]: PASSWORDS.annWebPassword });
                s.resetStats();
                const preview = await d.json<{ steps: { op: string; urn: string }[]; changeSummary: Record<string, number> }>("preview", "--json");
                expect(writes(), "a preview writes nothing").to.deep.equal({});
                const planned = preview.steps.filter((x) => !x.urn.includes("::pulumi:pulumi:Stack::") && !x.urn.includes("::pulumi:providers:"));
                expect([...new Set(planned.map((x) => x.op))]).to.deep.equal(["create"]);
                const kinds = ["Partition", "SearchSpace", "ClassOfService", "UserTemplate", "User", "User", "AlternateExtension", "Contact", "DistributionList"];
                expect(planned.map((x) => x.urn.split("::")[2]).sort()).to.deep.equal(kinds.map(type).sort());
                s.resetStats();
                const up = await d.ok("up", "--yes", "--skip-preview");
                expect(up).to.contain(`+  ${type("User")} ann created`);
                // One POST per object and member; the PINs and the web password through their credential PUTs.
                expect(writes()).to.deep.equal({
                    "POST /vmrest/partitions": 1, "POST /vmrest/searchspaces": 1, "POST /vmrest/searchspaces/{id}/searchspacemembers": 2, "POST /vmrest/coses": 1,
                    "POST /vmrest/usertemplates": 1, "PUT /vmrest/usertemplates/{id}/credential/pin": 1, "POST /vmrest/users": 2,
                    "PUT /vmrest/users/{id}/credential/pin": 1, "PUT /vmrest/users/{id}/credential/password": 1, "POST /vmrest/users/{id}/alternateextensions": 1,
                    "POST /vmrest/contacts": 1, "POST /vmrest/distributionlists": 1, "POST /vmrest/distributionlists/{id}/distributionlistmembers": 3,
                });
                expect(await d.previewChanges()).to.deep.equal({});
                const out = await d.outputs();
                ids = out.ids as Record<string, string>;
                builtIns = out.builtIns as Record<string, string>;
                expect(out.searchOrder).to.deep.equal([ids.partition, builtIns.partition]);
                expect(out.partitionName).to.match(/^floor-[0-9a-f]{7}$/);
                const ann = await client.get(User, ids.ann);
                expect(ann).to.include({ Alias: `${prefix}-ann`, DisplayName: "Ann Smith", Department: "Sales", PartitionObjectId: ids.partition, CosObjectId: ids.cos });
                expect((await client.get(User, ids.bob)).CosObjectId).to.equal(builtIns.cos);
                // The PINs reached the server (the simulator's stored credentials: CUPI never returns them).
                const pins = new Map((s.store.snapshot().UserPin ?? []).map((r) => [String(r.UserObjectId), r.Credentials]));
                expect([pins.get(ids.ann), pins.get(ids.bob)]).to.deep.equal([PASSWORDS.annPin, PASSWORDS.defaultPin]);
                const members = await client.list(DistributionListMember, { parentId: ids.team });
                expect(members.map((m) => String(m.Alias)).sort()).to.deep.equal([`${prefix}-ann`, `${prefix}-bob`, `${prefix}-partner`]);
            });

            it("preview --diff of an in-place change names the fields; up is one PUT of the user and one POST and one DELETE of memberships", async () => {
                write({ changed: true });
                const diff = await d.ok("preview", "--diff");
                expect(diff).to.contain(`~ ${type("User")}: (update)`);
                expect(diff).to.match(/~ displayName\s*: "Ann Smith" => "Ann Smith-Jones"/);
                expect(diff).to.contain(`~ ${type("DistributionList")}: (update)`);
                expect(diff).to.contain("2 to update");
                expect(diff).not.to.match(/to (replace|delete|create)/);
                s.resetStats();
                await d.ok("up", "--yes", "--skip-preview");
                expect(writes()).to.deep.equal({
                    "PUT /vmrest/users/{id}": 1, "POST /vmrest/distributionlists/{id}/distributionlistmembers": 1, "DELETE /vmrest/distributionlists/{id}/distributionlistmembers/{id}": 1,
                });
                expect((await client.get(User, ids.ann)).DisplayName).to.equal("Ann Smith-Jones");
                const members = await client.list(DistributionListMember, { parentId: ids.team });
                expect(members.map((m) => String(m.MemberUserObjectId ?? m.MemberContactObjectId ?? m.MemberDistributionListObjectId)).sort()).to.deep.equal([ids.ann, ids.partner, builtIns.list].sort());
                expect(await d.previewChanges()).to.deep.equal({});
            });

            it("no input change replaces a User: another templateAlias previews as no change, said once", async () => {
                write({ changed: true, annTemplateAlias: "voicemailusertemplate" });
                s.resetStats();
                const r = await d.pulumi("preview", "--diff");
                expect(r.code, r.stderr).to.equal(0);
                expect(r.stdout).not.to.match(/to (update|replace|delete|create)/);
                expect((r.stdout + r.stderr).split("templateAlias is used only when the user is created (no change)"), "said once").to.have.length(2);
                expect(writes()).to.deep.equal({});
                write({ changed: true });
            });

            it("refresh after drift made outside (a department, a list member) shows it; up puts it back", async () => {
                await client.update(User, ids.ann, { Department: "Marketing" });
                await client.create(DistributionListMember, { MemberUserObjectId: ids.bob }, ids.team);
                const refresh = await d.ok("refresh", "--yes", "--skip-preview", "--diff");
                expect(refresh).to.match(/~ department\s*: "Sales" => "Marketing"/);
                expect(refresh).to.contain(`~ ${type("DistributionList")}: (update)`);
                expect(refresh).to.match(new RegExp(`\\+ \\[1\\]: "${ids.bob}"`));
                expect(await d.previewChanges()).to.deep.equal({ update: 2 });
                s.resetStats();
                await d.ok("up", "--yes", "--skip-preview");
                expect(writes()).to.deep.equal({ "PUT /vmrest/users/{id}": 1, "DELETE /vmrest/distributionlists/{id}/distributionlistmembers/{id}": 1 });
                expect((await client.get(User, ids.ann)).Department).to.equal("Sales");
                expect((await client.list(DistributionListMember, { parentId: ids.team })).map((m) => m.MemberUserObjectId).filter(Boolean)).to.deep.equal([ids.ann]);
            });

            if (mode === "native") {
                it("pulumi import of an existing user and an existing partition: GETs only, no PIN in the state", async () => {
                    const user = await client.create(User, { templateAlias: "voicemailusertemplate", Alias: "existing-user", DtmfAccessId: "5299", DisplayName: "Existing User" });
                    await client.update(UserPin, "", { Credentials: PASSWORDS.existingPin }, user);
                    const partition = await client.create(Partition, { Name: "Existing Partition", Description: "made outside Pulumi" });
                    s.resetStats();
                    expect(await d.ok("import", "cuc:index:User", "existing-user", user, "--yes", "--protect=false", "--generate-code=false")).to.contain("1 imported");
                    expect(await d.ok("import", "cuc:index:Partition", "existing-partition", partition, "--yes", "--protect=false", "--generate-code=false")).to.contain("1 imported");
                    expect(Object.keys(s.stats().byMethod)).to.deep.equal(["GET"]);
                    const state = await d.json<{ deployment: { resources: { type: string; id?: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] } }>("stack", "export");
                    const imported = state.deployment.resources.find((r) => r.type === "cuc:index:User" && r.id === user)!;
                    expect(imported.inputs).to.include({ alias: "existing-user", dtmfAccessId: "5299", displayName: "Existing User" });
                    for (const field of ["pin", "webPassword", "templateAlias"]) {
                        expect(imported.inputs, field).not.to.have.property(field);
                        expect(imported.outputs, field).not.to.have.property(field);
                    }
                    expect(state.deployment.resources.find((r) => r.type === "cuc:index:Partition" && r.id === partition)!.inputs).to.include({ name: "Existing Partition", description: "made outside Pulumi" });
                });
            }

            it("the PINs and the web password are secrets: in the exported stack only as ciphertext", async () => {
                const exported = await d.ok("stack", "export");
                for (const secret of [PASSWORDS.defaultPin, PASSWORDS.annPin, PASSWORDS.annWebPassword, PASSWORDS.existingPin]) expect(exported).not.to.contain(secret);
                const state = JSON.parse(exported) as { deployment: { resources: { urn: string; inputs?: Record<string, unknown> }[] } };
                const ann = state.deployment.resources.find((r) => r.urn.endsWith(`::${type("User")}::ann`))!;
                for (const field of ["pin", "webPassword"]) expect(ann.inputs?.[field], field).to.have.property("ciphertext");
            });

            it("destroy deletes every object it created (and imported); the built-ins the program referenced stay", async () => {
                await d.ok("destroy", "--yes", "--skip-preview");
                const gone = (spec: ObjectSpec, id: string, parentId?: string) => client.get(spec, id, parentId).then(() => "present", (e: { kind?: string }) => e.kind);
                const specs: [string, ObjectSpec][] = [["partition", Partition], ["searchSpace", SearchSpace], ["cos", ClassOfService], ["template", UserTemplate], ["ann", User], ["bob", User], ["partner", Contact], ["team", DistributionList]];
                for (const [name, spec] of specs) expect(await gone(spec, ids[name]), name).to.equal("not-found");
                expect(await client.get(Partition, builtIns.partition)).to.include({ Name: "cuc-install-55 Partition" });
                expect(await client.get(ClassOfService, builtIns.cos)).to.include({ DisplayName: "Voice Mail User COS" });
                expect(await client.get(DistributionList, builtIns.list)).to.include({ Alias: "allvoicemailenabledcontacts" });
                expect(await client.get(UserTemplate, builtIns.template)).to.include({ Alias: "voicemailusertemplate" });
                // The server is as it was before the stack: nothing left over, nothing built in removed.
                expect(JSON.stringify(s.store.snapshot())).to.equal(before);
            });
        });
    }
});
