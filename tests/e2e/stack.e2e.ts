/**
 * End to end through the real Pulumi engine (the CLI built by scripts/pulumi-engine) against
 * simulators over HTTPS, verified with their CA files.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { CupiClient, resolveSettings } from "../../provider/client";
import { ExternalService, PhoneSystem, PortGroup } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { SECRET_SIG, walk, withoutSecrets } from "../helpers";
import { changesOf, createStack, cucConfig, pulumiCommand, type TestStack } from "../../scripts/automation";

/* eslint-disable @typescript-eslint/no-require-imports */
const cucModule = () => require("pulumi-cuc") as typeof import("../../sdk");
/* eslint-enable @typescript-eslint/no-require-imports */

const PG = "035853ce-f4e6-4de2-bda2-84acf827a555";
const PASSWORDS = { admin: "E2E-Admin-Pass-1", axl: "E2E-Axl-Secret-2", svc: "E2E-Svc-Secret-3", remote: "E2E-Remote-Secret-4", siteB: "E2E-SiteB-Pass-5" };
function expectNoPlaintext(text: string, what: string) {
    for (const p of Object.values(PASSWORDS)) expect(text, `${what} must not contain a password`).not.to.contain(p);
}

/** Counts of requests by method made to a simulator while `fn` runs. */
async function requestsDuring(s: Simulator, fn: () => Promise<unknown>): Promise<Record<string, number>> {
    s.resetStats();
    await fn();
    return s.stats().byMethod;
}

