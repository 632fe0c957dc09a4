/**
 * Every program in examples/ through the real engine against simulators: up, a second up with
 * no changes, and destroy leaving the simulator as it started. As written (dynamic mode) each is
 * a standalone project of its own, run with the CLI's commands as users run it (user-project.ts);
 * native mode runs the same compiled program inline with `pulumi-cuc/native` in its place.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ConfigMap } from "@pulumi/pulumi/automation";
import { CupiClient, resolveSettings } from "../../provider/client";
import { AxlServer, DistributionList, DistributionListMember, ExternalService, HttpsLink, User } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { ROOT, walk } from "../helpers";
import { changesOf, createStack, cucConfig, nativePluginDir, pulumiCommand, type TestStack } from "../../scripts/automation";
import { UserWorkspace } from "./user-project";

const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";
const DIRECTORY_PIN = "55132947";

type Mode = "dynamic" | "native";

/**
 * Runs an example's compiled program as an inline program (fresh module each run). In native
 * mode its `import * as cuc from "pulumi-cuc"` gets `pulumi-cuc/native` instead: the same
 * program, served by the plugin.
 */
function example(name: string, mode: Mode = "dynamic") {
    const file = path.join(ROOT, "dist", "examples", name, "index.js");
    return async () => {
        delete require.cache[file];
        const dynamic = require.resolve("pulumi-cuc");
        const saved = require.cache[dynamic];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        if (mode === "native") require.cache[dynamic] = { exports: require("pulumi-cuc/native") } as NodeJS.Module;
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return require(file) as Record<string, unknown>;
        } finally {
            if (saved) require.cache[dynamic] = saved;
            else delete require.cache[dynamic];
        }
    };
}

const projectOf = (name: string) => /^name: (.+)$/m.exec(fs.readFileSync(path.join(ROOT, "examples", name, "Pulumi.yaml"), "utf8"))![1].trim();
const secret = (value: string) => ({ value, secret: true });
const changes = changesOf;

