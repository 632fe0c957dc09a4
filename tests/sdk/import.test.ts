/**
 * Adopting an existing cluster end to end: seed the simulator with a realistic cluster, run
 * cuc-import, type-check the generated program with tsc, run it (resources mocked) to get each
 * resource's inputs, then drive every one through the dynamic-provider host: Check, Create with
 * adopt (no POST), Read, Diff with no changes. Then verify vs overwrite on a mismatching program.
 */
import { expect } from "chai";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CupiClient, resolveSettings } from "../../provider/client";
import { RESOURCES } from "../../provider/resources";
import { AxlServer, ExternalService, HttpsLink, PhoneSystem, PortGroup } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { ROOT } from "../helpers";
import { Host, type Props } from "../host";
import { registered, value } from "./mocks";
import { autojoin } from "../../provider/resources/httpslink";
import { contextOf, createExample, oneChange } from "../provider/examples";

const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";
const TENANT = "fe6541fb-b42c-44f2-8404-ded14cbf7438";
const SECRETS: Record<string, string> = {};

/** The engine strips secret markers before a provider that does not accept secrets sees inputs. */
function unsecret(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unsecret);
    if (v && typeof v === "object") {
        const o = v as Props;
        if (o["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") return unsecret(o.value);
        return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unsecret(x)]));
    }
    return v;
}

/** Runs cuc-import asynchronously: the simulator lives in this process and must keep answering. */
function cucImport(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        const child = spawn(process.execPath, [path.join(ROOT, "dist/provider/import/cli.js"), ...args], { env });
        let stdout = "", stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("close", (status) => resolve({ status, stdout, stderr }));
    });
}