describe("end to end through the Pulumi engine", function () {
    this.timeout(120_000);
    let a: Simulator;
    let b: Simulator;
    let direct: CupiClient;
    const stacks: TestStack[] = [];

    before(async function () {
        this.timeout(20 * 60_000); // the first run builds the CLI from the Go module proxy
        await pulumiCommand();
        a = await startSimulator({ password: PASSWORDS.admin, seed: 11, unjoinPurgeMs: 60_000 });
        b = await startSimulator({ password: PASSWORDS.siteB, seed: 12 });
        direct = new CupiClient(resolveSettings({ server: a.url, username: a.user, password: PASSWORDS.admin, caCert: a.ca }, {}));
    });
    after(async () => {
        for (const t of stacks) {
            expectNoPlaintext(t.log.join(""), "the engine's output");
            // The dynamic-provider plugin sits beside the CLI (scripts/automation.ts cliRoot): no PATH warning.
            expect(t.log.join("")).not.to.contain("from $PATH");
            fs.rmSync(t.dir, { recursive: true, force: true });
        }
        direct?.close();
        await a?.close();
        await b?.close();
    });

    async function stackFor(name: string, program: () => Promise<Record<string, unknown>>, extra: Record<string, { value: string; secret?: boolean }> = {}): Promise<TestStack> {
        const t = await createStack({ name, program, config: { ...cucConfig(a), ...extra } });
        stacks.push(t);
        return t;
    }
    const up = (t: TestStack) => t.stack.up({ onOutput: t.onOutput });
    const changes = changesOf;

    describe("a phone system with AXL servers", () => {
        let t: TestStack;
        let mwiForceOff = true;
        let serverType: "Office 365" | "Exchange/BPOS-D" = "Office 365";

        before(async () => {
            t = await stackFor("basic", async () => {
                const cuc = cucModule();
                const ps = new cuc.PhoneSystem("cucm", { mwiForceOff, callLoopGuardTimeMs: 3000 });
                const pub = new cuc.AxlServer("pub", { phoneSystemId: ps.objectId, hostOrIpAddress: "cucm-pub", precedence: 0, ccmAxlUser: "axl", ccmAxlPassword: PASSWORDS.axl });
                const sub = new cuc.AxlServer("sub", { phoneSystemId: ps.objectId, hostOrIpAddress: "cucm-sub", precedence: 1, ccmAxlUser: "axl", ccmAxlPassword: PASSWORDS.axl });
                const um = new cuc.ExternalService("um", {
                    serverType, server: "outlook.office365.com", serviceAlias: "svc", servicePassword: PASSWORDS.svc,
                    ...(serverType === "Exchange/BPOS-D" ? { server: "mail.example.com", authenticationMode: 3, exchServerType: 1, securityTransportType: 1 } : {}),
                });
                return { phoneSystemId: ps.objectId, pub: pub.id, sub: sub.id, axlPassword: pub.ccmAxlPassword, um: um.displayName };
            });
        });

        it("preview of a fresh stack: unknown ids flow from PhoneSystem into AxlServer", async () => {
            const events: EngineEvent[] = [];
            const before = a.stats().requests;
            const pv = await t.stack.preview({ onOutput: t.onOutput, onEvent: (e) => events.push(e) });
            expect(pv.changeSummary).to.deep.equal({ create: 5 });
            const axl = events.find((e) => e.resourcePreEvent?.metadata.type === "pulumi-nodejs:dynamic/cuc:AxlServer")!;
            expect(axl.resourcePreEvent!.metadata.new!.inputs.phoneSystemId).to.equal("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
            expect(a.stats().requests, "preview of creates sends no request").to.equal(before);
        });

        it("up, refresh with no drift, a second up with no changes", async () => {
            const res = await up(t);
            expect(res.summary.resourceChanges).to.deep.equal({ create: 5 });
            expect(res.outputs.axlPassword.secret).to.equal(true);
            const psId = res.outputs.phoneSystemId.value as string;
            expect(await direct.get(PhoneSystem, psId)).to.include({ MwiForceOff: true, CallLoopGuardTimeMs: 3000 });
            const refresh = await t.stack.refresh({ onOutput: t.onOutput });
            expect(changes(refresh.summary.resourceChanges)).to.deep.equal({});
            const again = await up(t);
            expect(changes(again.summary.resourceChanges)).to.deep.equal({});
        });

        it("an in-place update sends one PUT; a replacement one POST and one DELETE", async () => {
            mwiForceOff = false;
            let methods = await requestsDuring(a, () => up(t));
            expect(methods).to.deep.equal({ PUT: 1, GET: 1 });
            serverType = "Exchange/BPOS-D";
            methods = await requestsDuring(a, async () => {
                const res = await up(t);
                expect(changes(res.summary.resourceChanges)).to.deep.equal({ replace: 1 });
            });
            expect(methods).to.deep.equal({ POST: 1, GET: 1, DELETE: 1 });
            expect((await direct.list(ExternalService)).map((e) => e.ServerType)).to.deep.equal([4]);
        });

        it("drift made out of band shows in refresh and up puts it back; an object deleted out of band is dropped and recreated", async () => {
            const state = await t.stack.outputs();
            const psId = state.phoneSystemId.value as string;
            await direct.update(PhoneSystem, psId, { CallLoopGuardTimeMs: 9000 });
            let refresh = await t.stack.refresh({ onOutput: t.onOutput });
            expect(changes(refresh.summary.resourceChanges)).to.deep.equal({ update: 1 });
            let res = await up(t);
            expect(changes(res.summary.resourceChanges)).to.deep.equal({ update: 1 });
            expect((await direct.get(PhoneSystem, psId)).CallLoopGuardTimeMs).to.equal(3000);
            const [um] = await direct.list(ExternalService);
            await direct.delete(ExternalService, String(um.ObjectId));
            refresh = await t.stack.refresh({ onOutput: t.onOutput });
            expect(changes(refresh.summary.resourceChanges)).to.deep.equal({ delete: 1 });
            res = await up(t);
            expect(changes(res.summary.resourceChanges)).to.deep.equal({ create: 1 });
            expect(await direct.list(ExternalService)).to.have.length(1);
        });

        it("secrets: the exported stack holds no plaintext password outside secret envelopes; the state file none at all", async () => {
            const exported = await t.stack.exportStack();
            expectNoPlaintext(JSON.stringify(withoutSecrets(exported)), "the exported stack");
            const text = JSON.stringify(exported);
            expect(text).to.contain(SECRET_SIG); // the passwords are there, as secrets
            for (const file of walk(path.join(t.dir, "state"))) expectNoPlaintext(fs.readFileSync(file, "utf8"), file);
            const resources = (exported.deployment as { resources: { type: string; outputs?: Record<string, unknown> }[] }).resources;
            const axl = resources.find((r) => r.type === "pulumi-nodejs:dynamic/cuc:AxlServer")!;
            expect((axl.outputs!.ccmAxlPassword as Record<string, unknown>)[SECRET_SIG]).to.be.a("string");
            expect(String(axl.outputs!.__provider)).not.to.contain(PASSWORDS.admin);
        });

        it("destroy removes everything it created", async () => {
            await t.destroy();
            expect(await direct.list(PhoneSystem)).to.have.length(1);
            expect(await direct.list(ExternalService)).to.deep.equal([]);
        });
    });

    it("two clusters joined by HTTPS links, a port-group MWI patch restored on destroy, data sources feeding resources, adoption", async () => {
        const before = JSON.parse(JSON.stringify(a.store.snapshot()));
        const existing = await direct.create(PhoneSystem, { DisplayName: "Existing CUCM", MwiAlwaysUpdate: true });
        const t = await stackFor("network", async () => {
            const cuc = cucModule();
            const siteB = { server: b.url, username: b.user, password: PASSWORDS.siteB, caCert: b.ca };
            const aToB = new cuc.HttpsLink("a-to-b", { remoteServer: "cuc-b.example.com", remoteUsername: "admin", remotePassword: PASSWORDS.remote, acceptSelfSignedCertificates: true, displayName: "Site B" });
            const bToA = new cuc.HttpsLink("b-to-a", { remoteServer: "cuc-a.example.com", remoteUsername: "admin", remotePassword: PASSWORDS.remote, connection: siteB });
            const group = cuc.getPortGroupOutput({ displayName: "PhoneSystem-1" });
            const mwi = new cuc.PortGroupMwi("mwi", { portGroupId: group.objectId, mwiOnCode: "*55", mwiOffCode: "#55" });
            const adopted = new cuc.PhoneSystem("existing", { adopt: existing, displayName: "Existing CUCM", mwiAlwaysUpdate: true }, { retainOnDelete: true });
            return { aToB: aToB.cucServer, bToA: bToA.cucServer, mwi: mwi.previousMwiOnCode, adopted: adopted.objectId };
        });
        const methods = await requestsDuring(a, async () => {
            const res = await up(t);
            expect(res.summary.resourceChanges).to.deep.equal({ create: 5 });
            expect(res.outputs.aToB.value).to.equal(a.url);
            expect(res.outputs.bToA.value).to.equal(b.url);
            expect(res.outputs.adopted.value).to.equal(existing);
        });
        expect(methods.POST, "one autojoin on site A; adoption posts nothing").to.equal(1);
        expect(t.log.join("")).to.contain("adopted PhoneSystem Existing CUCM");
        expect(b.stats().byMethod.POST).to.equal(1);
        expect((await direct.get(PortGroup, PG)).MwiOnCode).to.equal("*55");
        expect((await direct.get(PhoneSystem, existing)).DisplayName).to.equal("Existing CUCM");
        const again = await up(t);
        expect(changes(again.summary.resourceChanges)).to.deep.equal({});
        await t.destroy();
        // retainOnDelete kept the adopted system; remove it out of band to compare with the start.
        await direct.delete(PhoneSystem, existing);
        a.store.purgeUnjoined(); // the unjoined link's clean-up task, now
        b.store.purgeUnjoined();
        expect(a.store.snapshot()).to.deep.equal(before);
        expect(await direct.get(PortGroup, PG)).to.include({ MwiOnCode: "", MwiOffCode: "" });
    });
});