describe("examples through the Pulumi engine", function () {
    this.timeout(120_000);
    let a: Simulator;
    let b: Simulator;
    let direct: CupiClient;
    const stacks: TestStack[] = [];
    let ws: UserWorkspace;

    before(async function () {
        this.timeout(20 * 60_000);
        await pulumiCommand();
        ws = new UserWorkspace();
        await ws.init();
        a = await startSimulator({ seed: 21, password: "Examples-A-Pass-1" });
        b = await startSimulator({ seed: 22, password: "Examples-B-Pass-2" });
        direct = new CupiClient(resolveSettings({ server: a.url, username: a.user, password: a.password, caCert: a.ca }, {}));
    });
    after(async () => {
        // Secrets never in plaintext: not in what the engine or the CLI printed, nor in any state file.
        const secrets = [a.password, b.password, DIRECTORY_PIN];
        for (const t of stacks) {
            const texts = [t.log.join(""), ...[...walk(path.join(t.dir, "state"))].map((f) => fs.readFileSync(f, "utf8"))];
            expect(secrets.filter((x) => texts.some((text) => text.includes(x))), t.dir).to.deep.equal([]);
            // The dynamic-provider plugin sits beside the CLI (scripts/automation.ts cliRoot): no PATH warning.
            expect(t.log.join("")).not.to.contain("from $PATH");
            fs.rmSync(t.dir, { recursive: true, force: true });
        }
        expect(ws.secretLeaks(secrets)).to.deep.equal([]);
        expect(ws.transcript.join("")).not.to.contain("from $PATH");
        ws.dispose();
        direct?.close();
        await a?.close();
        await b?.close();
    });

    /** Stack configuration as `pulumi config set` takes it: secrets with --secret. */
    const asSet = (config: ConfigMap) => Object.fromEntries(Object.entries(config).map(([k, v]) => [k, v.secret ? { secret: v.value } : v.value]));

    /** The example as a standalone project: `stack init`, `config set`, `up`, `up` again, `destroy`. */
    async function projectRoundTrip(name: string, config: ConfigMap, expectCreates: number, check: (outputs: Record<string, unknown>) => Promise<void>) {
        const before = [JSON.stringify(a.store.snapshot()), JSON.stringify(b.store.snapshot())];
        const p = ws.example(name);
        await p.stack({ url: a.url, user: a.user, password: a.password, certPath: a.certPath }, {});
        await p.config(asSet(config));
        await p.ok("up", "--yes", "--skip-preview");
        expect(await p.lastChanges()).to.deep.equal({ create: expectCreates });
        await check(await p.outputs());
        await p.ok("up", "--yes", "--skip-preview");
        expect(await p.lastChanges()).to.deep.equal({});
        await p.ok("destroy", "--yes", "--skip-preview");
        a.store.purgeUnjoined();
        b.store.purgeUnjoined();
        expect([JSON.stringify(a.store.snapshot()), JSON.stringify(b.store.snapshot())]).to.deep.equal(before);
    }

    /** up, up again with no changes, destroy, and the simulators back where they started. */
    async function roundTrip(name: string, config: ConfigMap, expectCreates: number, check: (outputs: Record<string, unknown>) => Promise<void>, mode: Mode = "dynamic") {
        // Outputs in project mode come from `stack output`, where secrets read "[secret]": checks use plain outputs only.
        if (mode === "dynamic") return projectRoundTrip(name, config, expectCreates, check);
        const before = [JSON.stringify(a.store.snapshot()), JSON.stringify(b.store.snapshot())];
        const t = await createStack({
            name: `${name}-${mode}`, project: projectOf(name), program: example(name, mode), config: { ...cucConfig(a), ...config },
            ...(mode === "native" ? { plugins: { providers: [{ name: "cuc", path: nativePluginDir() }] } } : {}),
        });
        stacks.push(t);
        // The example's Pulumi.yaml names the project its `new pulumi.Config()` reads.
        expect(Object.keys(config).every((k) => k.startsWith("cuc:") || k.startsWith(`${projectOf(name)}:`))).to.equal(true);
        const res = await t.stack.up({ onOutput: t.onOutput });
        expect(res.summary.resourceChanges).to.deep.equal({ create: expectCreates });
        await check(Object.fromEntries(Object.entries(res.outputs).map(([k, v]) => [k, v.value])));
        const again = await t.stack.up({ onOutput: t.onOutput });
        expect(changes(again.summary.resourceChanges)).to.deep.equal({});
        await t.destroy();
        a.store.purgeUnjoined();
        b.store.purgeUnjoined();
        expect([JSON.stringify(a.store.snapshot()), JSON.stringify(b.store.snapshot())]).to.deep.equal(before);
    }

    // Every example runs unchanged in native mode too (its `connection` and `adopt` inputs are
    // served by the same engine).
    for (const mode of ["dynamic", "native"] as const) {
        it(`quickstart${mode === "native" ? " (native mode)" : ""}`, async () => {
            const p = projectOf("quickstart");
            await roundTrip("quickstart", { [`${p}:axlPassword`]: secret("Qs-Axl-Secret"), [`${p}:o365Password`]: secret("Qs-O365-Secret") }, 6, async (out) => {
                expect(out.axlServers).to.deep.equal(["cucm-pub.example.com", "cucm-sub.example.com"]);
                expect(out.portGroupMwi).to.equal("PhoneSystem-1: on *99, off #99");
                expect(await direct.list(AxlServer, { parentId: String(out.phoneSystemId) })).to.have.length(2);
            }, mode);
        });

        it(`unified-messaging${mode === "native" ? " (native mode)" : ""}`, async () => {
            const p = projectOf("unified-messaging");
            await roundTrip("unified-messaging", {
                [`${p}:exchangePassword`]: secret("Um-Ex-Secret"), [`${p}:o365Password`]: secret("Um-O365-Secret"), [`${p}:meetingPlacePassword`]: secret("Um-Mp-Secret"),
            }, 4, async (out) => {
                expect(out.exchangeTenant).to.equal("fe6541fb-b42c-44f2-8404-ded14cbf7438");
                expect((await direct.list(ExternalService)).map((e) => e.ServerType).sort()).to.deep.equal([1, 4, 5]);
            }, mode);
        });

        it(`port-groups${mode === "native" ? " (native mode)" : ""}`, async () => {
            await roundTrip("port-groups", { [`${projectOf("port-groups")}:portGroup`]: { value: "PhoneSystem-2" } }, 2, async (out) => {
                expect(out.portNames).to.deep.equal(["PhoneSystem-2-001", "PhoneSystem-2-002", "PhoneSystem-2-003", "PhoneSystem-2-004"]);
                expect(out.mwiOnCode).to.equal("*55");
            }, mode);
        });

        it(`https-network (two clusters, two connections)${mode === "native" ? " (native mode)" : ""}`, async () => {
            const p = projectOf("https-network");
            await roundTrip("https-network", {
                [`${p}:siteB`]: { value: b.url }, [`${p}:siteBUsername`]: { value: b.user }, [`${p}:siteBPassword`]: secret(b.password),
                [`${p}:siteBCaCert`]: { value: b.certPath! }, [`${p}:siteAUsername`]: { value: a.user }, [`${p}:siteAPassword`]: secret(a.password),
            }, 3, async (out) => {
                expect(out.links).to.deep.equal(["https://cuc-b.example.com/feeder", "https://cuc-a.example.com/feeder"]);
                expect((await direct.list(HttpsLink)).map((l) => l.SyncDistributionLists)).to.deep.equal([true]);
            }, mode);
        });

        it(`directory: users.csv beside the program, 20 users from a template with a default PIN, department lists${mode === "native" ? " (native mode)" : ""}`, async () => {
            const p = projectOf("directory");
            await roundTrip("directory", { [`${p}:defaultPin`]: secret(DIRECTORY_PIN) }, 29, async (out) => {
                // The stack, a partition, a search space, a COS, the template, 20 users, a contact, 3 lists.
                expect(out.userCount).to.equal(20);
                expect(out.distributionLists).to.deep.equal(["sales", "support", "management"]);
                const order = out.searchOrder as string[];
                expect(order).to.have.length(2);
                // The sales floor first, then the server's default partition (the built-in template's).
                const snapshot = a.store.snapshot();
                expect(order[1]).to.equal(snapshot.Partition!.find((x) => x.Undeletable)!.ObjectId);
                const users = await direct.list(User, { query: { column: "PartitionObjectId", op: "is", value: order[0] } });
                expect(users).to.have.length(20);
                // Each made from the template, with its default PIN (the simulator's stored credential; CUPI never returns it).
                const pins = new Map((snapshot.UserPin ?? []).map((r) => [String(r.UserObjectId), r.Credentials]));
                expect(users.map((u) => pins.get(String(u.ObjectId)))).to.deep.equal(users.map(() => DIRECTORY_PIN));
                const [sales] = await direct.list(DistributionList, { query: { column: "Alias", op: "is", value: "sales" } });
                const rows = await direct.list(DistributionListMember, { parentId: String(sales.ObjectId) });
                expect(rows.map((r) => String(r.Alias)).sort()).to.deep.equal(["acme-support", "asmith", "bnguyen", "cgarcia", "dkim", "eduval", "fhaddad", "gsilva", "hmeyer", "rmoreau", "tjohnson"]);
            }, mode);
        });

        it(`adopt-existing: takes over without a POST; protected, so destroy cannot delete production objects${mode === "native" ? " (native mode)" : ""}`, async () => {
            const p = projectOf("adopt-existing");
            const axl = await direct.create(AxlServer, { HostOrIPAddress: "cucm-pub", Port: 8443, Precedence: 0, CcmAXLUser: "axl", CcmAXLPassword: "Old-Axl" }, PS);
            if (mode === "dynamic") {
                const project = ws.example("adopt-existing");
                await project.stack({ url: a.url, user: a.user, password: a.password, certPath: a.certPath });
                await project.config({ [`${p}:axlServerId`]: axl, [`${p}:phoneSystemAxlCucmPubPassword`]: { secret: "Adopt-Axl-Secret" } });
                a.resetStats();
                const up = await project.ok("up", "--yes", "--skip-preview");
                expect(await project.lastChanges()).to.deep.equal({ create: 4 });
                expect(a.stats().byMethod.POST ?? 0).to.equal(0);
                expect(a.stats().byMethod.PUT ?? 0).to.equal(0);
                expect(up).to.contain(`adopted AxlServer cucm-pub (${axl})`);
                await project.ok("up", "--yes", "--skip-preview");
                expect(await project.lastChanges()).to.deep.equal({});
                const destroyed = await project.pulumi("destroy", "--yes", "--skip-preview");
                expect(destroyed.code).to.not.equal(0);
                expect(destroyed.stdout + destroyed.stderr).to.contain("protected");
                await project.ok("stack", "rm", "dev", "--force", "--yes"); // forget, keep the objects
                expect((await direct.get(AxlServer, axl, PS)).HostOrIPAddress).to.equal("cucm-pub");
                await direct.delete(AxlServer, axl, PS);
                return;
            }
            const t = await createStack({
                name: `adopt-existing-${mode}`, project: p, program: example("adopt-existing", mode),
                ...(mode === "native" ? { plugins: { providers: [{ name: "cuc", path: nativePluginDir() }] } } : {}),
                config: { ...cucConfig(a), [`${p}:axlServerId`]: { value: axl }, [`${p}:phoneSystemAxlCucmPubPassword`]: secret("Adopt-Axl-Secret") },
            });
            stacks.push(t);
            a.resetStats();
            const res = await t.stack.up({ onOutput: t.onOutput });
            expect(res.summary.resourceChanges).to.deep.equal({ create: 4 });
            expect(a.stats().byMethod.POST ?? 0).to.equal(0);
            expect(a.stats().byMethod.PUT ?? 0).to.equal(0);
            expect(t.log.join("")).to.contain(`adopted AxlServer cucm-pub (${axl})`);
            const again = await t.stack.up({ onOutput: t.onOutput });
            expect(changes(again.summary.resourceChanges)).to.deep.equal({});
            const destroyed = await t.stack.destroy({ onOutput: t.onOutput }).then(() => "destroyed", (e: Error) => e.message);
            expect(destroyed).to.contain("protected");
            await t.stack.workspace.removeStack("dev", { force: true }); // forget, keep the objects
            expect((await direct.get(AxlServer, axl, PS)).HostOrIPAddress).to.equal("cucm-pub");
            await direct.delete(AxlServer, axl, PS);
        });
    }
});
