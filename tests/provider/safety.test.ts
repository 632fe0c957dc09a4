/**
 * Through Pulumi's dynamic-provider host: what a refresh with a rejected password costs, what a
 * create costs, what an edit of an object deleted out of band says, and auto-names that are the
 * same in preview and up.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { isRequired, onlyToCreate, RESOURCES, requiredInputs } from "../../provider/resources";
import { AxlServer, PhoneSystem } from "../../provider/specs";
import type { Simulator } from "../../simulator";
import { raw, sim } from "../helpers";
import { Host, type Props } from "../host";
import { contextOf, exampleInputs, secretValue, type Context } from "./examples";

const PASSWORD = "Safety-Pass-31";

describe("provider safety through the dynamic-provider host", function () {
    this.timeout(60_000);
    let s: Simulator;
    let direct: CupiClient;
    /** The objects the examples hang off (the dataset's phone system and port group). */
    let ctx: Context;
    const hosts: Host[] = [];
    const start = async (password = PASSWORD) => {
        const host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        hosts.push(host);
        await host.configure({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": password, "cuc:retryBaseMs": "5" });
        return host;
    };

    before(async () => {
        s = await sim({ password: PASSWORD });
        direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
        ctx = await contextOf(s);
    });
    after(async () => {
        for (const h of hosts) {
            expect(h.output.join("")).not.to.contain(PASSWORD).and.not.to.contain("Rotated-Pass-32");
            await h.close();
        }
        direct.close();
        await s.close();
    });

    it("a refresh of 200 resources with a rejected password makes 1 failed login, and says how to fix a rotation", async () => {
        const ids = await Promise.all(Array.from({ length: 200 }, (_, i) => direct.create(PhoneSystem, { DisplayName: `Rotation-${i}` })));
        s.resetStats();
        // The state still holds the old password: the server now has another one.
        const host = await start("Rotated-Pass-32");
        const results = await Promise.allSettled(ids.map((id) => host.read("PhoneSystem", id, { displayName: "x", __managed: ["displayName"] })));
        const errors = results.map((r) => (r.status === "rejected" ? String((r.reason as Error).message) : "ok"));
        expect(errors.filter((e) => e === "ok")).to.deep.equal([]);
        expect(s.stats()).to.include({ requests: 1, logins: 1, authFailures: 1 });
        expect(errors[0]).to.contain("cuc:password").and.to.contain("pulumi up").and.to.contain("--run-program");
        // The dynamic host cannot tell whether the program ran: the hint covers both cases.
        expect(errors[0]).to.contain("with the program run, the configured password itself was refused");
        await Promise.all(ids.map((id) => direct.delete(PhoneSystem, id)));
    });

    it("every create is one POST and one GET", async () => {
        const host = await start();
        // Definitions that manage an existing object (PortGroupMwi) make no POST.
        const creating = Object.values(RESOURCES).filter((d) => !d.existing);
        expect(creating.length).to.be.greaterThan(0);
        for (const def of creating) {
            const counts: Record<string, number>[] = [];
            for (const n of [1, 2]) {
                const inputs = (await host.check(def.kind, {}, exampleInputs(def, "minimal", ctx, `-cost${n}`))).inputs;
                s.resetStats();
                const { id, outs } = await host.create(def.kind, inputs);
                counts.push(s.stats().byMethod);
                await host.delete(def.kind, id, outs);
            }
            // What a create looks up (the system call handler template, this server's location) is asked once per run.
            expect(counts[1], def.kind).to.deep.equal({ POST: 1, GET: 1 });
            expect(counts[0].POST, def.kind).to.equal(1);
            expect(counts[0].GET, def.kind).to.be.within(1, 2);
        }
        // Said only when a create was interrupted and the object found (the one-POST tests).
        expect(host.output.join("")).not.to.contain("was interrupted");
    });

    it("an edit of an object deleted outside Pulumi says it is gone and how to recover", async () => {
        const host = await start();
        const inputs = (await host.check("AxlServer", {}, { phoneSystemId: ctx.PhoneSystem, hostOrIpAddress: "cucm-gone.example.com" })).inputs;
        const { id, outs } = await host.create("AxlServer", inputs);
        await direct.delete(AxlServer, String(outs.objectId), ctx.PhoneSystem);
        const e = await host.update("AxlServer", id, outs, { ...inputs, port: 8443 }).catch((err: Error) => err);
        expect(String(e)).to.contain(`AxlServer ${String(outs.objectId)} no longer exists on ${s.url}`)
            .and.to.contain("pulumi refresh").and.to.contain("pulumi up --refresh")
            .and.not.to.contain("DATA_EXCEPTION");
    });

    it("host fields take DNS names and IP addresses only, before any request", async () => {
        const host = await start();
        const before = s.stats().requests;
        const cases: [string, Props, string][] = [
            ["AxlServer", { phoneSystemId: ctx.PhoneSystem, hostOrIpAddress: "cucm pub!!" }, "hostOrIpAddress"],
            ["AxlServer", { phoneSystemId: ctx.PhoneSystem, hostOrIpAddress: "10.1.1.1", hostOrIpAddressV6: "10.1.1.1" }, "hostOrIpAddressV6"],
            ["ExternalService", { serverType: 5, serviceAlias: "svc", servicePassword: "Svc-Pass-1", server: "https://outlook.office365.com/" }, "server"],
            ["HttpsLink", { remoteServer: "cuc_b.example.com", remoteUsername: "admin", remotePassword: "Remote-Pass-1" }, "remoteServer"],
        ];
        for (const [kind, news, property] of cases) {
            const { failures } = await host.check(kind, {}, news);
            expect(failures.map((f) => f.property), kind).to.deep.equal([property]);
            expect(failures[0].reason).to.match(/is not (a DNS host name|an IPv6 address)/);
        }
        for (const good of ["cucm-pub.example.com", "10.105.255.1", "2001:db8::10", "CUCM1"]) {
            expect((await host.check("AxlServer", {}, { phoneSystemId: ctx.PhoneSystem, hostOrIpAddress: good })).failures, good).to.deep.equal([]);
        }
        expect(s.stats().requests).to.equal(before);
    });

    it("a bad secret value is reported without a property, so the engine cannot print the value with it", async () => {
        const host = await start();
        const secret = `Too-Long-${"x".repeat(70)}`;
        const { failures } = await host.check("AxlServer", {}, { phoneSystemId: ctx.PhoneSystem, hostOrIpAddress: "cucm.example.com", ccmAxlPassword: secret });
        expect(failures).to.have.length(1);
        expect(failures[0].property).to.equal("");
        expect(failures[0].reason).to.contain("ccmAxlPassword").and.not.to.contain(secret);
        // An existing object keeps its write-only values: an import or ignoreChanges may leave them out.
        const news = { phoneSystemId: ctx.PhoneSystem, hostOrIpAddress: "cucm.example.com" };
        expect((await host.check("ExternalService", { serverType: 5 }, { serverType: 5, serviceAlias: "svc", server: "outlook.office365.com" })).failures).to.deep.equal([]);
        expect((await host.check("AxlServer", { ...news, objectId: "x" }, news)).failures).to.deep.equal([]);
        expect((await host.check("ExternalService", {}, { serverType: 5, serviceAlias: "svc", server: "outlook.office365.com" })).failures.map((f) => f.property)).to.deep.equal(["servicePassword"]);
    });

    it("an input only a create needs (a write-only secret) is required to create, not of an existing or adopted object, as the SDK's types and the schema say", async () => {
        const host = await start();
        const cases = Object.values(RESOURCES).flatMap((def) => def.inputs.filter((f) => isRequired(def, f) && onlyToCreate(def, f)).map((f) => ({ def, f })));
        expect(cases.filter(({ f }) => f.secret).map(({ def, f }) => `${def.kind}.${f.name}`)).to.include.members(["ExternalService.servicePassword", "HttpsLink.remotePassword"]);
        for (const { def, f } of cases) {
            const what = `${def.kind}.${f.name}`;
            expect(requiredInputs(def), what).not.to.include(f.name);
            const { [f.name]: _left, ...program } = exampleInputs(def, "minimal", ctx, `-only-create-${f.name.toLowerCase()}`);
            const created = await host.check(def.kind, {}, program);
            expect(created.failures.map((x) => x.property), what).to.deep.equal([f.name]);
            expect(created.failures[0].reason, what).to.contain(`${f.name} is required to create the ${def.phrase}`).and.to.contain(`leave ${f.name} out`);
            if (f.secret) expect(created.failures[0].reason, what).to.contain(`config.requireSecret("${f.name}")`).and.to.contain(`\${${f.name}}`);
            // An object in the state (an import, an earlier up), or one adopted: nothing missing.
            expect((await host.check(def.kind, { ...program, objectId: "x" }, program)).failures, `${what} existing`).to.deep.equal([]);
            const adopt = def.makeId("035853ce-f4e6-4de2-bda2-84acf827a555", def.parent ? String(program[def.parent.input]) : undefined);
            expect((await host.check(def.kind, {}, { ...program, adopt })).failures, `${what} adopted`).to.deep.equal([]);
        }
    });

    it("an empty write-only secret (pulumi import's zero value) fails in check, naming the field: no POST, no PUT", async () => {
        const host = await start();
        const secrets = Object.values(RESOURCES).flatMap((def) => def.inputs.filter((f) => f.secret && f.access === "wo").map((f) => ({ def, f })));
        expect(secrets.map(({ def, f }) => `${def.kind}.${f.name}`)).to.include.members(["ExternalService.servicePassword", "AxlServer.ccmAxlPassword"]);
        const simStats = async () => JSON.parse((await raw(s, "GET", "/__sim/stats", { auth: false })).body) as { requests: number; byMethod: Record<string, number> };
        for (const { def, f } of secrets) {
            // A program where the field applies (ClientSecret: Office 365), with the object created.
            const program = { ...exampleInputs(def, "minimal", ctx, `-empty-${f.name.toLowerCase()}`, f.appliesTo?.[0]), [f.name]: secretValue(def, f, "Valid-1") };
            const checked = await host.check(def.kind, {}, program);
            expect(checked.failures, `${def.kind}.${f.name}`).to.deep.equal([]);
            const { id, outs } = await host.create(def.kind, checked.inputs);
            const before = await simStats();
            for (const empty of ["", "   "]) {
                // An update of the existing object, and a new one.
                for (const olds of [outs, {}]) {
                    const { failures } = await host.check(def.kind, olds, { ...program, [f.name]: empty });
                    expect(failures, `${def.kind}.${f.name} ${JSON.stringify(empty)}`).to.have.length(1);
                    expect(failures[0].reason).to.contain(`${f.name} is empty: CUPI would store an empty ${f.name === "clientSecret" ? "secret" : f.name === "pin" ? "PIN" : "password"}`).and.to.contain("pulumi config set --secret")
                        .and.to.contain(`config.requireSecret("${f.name}")`).and.to.contain(`\${${f.name}}`).and.to.contain(`leave ${f.name} out`);
                }
            }
            const after = await simStats();
            expect(after.byMethod.PUT ?? 0, `${def.kind}.${f.name}: no PUT`).to.equal(before.byMethod.PUT ?? 0);
            expect(after.requests, "check sends nothing").to.equal(before.requests);
            await host.delete(def.kind, id, outs);
        }
    });

    it("auto-names are the same in preview and up, differ per stack, and a replacement gets a fresh one", async () => {
        const scope = "org/proj/dev";
        const news = { __cucName: "cluster", __cucScope: scope };
        // Preview and up are separate processes: the same check gives the same name.
        const preview = (await (await start()).check("PhoneSystem", {}, news)).inputs.displayName;
        const host = await start();
        const up = (await host.check("PhoneSystem", {}, news)).inputs.displayName;
        expect(up).to.match(/^cluster-[0-9a-f]{7}$/).and.to.equal(preview);
        expect((await host.check("PhoneSystem", {}, { ...news, __cucScope: "org/proj/prod" })).inputs.displayName).not.to.equal(up);
        // A replacement: the engine checks with the olds (keeping the name), then again without.
        const olds = { ...news, displayName: up, __autoNamed: true };
        expect((await host.check("PhoneSystem", olds, { ...news, mwiForceOff: true })).inputs.displayName).to.equal(up);
        const replacement = (await host.check("PhoneSystem", {}, news)).inputs.displayName;
        expect(replacement).to.match(/^cluster-[0-9a-f]{7}$/).and.not.to.equal(up);
    });
});