describe("adoption and cuc-import", function () {
    this.timeout(120_000);
    let s: Simulator;
    let client: CupiClient;
    const out = path.join(ROOT, ".test-output", `import-${process.pid}`);
    let env: NodeJS.ProcessEnv;
    let program: { kind: string; name: string; inputs: Props }[] = [];
    /** How many resources of each kind cuc-import should write: the objects on the server it keeps, built-ins (Undeletable) left out. */
    const onServer = () => Object.fromEntries(Object.values(RESOURCES).map((d) => [d.kind,
        s.store.list(d.spec.kind).filter((r) => (d.import.keep?.(r) ?? true) && r[d.spec.undeletable ?? ""] !== true).length]));

    before(async () => {
        s = await startSimulator({ seed: 9, password: "Import-Admin-Pass-1" });
        env = { ...process.env, CUC_SERVER: s.url, CUC_USERNAME: s.user, CUC_PASSWORD: s.password, CUC_CA_CERT: s.certPath };
        client = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: s.password, caCert: s.ca }, {}));
        // A realistic cluster: several phone systems with AXL servers, every service type,
        // two HTTPS links, port groups with MWI codes.
        const a = await client.create(PhoneSystem, { DisplayName: "CUCM Cluster A", MwiAlwaysUpdate: true, CallLoopGuardTimeMs: 3000 });
        const b = await client.create(PhoneSystem, { DisplayName: "CUCM Cluster B (DR)", RestrictDialScheduled: true, RestrictDialStartTime: 1200, RestrictDialEndTime: 420 });
        await client.create(AxlServer, { HostOrIPAddress: "cucm-a-pub.example.com", Port: 8443, Precedence: 0, CcmAXLUser: "axl", CcmAXLPassword: "Axl-A-1", IsPinSyncEnabled: true }, a);
        await client.create(AxlServer, { HostOrIPAddress: "cucm-a-sub.example.com", Port: 8443, Precedence: 1, CcmAXLUser: "axl", CcmAXLPassword: "Axl-A-2" }, a);
        await client.create(AxlServer, { HostOrIPAddress: "10.20.0.10", Port: 443, CcmAXLUser: "axl-dr", CcmAXLPassword: "Axl-B-1" }, b);
        await client.create(AxlServer, { HostOrIPAddress: "cucm-lab", CcmAXLUser: "lab" }, PS);
        await client.create(ExternalService, { DisplayName: "Exchange UM", ServerType: 4, Server: "mail.example.com", ServiceAlias: "corp\\svc", ServicePassword: "Svc-1", AuthenticationMode: 3, ExchServerType: 1, SecurityTransportType: 1, TenantObjectId: TENANT });
        await client.create(ExternalService, { DisplayName: "MeetingPlace", ServerType: 1, Server: "mp.example.com", ServiceAlias: "admin", ServicePassword: "Svc-2", TransferExtensionDialString: "5555" });
        await client.create(ExternalService, { DisplayName: "Office 365", ServerType: 5, Server: "outlook.office365.com", ServiceAlias: "svc@example.com", ServicePassword: "Svc-3", ExchDoAutodiscover: true, ProxyServer: "proxy:8080" });
        const l1 = await autojoin(client, { RemoteServer: "cuc-east.example.com", RemoteUsername: "admin", RemotePassword: "Remote-1", AcceptSelfSignedCertificates: true });
        await client.update(HttpsLink, l1, { DisplayName: "East", SyncDistributionLists: true });
        await autojoin(client, { RemoteServer: "cuc-west.example.com", RemoteUsername: "admin", RemotePassword: "Remote-2" });
        const groups = await client.list(PortGroup);
        await client.update(PortGroup, String(groups[0].ObjectId), { MwiOnCode: "*55", MwiOffCode: "#55" });
        await client.update(PortGroup, String(groups[1].ObjectId), { MwiOnCode: "9001" });
        // And one object of any kind the cluster above lacks, from its example values.
        const ctx = await contextOf(s);
        for (const def of Object.values(RESOURCES)) if (!def.existing && !onServer()[def.kind]) await createExample(s, def, ctx, "-seed");
        const counts = onServer();
        expect(Object.keys(counts)).to.have.length.greaterThan(0);
        for (const [kind, n] of Object.entries(counts)) expect(n, `the cluster has a ${kind} to adopt (simulator/dataset.ts has the objects no resource creates)`).to.be.greaterThan(0);
        fs.rmSync(out, { recursive: true, force: true });
    });
    after(async () => {
        client.close();
        await s.close();
        fs.rmSync(out, { recursive: true, force: true });
    });

    it("cuc-import scans with one session and writes a ready program with a summary", async () => {
        s.resetStats();
        const res = await cucImport(["--out", out, "--project", "adopted-test"], env);
        expect(res.status, res.stderr).to.equal(0);
        const stats = s.stats();
        expect(stats.logins).to.equal(1);
        expect(stats.byMethod).to.have.keys("GET");
        expect(res.stdout).to.contain("3 phone system(s), 4 AXL server(s), 3 unified messaging service(s), 2 HTTPS link(s), 2 port group MWI patch(es)");
        expect(res.stdout).to.contain("pulumi config set --secret cucmClusterAAxlCucmAPubExampleComPassword");
        expect(res.stdout).to.contain("pulumi up");
        // The stack its next steps make is the one the README's "Adopt an existing cluster" names.
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const stack = /&& npm install && pulumi stack init (\S+)/.exec(readme.slice(readme.indexOf("## Adopt an existing cluster")))?.[1];
        expect(stack).to.equal("prod");
        expect(res.stdout).to.contain(`&& npm install && pulumi stack init ${stack}\n`);
        expect(res.stdout + res.stderr).not.to.contain(s.password);
        const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
        expect(index).to.contain('const cucmClusterA = new cuc.PhoneSystem("cucm-cluster-a", {');
        expect(index).to.contain('const cucmClusterBDr = new cuc.PhoneSystem("cucm-cluster-b-dr", {');
        expect(index).to.contain("phoneSystemId: cucmClusterA.objectId,");
        expect(index).to.contain('ccmAxlPassword: config.requireSecret("cucmClusterAAxlCucmAPubExampleComPassword"),');
        expect(index).to.contain('serverType: 5,');
        expect(index).to.contain('remoteServer: "cuc-east.example.com",');
        expect(index).to.contain('mwiOnCode: "*55",');
        expect(index).to.match(/\/\/ {3}pulumi config set --secret exchangeUmServicePassword \.\.\./);
        for (const f of ["package.json", "tsconfig.json", "Pulumi.yaml"]) expect(fs.existsSync(path.join(out, f)), f).to.equal(true);
        // The same objects for the native provider's `pulumi import --file`: one entry per resource of the program.
        const bulk = JSON.parse(fs.readFileSync(path.join(out, "import.json"), "utf8")) as { resources: { type: string; name: string; id: string }[] };
        expect(bulk.resources).to.have.length(Object.values(onServer()).reduce((a, b) => a + b, 0));
        // With the plugin version the native classes ask for, so the imports share their default provider.
        const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
        expect(bulk.resources).to.deep.include({ type: "cuc:index:PhoneSystem", name: "cucm-cluster-a", id: /const cucmClusterA = [^]*?adopt: "([^"]+)"/.exec(index)![1], version });
        for (const r of bulk.resources) expect(index, r.name).to.contain(`(${JSON.stringify(r.name)}, {`);
        expect(JSON.parse(fs.readFileSync(path.join(out, "package.json"), "utf8")).dependencies["@pulumi/pulumi"]).to.match(/^\^\d/);
        // Refuses to overwrite without --force.
        const again = await cucImport(["--out", out], env);
        expect(again.status).to.equal(2);
        expect(again.stderr).to.contain("use --force");
    });

    it("chooses kinds and filters by display name", async () => {
        const dir = `${out}-filtered`;
        try {
            const res = await cucImport(["--out", dir, "--kinds", "phonesystems,axlservers", "--filter", "cluster a"], env);
            expect(res.status, res.stderr).to.equal(0);
            expect(res.stdout).to.contain("1 phone system(s), 2 AXL server(s), 0 unified messaging service(s), 0 HTTPS link(s), 0 port group MWI patch(es)");
            const bad = await cucImport(["--out", dir, "--force", "--kinds", "voicemails"], env);
            expect(bad.stderr).to.contain("unknown kind(s) voicemails");
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a refused password: one failed login, and the hint names cuc-import's own flags and variables, never the password", async () => {
        s.resetStats();
        const wrong = "Wrong-Import-Pass-9";
        const res = await cucImport(["--out", `${out}-refused`], { ...env, CUC_PASSWORD: wrong });
        expect(res.status).to.equal(2);
        expect(s.stats().authFailures).to.equal(1);
        // The settings the message names (cuc:username / cuc:password), as cuc-import takes them.
        expect(res.stderr).to.contain("cuc-import: it takes them from --username, --password, or CUC_USERNAME, CUC_PASSWORD");
        expect(res.stdout + res.stderr).not.to.contain(wrong);
        expect(fs.existsSync(`${out}-refused`)).to.equal(false);
    });

    it("the generated program type-checks with tsc and runs", async () => {
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(out, "tsconfig.json")], { encoding: "utf8" });
        const index = fs.readFileSync(path.join(out, "index.ts"), "utf8");
        for (const m of index.matchAll(/config\.require(?:Secret)?\("([^"]+)"\)/g)) SECRETS[`pulumi-cuc:${m[1]}`] = `value-of-${m[1]}`;
        pulumi.runtime.setAllConfig(SECRETS, Object.keys(SECRETS));
        try {
            const before = registered.length;
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exports = require(path.join(out, "bin", "index.js")) as Record<string, pulumi.Output<string>>;
            expect(await value(exports.cucmClusterAId)).to.match(/^[0-9a-f-]{36}$/);
            // Registrations finish asynchronously: wait (bounded) until every declared resource has registered.
            const declared = (index.match(/new cuc\.\w+\(/g) ?? []).length;
            const ours = () => registered.slice(before).filter((r) => r.type.includes("dynamic/cuc:"));
            for (let i = 0; i < 10_000 && ours().length < declared; i++) await new Promise((r) => setImmediate(r));
            expect(ours()).to.have.length(declared);
            program = registered.slice(before).filter((r) => r.type.includes("dynamic/cuc:")).map((r) => {
                const { __provider: _p, ...inputs } = unsecret(r.inputs) as Props;
                return { kind: r.type.split(":").pop()!, name: r.name, inputs };
            });
        } finally {
            pulumi.runtime.setAllConfig({});
        }
        // One resource per object on the server, of every kind.
        expect(program.map((p) => p.kind).sort()).to.deep.equal(Object.entries(onServer()).flatMap(([kind, n]) => Array<string>(n).fill(kind)).sort());
    });

    it("a large program is split into modules (--split): the same resources, each file importing what it refers to, and it type-checks and runs", async () => {
        const dir = `${out}-split`;
        const res = await cucImport(["--out", dir, "--split", "4"], env);
        expect(res.status, res.stderr).to.equal(0);
        const files = fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort();
        expect(files).to.include.members(["common.ts", "index.ts", "phonesystems-1.ts", "axlservers-1.ts"]);
        expect(res.stdout).to.contain(`and ${files.length - 1} more modules`);
        const modules = files.filter((f) => f !== "index.ts" && f !== "common.ts");
        const declared = (f: string) => (fs.readFileSync(path.join(dir, f), "utf8").match(/new cuc\.\w+\(/g) ?? []).length;
        for (const f of modules) expect(declared(f), f).to.be.within(1, 4);
        const single = fs.readFileSync(path.join(out, "index.ts"), "utf8");
        expect(modules.reduce((n, f) => n + declared(f), 0), "every resource once").to.equal((single.match(/new cuc\.\w+\(/g) ?? []).length);
        // An AXL server refers to its phone system's variable, imported from the module that declares it.
        const axl = fs.readFileSync(path.join(dir, "axlservers-1.ts"), "utf8");
        expect(axl).to.match(/^import \{ [\w, ]*cucmClusterA[\w, ]* \} from "\.\/phonesystems-1";$/m).and.to.contain("phoneSystemId: cucmClusterA.objectId,");
        expect(fs.readFileSync(path.join(dir, "index.ts"), "utf8")).to.contain('import "./phonesystems-1";').and.to.contain("export const cucmClusterAId = cucmClusterA.objectId;");
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(dir, "tsconfig.json")], { encoding: "utf8" });
        const configured = Object.fromEntries([...single.matchAll(/config\.require(?:Secret)?\("([^"]+)"\)/g)].map((m) => [`pulumi-cuc:${m[1]}`, `value-of-${m[1]}`]));
        pulumi.runtime.setAllConfig(configured, Object.keys(configured));
        try {
            const before = registered.length;
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const exports = require(path.join(dir, "bin", "index.js")) as Record<string, pulumi.Output<string>>;
            expect(await value(exports.cucmClusterAId)).to.match(/^[0-9a-f-]{36}$/);
            const ours = () => registered.slice(before).filter((r) => r.type.includes("dynamic/cuc:"));
            for (let i = 0; i < 10_000 && ours().length < program.length; i++) await new Promise((r) => setImmediate(r));
            // The same resources with the same inputs as the one-file program.
            const inputsOf = (rs: { name: string; inputs: Props }[]) => Object.fromEntries(rs.map((r) => [r.name, r.inputs]));
            expect(inputsOf(ours().map((r) => { const { __provider: _p, ...inputs } = unsecret(r.inputs) as Props; return { name: r.name, inputs }; }))).to.deep.equal(inputsOf(program));
        } finally {
            pulumi.runtime.setAllConfig({});
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("every generated resource adopts through the host: Check, Create (no POST), Read, Diff with no changes", async () => {
        const host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            await host.configure({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password, "cuc:caCert": s.ca! });
            s.resetStats();
            for (const r of program) {
                const checked = await host.check(r.kind, {}, r.inputs);
                expect(checked.failures, `${r.name}: ${JSON.stringify(checked.failures)}`).to.deep.equal([]);
                const created = await host.create(r.kind, checked.inputs);
                expect(created.id, r.name).to.equal(r.inputs.adopt);
                const read = await host.read(r.kind, created.id, created.outs);
                expect(read.id).to.equal(created.id);
                const d = await host.diff(r.kind, created.id, read.outs, (await host.check(r.kind, read.inputs, r.inputs)).inputs);
                expect(d.changes, r.name).to.equal("none");
                // Removing adopt afterwards changes nothing.
                const { adopt: _a, ...withoutAdopt } = r.inputs;
                const d2 = await host.diff(r.kind, created.id, read.outs, (await host.check(r.kind, read.inputs, withoutAdopt)).inputs);
                expect(d2, r.name).to.deep.equal({ changes: "none", replaces: [], deleteBeforeReplace: false });
            }
            const stats = s.stats();
            expect(stats.byMethod.POST ?? 0, "no POST reaches the simulator").to.equal(0);
            expect(stats.byMethod.PUT ?? 0, "verify mode writes nothing").to.equal(0);
            expect(host.output.join("")).to.contain("adopted PhoneSystem CUCM Cluster A (");
            expect(host.output.join("")).to.contain("ccmAxlPassword cannot be read back from CUPI");
            // Adopting the same object twice in one program is refused.
            const ps = program.find((p) => p.kind === "PhoneSystem")!;
            const twice = await host.create("PhoneSystem", { ...(await host.check("PhoneSystem", {}, ps.inputs)).inputs }).catch((e: Error) => e);
            expect(String(twice)).to.contain("already managed by another resource in this program");
        } finally {
            expect(host.output.join("")).not.to.contain(s.password);
            await host.close();
        }
    });

    it("a mismatching program fails in verify mode naming each field, and overwrite PUTs once per object", async () => {
        const host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            await host.configure({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password, "cuc:caCert": s.ca! });
            const clusterA = program.find((p) => p.kind === "PhoneSystem" && p.inputs.displayName === "CUCM Cluster A")!;
            const mismatching = { ...clusterA.inputs, mwiAlwaysUpdate: false, callLoopGuardTimeMs: 2500 };
            const verify = await host.create("PhoneSystem", (await host.check("PhoneSystem", {}, mismatching)).inputs).catch((e: Error) => e);
            expect(String(verify)).to.contain("differs from the program in 2 field(s)")
                .and.to.contain('mwiAlwaysUpdate: program false, server true')
                .and.to.contain("callLoopGuardTimeMs: program 2500, server 3000")
                .and.to.contain('adoptMode: "overwrite"');
        } finally {
            await host.close();
        }
        const overwrite = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            await overwrite.configure({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password, "cuc:caCert": s.ca! });
            s.resetStats();
            // One object of every kind, each with one field that differs from the server.
            const kinds = Object.keys(RESOURCES);
            expect(kinds).to.have.length.greaterThan(0);
            for (const kind of kinds) {
                const r = program.find((p) => p.kind === kind && (kind !== "PhoneSystem" || p.inputs.displayName === "CUCM Cluster A"))!;
                const change = oneChange(RESOURCES[kind], r.inputs);
                const inputs = (await overwrite.check(kind, {}, { ...r.inputs, [change.key]: change.value, adoptMode: "overwrite" })).inputs;
                const { outs } = await overwrite.create(kind, inputs);
                expect(outs[change.key], `${kind}.${change.key}`).to.equal(change.value);
            }
            expect(s.stats().byMethod.PUT).to.equal(kinds.length);
            expect(s.stats().byMethod.POST ?? 0).to.equal(0);
        } finally {
            await overwrite.close();
        }
    });

    it("adopt errors: unknown object, malformed id, serverType that cannot change", async () => {
        const host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            await host.configure({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password, "cuc:caCert": s.ca! });
            const missing = await host.create("PhoneSystem", { adopt: "11111111-2222-4333-8444-555555555555" }).catch((e: Error) => e);
            expect(String(missing)).to.contain("there is no PhoneSystem with id 11111111-2222-4333-8444-555555555555");
            const bad = await host.check("AxlServer", {}, { adopt: "not-an-id", hostOrIpAddress: "x" });
            expect(bad.failures.map((f) => f.property)).to.include("adopt");
            expect(bad.failures.find((f) => f.property === "adopt")!.reason).to.contain("<phoneSystemId>/<axlServerObjectId>");
            const es = program.find((p) => p.kind === "ExternalService" && p.inputs.serverType === 1)!;
            const typed = await host.create("ExternalService", (await host.check("ExternalService", {}, { ...es.inputs, serverType: 4, authenticationMode: 1, exchServerType: 1, securityTransportType: 1, transferExtensionDialString: undefined, adoptMode: "overwrite" })).inputs).catch((e: Error) => e);
            expect(String(typed)).to.contain("serverType").and.to.contain("cannot be changed on an existing object");
        } finally {
            await host.close();
        }
    });
});
