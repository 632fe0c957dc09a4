/**
 * The native provider (`pulumi-resource-cuc`, `pulumi-cuc/native`) through the real engine: the
 * plugin found through the project's `plugins` section, types `cuc:index:*`, provider functions,
 * previews with known ObjectIds, `pulumi import` of existing objects, explicit providers for two
 * clusters, a password rotation, the schema, and the secret scans of the dynamic mode.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { CupiClient, resolveSettings } from "../../provider/client";
import { RESOURCES } from "../../provider/resources";
import { AxlServer, PhoneSystem, PortGroup } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { changesOf, createStack, cucConfig, nativePluginDir, pulumiCommand, type StackOptions, type TestStack } from "../../scripts/automation";
import { restartableSimulator, walk, withoutSecrets } from "../helpers";
import { contextOf, exampleInputs, type Props } from "../provider/examples";

/* eslint-disable @typescript-eslint/no-require-imports */
const cucNative = () => require("pulumi-cuc/native") as typeof import("../../sdk/generated/native");
/* eslint-enable @typescript-eslint/no-require-imports */

const PASSWORDS = { admin: "Native-Admin-Pass-1", axl: "Native-Axl-Secret-2", rotated: "Native-Admin-Pass-3", siteB: "Native-SiteB-Pass-4" };
const PLUGINS = () => ({ providers: [{ name: "cuc", path: nativePluginDir() }] });

describe("native provider (pulumi-resource-cuc) through the Pulumi engine", function () {
    this.timeout(240_000);
    const stacks: TestStack[] = [];
    const sims: Simulator[] = [];
    const simulator = async (options: Parameters<typeof startSimulator>[0] = {}) => {
        const s = await startSimulator({ password: PASSWORDS.admin, seed: 61, ...options });
        sims.push(s);
        return s;
    };
    const stackFor = async (name: string, s: Simulator, program: StackOptions["program"]) => {
        const t = await createStack({ name: `native-${name}`, program, config: cucConfig(s), plugins: PLUGINS() });
        stacks.push(t);
        return t;
    };
    const client = (s: Simulator, password = PASSWORDS.admin) => new CupiClient(resolveSettings({ server: s.url, username: s.user, password, caCert: s.ca }, {}));

    before(async function () {
        this.timeout(20 * 60_000);
        await pulumiCommand();
    });
    after(async () => {
        for (const t of stacks) {
            const log = t.log.join("");
            for (const p of Object.values(PASSWORDS)) expect(log, "the engine's output").not.to.contain(p);
            for (const file of fs.existsSync(path.join(t.dir, "state")) ? walk(path.join(t.dir, "state")) : []) {
                const text = fs.readFileSync(file, "utf8");
                for (const p of Object.values(PASSWORDS)) expect(text, file).not.to.contain(p);
            }
            fs.rmSync(t.dir, { recursive: true, force: true });
        }
        for (const s of sims) await s.close();
    });

    it("deploys with cuc:index types; preview of a parent's in-place change keeps its children; functions in preview and up; secrets stay secret", async () => {
        const s = await simulator();
        const before = JSON.stringify(s.store.snapshot());
        let mwiForceOff = false;
        const t = await stackFor("life", s, async () => {
            const cuc = cucNative();
            const ps = new cuc.PhoneSystem("cucm", { mwiForceOff });
            const axl = new cuc.AxlServer("pub", { phoneSystemId: ps.objectId, hostOrIpAddress: "cucm-pub.example.com", ccmAxlPassword: PASSWORDS.axl });
            const groups = cuc.getPortGroupsOutput({});
            const one = cuc.getPortGroupOutput({ displayName: "PhoneSystem-1" });
            return { name: ps.displayName, axl: axl.id, groups: groups.portGroups.apply((g) => g.length), group: one.objectId };
        });
        const previewEvents: EngineEvent[] = [];
        const pv = await t.stack.preview({ onOutput: t.onOutput, onEvent: (e) => previewEvents.push(e) });
        expect(changesOf(pv.changeSummary)).to.deep.equal({ create: 3 });
        const pre = previewEvents.find((e) => e.resourcePreEvent?.metadata.type === "cuc:index:PhoneSystem")!.resourcePreEvent!;
        const up = await t.stack.up({ onOutput: t.onOutput });
        expect(up.outputs.name.value).to.equal(pre.metadata.new!.inputs.displayName);
        expect(up.outputs.groups.value).to.equal(2);
        expect(up.outputs.group.value).to.equal((await client(s).list(PortGroup)).find((g) => g.DisplayName === "PhoneSystem-1")!.ObjectId);

        mwiForceOff = true;
        const events: EngineEvent[] = [];
        const pv2 = await t.stack.preview({ onOutput: t.onOutput, onEvent: (e) => events.push(e), diff: true });
        expect(changesOf(pv2.changeSummary)).to.deep.equal({ update: 1 });
        const psPre = events.find((e) => e.resourcePreEvent?.metadata.type === "cuc:index:PhoneSystem")!.resourcePreEvent!.metadata;
        expect(psPre.detailedDiff).to.deep.equal({ mwiForceOff: { diffKind: "update", inputDiff: true } });
        expect(events.find((e) => e.resourcePreEvent?.metadata.type === "cuc:index:AxlServer")!.resourcePreEvent!.metadata.op).to.equal("same");
        s.resetStats();
        const applied = await t.stack.up({ onOutput: t.onOutput });
        expect(changesOf(applied.summary.resourceChanges)).to.deep.equal({ update: 1 });
        expect(s.stats().byMethod).to.deep.equal({ PUT: 1, GET: 3 }); // the update's PUT and GET; the two functions

        const exported = await t.stack.exportStack();
        const text = JSON.stringify(withoutSecrets(exported));
        for (const p of Object.values(PASSWORDS)) expect(text, "the exported stack").not.to.contain(p);
        const resources = (exported.deployment as { resources: { type: string; outputs?: Props }[] }).resources;
        expect(resources.map((r) => r.type)).to.include.members(["cuc:index:PhoneSystem", "cuc:index:AxlServer", "pulumi:providers:cuc"]);
        await t.destroy();
        expect(JSON.stringify(s.store.snapshot())).to.equal(before);
    });

    it("imports an existing object of each kind with GETs only; the same program then previews no changes", async () => {
        const s = await simulator();
        const direct = client(s);
        const psId = await direct.create(PhoneSystem, { DisplayName: "Imported CUCM" });
        const group = (await direct.list(PortGroup))[0];
        const ctx = { ...(await contextOf(s)), PhoneSystem: psId, PortGroup: String(group.ObjectId) };
        // One object of each kind, made through a stack that is then forgotten (the objects stay).
        const kinds = Object.values(RESOURCES);
        // Drawn once per kind: example keys (an alternate extension's IdIndex) advance on each draw,
        // and the importing program must declare what the maker made.
        const drawn = new Map<string, Props>();
        const inputsOf = (kind: string): Props => {
            if (!drawn.has(kind)) {
                const v = exampleInputs(RESOURCES[kind], "full", ctx, "-imp");
                delete v.__cucName;
                drawn.set(kind, v);
            }
            return { ...drawn.get(kind)! };
        };
        const maker = await stackFor("maker", s, async () => {
            const cuc = cucNative() as unknown as Record<string, new (n: string, a: Props) => { id: unknown }>;
            return Object.fromEntries(kinds.map((d) => [d.kind, new cuc[d.kind](`made-${d.kind}`, inputsOf(d.kind)).id]));
        });
        const made = await maker.stack.up({ onOutput: maker.onOutput });
        await maker.stack.workspace.removeStack("dev", { force: true });

        // Write-only inputs the server cannot show (HttpsLink's remoteServer it shows in its feeder URL).
        const writeOnly = (kind: string) => RESOURCES[kind].inputs.filter((f) => f.access === "wo" && !RESOURCES[kind].readBack?.[f.name]).map((f) => f.name);
        // Those a later up sets (join-time values are used at create only).
        const settable = (kind: string) => writeOnly(kind).filter((n) => !RESOURCES[kind].ignoreChanges?.includes(n) && inputsOf(kind)[n] !== undefined);
        // The `import` resource option: the engine reads each object (Read with its id and no
        // state), checks the program's inputs against it and records it. (`pulumi import` on
        // the command line does the same, but needs the Node language host, which this machine
        // cannot build.) Write-only secrets cannot be compared: they are ignored while importing.
        let importing = true;
        const program = async () => {
            const cuc = cucNative() as unknown as Record<string, new (n: string, a: Props, o: object) => unknown>;
            for (const d of kinds) {
                const opts = importing ? { import: String(made.outputs[d.kind].value), ignoreChanges: writeOnly(d.kind) } : {};
                new cuc[d.kind](`imp-${d.kind}`, inputsOf(d.kind), opts);
            }
            return {};
        };
        const t = await stackFor("import", s, program);
        s.resetStats();
        const imported = await t.stack.up({ onOutput: t.onOutput });
        expect(changesOf(imported.summary.resourceChanges)).to.deep.equal({ create: 1, import: kinds.length }); // and the stack
        expect(Object.keys(s.stats().byMethod), "import reads only").to.deep.equal(["GET"]);
        // Then the program without the option: the same inputs preview no change, but for
        // write-only secrets, which CUPI never returns: the first up sets them (one update each).
        importing = false;
        const events: EngineEvent[] = [];
        const pv = await t.stack.preview({ onOutput: t.onOutput, onEvent: (e) => events.push(e), diff: true });
        const withSecrets = kinds.filter((d) => settable(d.kind).length > 0);
        expect(changesOf(pv.changeSummary), "the same inputs after import").to.deep.equal(withSecrets.length ? { update: withSecrets.length } : {});
        for (const e of events.filter((x) => x.resourcePreEvent?.metadata.op === "update")) {
            const m = e.resourcePreEvent!.metadata;
            const kind = m.type.replace("cuc:index:", "");
            expect(Object.keys(m.detailedDiff ?? {}), m.urn).to.have.members(settable(kind));
        }
        await t.destroy();
        expect(await direct.list(AxlServer, { parentId: psId })).to.deep.equal([]);
        direct.close();
    });

    it("explicit providers: one program, two clusters; a new password updates the provider and replaces nothing", async () => {
        const a = await simulator();
        const b = await simulator({ password: PASSWORDS.siteB, seed: 62 });
        let passwordB = PASSWORDS.siteB;
        let caB = b.ca;
        const t = await stackFor("two", a, async () => {
            const cuc = cucNative();
            const siteB = new cuc.Provider("site-b", { server: b.url, username: b.user, password: passwordB, caCert: caB });
            const onA = new cuc.PhoneSystem("a", { displayName: "Site A CUCM" });
            const onB = new cuc.PhoneSystem("b", { displayName: "Site B CUCM" }, { provider: siteB });
            const groupsB = cuc.getPortGroupsOutput({}, { provider: siteB });
            return { a: onA.cucServer, b: onB.cucServer, groupsB: groupsB.portGroups.apply((g) => g.length) };
        });
        const up = await t.stack.up({ onOutput: t.onOutput });
        expect(up.outputs.a.value).to.equal(a.url);
        expect(up.outputs.b.value).to.equal(b.url);
        expect((await client(b, PASSWORDS.siteB).list(PhoneSystem)).map((p) => p.DisplayName)).to.include("Site B CUCM");
        expect((await client(a).list(PhoneSystem)).map((p) => p.DisplayName)).not.to.include("Site B CUCM");

        // Site B's password (and certificate) change: the provider is updated, its resources stay.
        await b.close();
        sims.splice(sims.indexOf(b), 1);
        const b2 = await simulator({ password: PASSWORDS.rotated, seed: 62, port: Number(new URL(b.url).port), data: b.store.snapshot() });
        passwordB = PASSWORDS.rotated;
        caB = b2.ca; // a restarted simulator has a new certificate too
        const pv = await t.stack.preview({ onOutput: t.onOutput });
        expect(changesOf(pv.changeSummary)).to.deep.equal({ update: 1 }); // the provider
        await t.stack.up({ onOutput: t.onOutput });
        await t.stack.refresh({ onOutput: t.onOutput });
        b2.resetStats();
        await t.destroy();
        expect(b2.stats().authFailures).to.equal(0);
        expect((await client(b2, PASSWORDS.rotated).list(PhoneSystem)).map((p) => p.DisplayName)).not.to.include("Site B CUCM");
    });

    it("a rotated default-provider password: refresh says what to run; with the program, refresh and destroy use the current configuration", async () => {
        const server = await restartableSimulator(simulator, "native-rotation");
        const t = await stackFor("rotation", server.sim, async () => {
            const cuc = cucNative();
            for (let i = 0; i < 5; i++) new cuc.PhoneSystem(`ps-${i}`, { mwiForceOff: true });
            return {};
        });
        await t.stack.up({ onOutput: t.onOutput });
        const s = await server.restart(PASSWORDS.rotated);
        await t.stack.setConfig("cuc:password", { value: PASSWORDS.rotated, secret: true });
        // Without the program the engine configures providers from the state, as for dynamic resources.
        const err = await t.stack.refresh({ onOutput: t.onOutput }).then(() => undefined, (e: Error) => e);
        expect(String(err?.message)).to.contain("--run-program");
        expect(s.stats().authFailures).to.equal(1);
        s.resetStats();
        const refreshed = await t.stack.refresh({ onOutput: t.onOutput, runProgram: true });
        expect(changesOf(refreshed.summary.resourceChanges)).to.deep.equal({});
        expect(s.stats().authFailures).to.equal(0);
        await t.stack.destroy({ onOutput: t.onOutput, runProgram: true });
        expect(s.stats().byMethod.DELETE).to.equal(5);
        expect(s.stats().authFailures).to.equal(0);
        server.cleanup();
    });

    it("CheckConfig names a bad key or value, or a missing server, before any request", async () => {
        const s = await simulator();
        const program = async () => {
            new (cucNative().PhoneSystem)("ps", { mwiForceOff: true });
            return {};
        };
        const bad = await createStack({ name: "native-config", program, plugins: PLUGINS(), config: {
            ...cucConfig(s), "cuc:maxConcurrent": { value: "abc" }, "cuc:serverr": { value: "x" }, "cuc:insecure": { value: "maybe" },
        } });
        stacks.push(bad);
        s.resetStats();
        const err = await bad.stack.preview({ onOutput: bad.onOutput }).then(() => undefined, (e: Error) => e);
        const log = bad.log.join("");
        expect(err, "the preview fails").to.be.instanceOf(Error);
        expect(log).to.contain('cuc:maxConcurrent (CUC_MAX_CONCURRENT) must be a number, got "abc"');
        expect(log).to.contain("cuc:serverr is not a setting of this provider");
        expect(log).to.contain('cuc:insecure (CUC_INSECURE) must be a boolean, got "maybe"');
        const none = await createStack({ name: "native-noserver", program, plugins: PLUGINS() });
        stacks.push(none);
        const err2 = await none.stack.preview({ onOutput: none.onOutput }).then(() => undefined, (e: Error) => e);
        expect(err2, "the preview fails").to.be.instanceOf(Error);
        expect(none.log.join("")).to.contain("no Connection server configured: set cuc:server (CUC_SERVER)");
        expect(s.stats().requests).to.equal(0);
    });

    it("pulumi package get-schema prints the schema: types, functions, secrets and replace-on-change marked", async () => {
        const cli = path.join((await pulumiCommand()).command);
        const out = execFileSync(cli, ["package", "get-schema", path.join(nativePluginDir(), "pulumi-resource-cuc")], {
            encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true", PULUMI_HOME: fs.mkdtempSync(path.join(nativePluginDir(), "..", "home-")) },
        });
        const schema = JSON.parse(out) as { name: string; resources: Record<string, { inputProperties: Record<string, { secret?: boolean; replaceOnChanges?: boolean }> }>; functions: Record<string, unknown>; config: { variables: Record<string, { secret?: boolean }> } };
        expect(schema.name).to.equal("cuc");
        expect(Object.keys(schema.resources)).to.have.members(Object.keys(RESOURCES).map((k) => `cuc:index:${k}`));
        expect(schema.functions).to.have.property("cuc:index:getPortGroups");
        expect(schema.resources["cuc:index:AxlServer"].inputProperties.ccmAxlPassword.secret).to.equal(true);
        expect(schema.resources["cuc:index:AxlServer"].inputProperties.phoneSystemId.replaceOnChanges).to.equal(true);
        expect(schema.config.variables.password.secret).to.equal(true);
    });
});
