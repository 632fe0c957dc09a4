/**
 * Every resource through Pulumi's own dynamic-provider host over gRPC, against the simulator:
 * Configure, Check, Diff, Create, Read, Update, Delete and refresh, in one loop over the
 * definitions, then the semantics that need a closer look.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CupiClient, resolveSettings } from "../../provider/client";
import { makeProvider } from "../../provider/engine/provider";
import { autoNameField, RESOURCES } from "../../provider/resources";
import { PortGroup, PhoneSystem, ExternalService } from "../../provider/specs";
import type { Simulator } from "../../simulator";
import { FIXTURES, sim } from "../helpers";
import { Host, serializedProvider, type Props } from "../host";
import { unjoin } from "../../provider/resources/httpslink";
import { contextOf, exampleInputs, oneChange, type Context } from "./examples";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIM_PASSWORD = "Host-Test-Pass-77";

describe("providers through the dynamic-provider host", function () {
    this.timeout(60_000);
    let s: Simulator;
    let host: Host;
    let direct: CupiClient;
    /** The objects the examples hang off (the dataset's phone system and port group). */
    let ctx: Context;
    const config = () => ({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": SIM_PASSWORD });

    before(async () => {
        s = await sim({ password: SIM_PASSWORD });
        host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        await host.configure(config());
        direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: SIM_PASSWORD }, {}));
        ctx = await contextOf(s);
    });
    after(async () => {
        // Nothing a provider wrote may contain the password.
        expect(host.output.join("")).not.to.contain(SIM_PASSWORD);
        await host.close();
        direct.close();
        await s.close();
    });

    for (const def of Object.values(RESOURCES)) {
        for (const mode of ["minimal", "full"] as const) {
            it(`${def.kind} (${mode}): check, create, read, diff, update, refresh, delete`, async () => {
                const program = exampleInputs(def, mode, ctx, `-${mode}`);
                const requests = s.stats().requests;
                const checked = await host.check(def.kind, {}, program);
                expect(checked.failures, JSON.stringify(checked.failures)).to.deep.equal([]);
                expect(s.stats().requests, "check sends no request").to.equal(requests);

                const { id, outs } = await host.create(def.kind, checked.inputs);
                for (const [k, v] of Object.entries(checked.inputs)) expect(outs[k], `output ${k}`).to.deep.equal(v);
                expect(outs.cucServer).to.equal(s.url);
                if (def.autoName && mode === "minimal") expect(outs[def.spec.byCupi.get(autoNameField(def.spec))!.name]).to.match(new RegExp(`^${def.kind.toLowerCase()}-minimal-[0-9a-f]{7}$`));

                // Unchanged program: no diff. Refresh without drift: the same.
                expect(await host.diff(def.kind, id, outs, (await host.check(def.kind, outs, program)).inputs)).to.include({ changes: "none" });
                const refreshed = await host.read(def.kind, id, outs);
                expect(refreshed.id).to.equal(id);
                expect(refreshed.outs).to.deep.equal(outs);
                const again = await host.check(def.kind, refreshed.inputs, program);
                expect(await host.diff(def.kind, id, refreshed.outs, again.inputs)).to.include({ changes: "none" });

                // One field changed in place.
                const change = oneChange(def, checked.inputs);
                const news = (await host.check(def.kind, outs, { ...program, [change.key]: change.value })).inputs;
                const d = await host.diff(def.kind, id, outs, news);
                expect(d).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
                s.resetStats();
                const updated = await host.update(def.kind, id, outs, news);
                expect(updated[change.key]).to.deep.equal(change.value);
                expect(s.stats().byMethod).to.deep.equal({ PUT: 1, GET: 1 }); // PUT only the change, then GET

                await host.delete(def.kind, id, updated);
                const gone = await host.read(def.kind, id, updated);
                if (def.kind === "PortGroupMwi") {
                    // The port group stays; its codes are back to what they were.
                    expect(gone.id).to.equal(id);
                    expect(await direct.get(PortGroup, ctx.PortGroup)).to.include({ MwiOnCode: "", MwiOffCode: "" });
                } else {
                    expect(gone.id, "a deleted object is gone for read").to.equal("");
                }
            });
        }
    }

    describe("check", () => {
        it("tolerates unknown values during preview and sends no request", async () => {
            const requests = s.stats().requests;
            const cases: [string, Props][] = [
                ["AxlServer", { phoneSystemId: UNKNOWN, hostOrIpAddress: UNKNOWN, ccmAxlPassword: UNKNOWN }],
                ["ExternalService", { serverType: UNKNOWN, serviceAlias: "svc", servicePassword: UNKNOWN }],
                ["PhoneSystem", { displayName: UNKNOWN, connection: UNKNOWN }],
                ["HttpsLink", { remoteServer: UNKNOWN, remoteUsername: "admin", remotePassword: UNKNOWN, useSsl: UNKNOWN }],
                ["PortGroupMwi", { portGroupId: UNKNOWN, mwiOnCode: UNKNOWN }],
            ];
            // Every input of every kind unknown at once, as in a preview where everything comes from other resources.
            for (const def of Object.values(RESOURCES)) {
                const { __cucName: _name, ...full } = exampleInputs(def, "full", ctx);
                cases.push([def.kind, { ...Object.fromEntries(Object.keys(full).map((k) => [k, UNKNOWN])), connection: UNKNOWN }]);
            }
            expect(new Set(cases.map(([kind]) => kind))).to.deep.equal(new Set(Object.keys(RESOURCES)));
            for (const [kind, news] of cases) {
                const r = await host.check(kind, {}, news);
                expect(r.failures, kind).to.deep.equal([]);
                for (const [k, v] of Object.entries(news)) expect(r.inputs[k], `${kind}.${k}`).to.equal(v);
            }
            expect(s.stats().requests).to.equal(requests);
        });

        it("maps readable server types to CUPI's numbers", async () => {
            for (const [name, n] of [["Office 365", 5], ["exchange", 4], ["MeetingPlace", 1], ["Exchange/BPOS-D", 4]] as const) {
                const r = await host.check("ExternalService", {}, { serverType: name, serviceAlias: "a", servicePassword: "p", server: "s", transferExtensionDialString: n === 1 ? "1" : undefined, authenticationMode: n === 4 ? 1 : undefined, exchServerType: n === 4 ? 1 : undefined, securityTransportType: n === 4 ? 1 : undefined });
                expect(r.failures, name).to.deep.equal([]);
                expect(r.inputs.serverType).to.equal(n);
            }
            // Any case and spacing; an integer input without aliases still takes numbers only.
            for (const name of [" Office 365 ", "EXCHANGE ONLINE", "o365"]) {
                expect((await host.check("ExternalService", {}, { serverType: name, serviceAlias: "a", servicePassword: "p", server: "s" })).inputs.serverType, name).to.equal(5);
            }
            const words = await host.check("ExternalService", {}, { serverType: "exchange", serviceAlias: "a", servicePassword: "p", server: "s", authenticationMode: "ntlm", exchServerType: 1, securityTransportType: 1 });
            expect(words.failures).to.deep.equal([{ property: "authenticationMode", reason: 'authenticationMode must be one of 1 (Basic), 2 (Digest), 3 (NTLM), 4 (OAuth2), got "ntlm" (CUPI field AuthenticationMode)' }]);
        });

        it("names the fields a server type requires only once the type is known", async () => {
            const required = async (serverType: unknown) =>
                (await host.check("ExternalService", {}, { serverType, servicePassword: "p" })).failures.map((f) => f.property).sort();
            // serviceAlias is required for every type; server, authenticationMode... only for some.
            expect(await required(UNKNOWN)).to.deep.equal(["serviceAlias"]);
            expect(await required(4)).to.deep.equal(["authenticationMode", "exchServerType", "securityTransportType", "server", "serviceAlias"]);
            expect(await required(1)).to.deep.equal(["server", "serviceAlias", "transferExtensionDialString"]);
        });

        it("suggests the right spelling of a misspelt input, and nothing for an input it cannot place", async () => {
            const { failures } = await host.check("PhoneSystem", {}, { DisplayName: "x", colour: "red" });
            expect(failures).to.deep.equal([
                { property: "DisplayName", reason: "PhoneSystem has no input 'DisplayName'; did you mean 'displayName'?" },
                { property: "colour", reason: "PhoneSystem has no input 'colour'" },
            ]);
        });

        it("takes PortGroupMwi's restoreOnDelete as true or false, and nothing else", async () => {
            for (const restoreOnDelete of [true, false]) {
                expect((await host.check("PortGroupMwi", {}, { portGroupId: ctx.PortGroup, mwiOnCode: "1", restoreOnDelete })).failures, String(restoreOnDelete)).to.deep.equal([]);
            }
            expect((await host.check("PortGroupMwi", {}, { portGroupId: ctx.PortGroup, mwiOnCode: "1", restoreOnDelete: "no" })).failures)
                .to.deep.equal([{ property: "restoreOnDelete", reason: 'restoreOnDelete must be true or false, got "no"' }]);
        });

        it("never quotes a secret: a password of the wrong type, or pasted into another setting", async () => {
            const field = await host.check("AxlServer", {}, { phoneSystemId: ctx.PhoneSystem, hostOrIpAddress: "cucm.example.com", ccmAxlPassword: 86753091 });
            expect(field.failures).to.deep.equal([{ property: "", reason: "ccmAxlPassword must be a string, got a number (CUPI field CcmAXLPassword)" }]);
            const pasted = "Pasted-Conn-Pass-47";
            const conn = await host.check("PhoneSystem", {}, { displayName: "x", connection: { server: s.url, username: s.user, password: pasted, insecure: pasted } });
            expect(conn.failures).to.deep.equal([{ property: "connection.insecure", reason: 'connection.insecure must be a boolean, got "***"' }]);
            const numeric = await host.check("PhoneSystem", {}, { displayName: "x", connection: { server: s.url, username: s.user, password: 24681357 } });
            expect(numeric.failures).to.deep.equal([{ property: "connection.password", reason: "connection.password must be a string, got a number" }]);
            expect(host.output.join("")).not.to.contain(pasted).and.not.to.contain("24681357").and.not.to.contain("86753091");
        });

        it("refuses syncDistributionLists true -> false with an explanation", async () => {
            const olds = { remoteServer: "b", remoteUsername: "u", remotePassword: "p", syncDistributionLists: true };
            const r = await host.check("HttpsLink", olds, { ...olds, syncDistributionLists: false });
            expect(r.failures).to.have.length(1);
            expect(r.failures[0]).to.include({ property: "syncDistributionLists" });
            expect(r.failures[0].reason).to.contain("cannot be turned off once it is on");
            // useSsl false is fine after the join.
            expect((await host.check("HttpsLink", olds, { ...olds, useSsl: false })).failures).to.deep.equal([]);
        });

        it("keeps an auto-name across updates and makes a new one when olds are empty (replacement)", async () => {
            const first = await host.check("PhoneSystem", {}, { __cucName: "cluster" });
            const kept = await host.check("PhoneSystem", first.inputs, { __cucName: "cluster", mwiForceOff: true });
            expect(kept.inputs.displayName).to.equal(first.inputs.displayName);
            const fresh = await host.check("PhoneSystem", {}, { __cucName: "cluster" });
            expect(fresh.inputs.displayName).to.match(/^cluster-/).and.not.to.equal(first.inputs.displayName);
        });

        it("auto-names fit CUPI's 64 characters, fall back to the kind, and never rename an object named by the program", async () => {
            const long = "a-very-long-resource-name-".repeat(4);
            const cut = (await host.check("PhoneSystem", {}, { __cucName: long })).inputs.displayName as string;
            expect(cut).to.match(new RegExp(`^${long.slice(0, 55)}-[0-9a-f]{7}$`));
            expect((await host.check("PhoneSystem", {}, {})).inputs.displayName).to.match(/^phonesystem-[0-9a-f]{7}$/);
            // Named by the program before, now left out: CUPI keeps the name; nothing is generated.
            const named = await host.check("PhoneSystem", { displayName: "Chosen", objectId: "x" }, { __cucName: "cluster" });
            expect(named.inputs).to.not.have.property("displayName");
            expect(named.inputs).to.not.have.property("__autoNamed");
            // Auto-named state without its name (an interrupted create): a name is made again.
            const lost = await host.check("PhoneSystem", { __autoNamed: true, __cucName: "cluster", objectId: "x" }, { __cucName: "cluster" });
            expect(lost.inputs.displayName).to.match(/^cluster-[0-9a-f]{7}$/);
        });
    });

    describe("diff", () => {
        const exchange = (extra: Props = {}) => ({ serverType: 4, serviceAlias: "svc", servicePassword: "Svc-Pass-1", server: "mail", authenticationMode: 1, exchServerType: 1, securityTransportType: 1, ...extra });

        it("replaces on serverType; deletes first only when a chosen DisplayName would collide", async () => {
            const named = (await host.check("ExternalService", {}, exchange({ displayName: "UM" }))).inputs;
            const { id, outs } = await host.create("ExternalService", named);
            const o365 = { serverType: 5, serviceAlias: "svc", servicePassword: "Svc-Pass-1", server: "outlook.office365.com", displayName: "UM" };
            let d = await host.diff("ExternalService", id, outs, (await host.check("ExternalService", outs, o365)).inputs);
            expect(d).to.deep.equal({ changes: "some", replaces: ["serverType"], deleteBeforeReplace: true });
            d = await host.diff("ExternalService", id, outs, (await host.check("ExternalService", outs, { ...o365, displayName: "UM-2" })).inputs);
            expect(d.deleteBeforeReplace).to.equal(false);
            const auto = (await host.check("ExternalService", {}, { ...exchange(), __cucName: "um" })).inputs;
            const created = await host.create("ExternalService", auto);
            d = await host.diff("ExternalService", created.id, created.outs, (await host.check("ExternalService", created.outs, { ...o365, displayName: undefined, __cucName: "um" })).inputs);
            expect(d).to.deep.equal({ changes: "some", replaces: ["serverType"], deleteBeforeReplace: false });
            await host.delete("ExternalService", id, outs);
            await host.delete("ExternalService", created.id, created.outs);
        });

        it("replaces an AXL server moved to another phone system and a PortGroupMwi pointed at another group", async () => {
            const inputs = (await host.check("AxlServer", {}, { phoneSystemId: ctx.PhoneSystem, hostOrIpAddress: "cucm" })).inputs;
            const { id, outs } = await host.create("AxlServer", inputs);
            expect(id).to.equal(`${ctx.PhoneSystem}/${outs.objectId}`);
            const other = await direct.create(PhoneSystem, { DisplayName: "Other" });
            expect((await host.diff("AxlServer", id, outs, { ...inputs, phoneSystemId: other })).replaces).to.deep.equal(["phoneSystemId"]);
            expect((await host.diff("AxlServer", id, outs, { ...inputs, phoneSystemId: UNKNOWN })).replaces).to.deep.equal(["phoneSystemId"]);
            await host.delete("AxlServer", id, outs);
            const pg = { portGroupId: ctx.PortGroup, mwiOnCode: "1" };
            expect((await host.diff("PortGroupMwi", ctx.PortGroup, pg, { ...pg, portGroupId: "0a244d93-db1a-48b6-8bea-3dd091544dd1" })).replaces).to.deep.equal(["portGroupId"]);
        });

        it("a changed write-only password is an update that PUTs it; fields the program does not set never diff", async () => {
            const inputs = (await host.check("ExternalService", {}, exchange({ __cucName: "pw" }))).inputs;
            const { id, outs } = await host.create("ExternalService", inputs);
            // The server changed a field the program does not manage: not our business.
            await direct.update(ExternalService, String(outs.objectId), { ExchSite: "Elsewhere" });
            const refreshed = await host.read("ExternalService", id, outs);
            expect(await host.diff("ExternalService", id, refreshed.outs, inputs)).to.include({ changes: "none" });
            const news = { ...inputs, servicePassword: "Svc-Pass-2" };
            expect(await host.diff("ExternalService", id, refreshed.outs, news)).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
            s.resetStats();
            const updated = await host.update("ExternalService", id, refreshed.outs, news);
            expect(updated.servicePassword).to.equal("Svc-Pass-2");
            expect(s.stats().byMethod.PUT).to.equal(1);
            await host.delete("ExternalService", id, updated);
        });
    });

    describe("read", () => {
        it("shows drift made out of band, and returns the server's values as inputs", async () => {
            const program = { __cucName: "drift", mwiForceOff: true, callLoopGuardTimeMs: 3000 };
            const inputs = (await host.check("PhoneSystem", {}, program)).inputs;
            const { id, outs } = await host.create("PhoneSystem", inputs);
            await direct.update(PhoneSystem, id, { MwiForceOff: false, CallLoopGuardTimeMs: 4000 });
            const r = await host.read("PhoneSystem", id, outs);
            expect(r.outs).to.include({ mwiForceOff: false, callLoopGuardTimeMs: 4000 });
            expect(r.inputs).to.include({ mwiForceOff: false, callLoopGuardTimeMs: 4000, displayName: inputs.displayName });
            const d = await host.diff("PhoneSystem", id, r.outs, (await host.check("PhoneSystem", r.inputs, program)).inputs);
            expect(d.changes).to.equal("some");
            const fixed = await host.update("PhoneSystem", id, r.outs, inputs);
            expect(fixed).to.include({ mwiForceOff: true, callLoopGuardTimeMs: 3000 });
            // Deleted out of band: refresh drops it.
            await direct.delete(PhoneSystem, id);
            expect((await host.read("PhoneSystem", id, fixed)).id).to.equal("");
        });

        it("keeps write-only secrets from state and treats an unjoined link as gone", async () => {
            const inputs = (await host.check("HttpsLink", {}, { remoteServer: "cuc-r.example.com", remoteUsername: "admin", remotePassword: "Remote-Pass-9" })).inputs;
            const { id, outs } = await host.create("HttpsLink", inputs);
            const r = await host.read("HttpsLink", id, outs);
            expect(r.inputs).to.include({ remotePassword: "Remote-Pass-9", remoteServer: "cuc-r.example.com" });
            await unjoin(direct, id);
            expect((await host.read("HttpsLink", id, outs)).id).to.equal("");
        });

        it("reads by id alone, as Resource.get does, and rejects malformed ids", async () => {
            const r = await host.read("PhoneSystem", ctx.PhoneSystem, {});
            expect(r.outs).to.include({ displayName: "PhoneSystem", portCount: 8 });
            const axl = await direct.create(specsAxl(), { HostOrIPAddress: "cucm-get" }, ctx.PhoneSystem);
            const a = await host.read("AxlServer", `${ctx.PhoneSystem}/${axl}`, {});
            expect(a.outs).to.include({ hostOrIpAddress: "cucm-get", phoneSystemId: ctx.PhoneSystem });
            let err = await host.read("AxlServer", axl, {}).catch((e: Error) => e);
            expect(String(err)).to.contain("<phoneSystemId>/<axlServerObjectId>");
            err = await host.read("PhoneSystem", "Main", {}).catch((e: Error) => e);
            expect(String(err)).to.contain("is not a valid id for cuc:PhoneSystem");
        });
    });

    it("refuses to touch an object on another server than the configured one", async () => {
        const inputs = (await host.check("PhoneSystem", {}, { __cucName: "elsewhere" })).inputs;
        const { id, outs } = await host.create("PhoneSystem", inputs);
        const moved = { ...outs, cucServer: "https://cuc-other.example.com" };
        for (const op of [() => host.read("PhoneSystem", id, moved), () => host.delete("PhoneSystem", id, moved), () => host.update("PhoneSystem", id, moved, { ...inputs, mwiForceOff: true })]) {
            const e = await op().then(() => undefined, (x: Error) => x);
            expect(String(e)).to.contain("lives on https://cuc-other.example.com").and.to.contain("refusing to touch another cluster")
                .and.to.contain("Point cuc:server (or the resource's connection) back at https://cuc-other.example.com, or drop the resource from the state with `pulumi state delete`");
        }
        await host.delete("PhoneSystem", id, outs);
    });

    it("PortGroupMwi restores the codes it found unless told not to; it never creates or deletes a group", async () => {
        s.resetStats();
        await direct.update(PortGroup, ctx.PortGroup, { MwiOnCode: "*1", MwiOffCode: "#1" });
        const inputs = (await host.check("PortGroupMwi", {}, { portGroupId: ctx.PortGroup, mwiOnCode: "678", mwiOffCode: "876" })).inputs;
        const created = await host.create("PortGroupMwi", inputs);
        expect(created.outs).to.include({ previousMwiOnCode: "*1", previousMwiOffCode: "#1", mwiOnCode: "678", displayName: "PhoneSystem-1" });
        // An update keeps the codes to restore: they are the ones found before the first change.
        const outs = await host.update("PortGroupMwi", created.id, created.outs, { ...inputs, mwiOnCode: "679" });
        expect(outs).to.include({ previousMwiOnCode: "*1", previousMwiOffCode: "#1", mwiOnCode: "679" });
        const id = created.id;
        await host.delete("PortGroupMwi", id, outs);
        expect(await direct.get(PortGroup, ctx.PortGroup)).to.include({ MwiOnCode: "*1", MwiOffCode: "#1" });
        const keep = await host.create("PortGroupMwi", { ...inputs, restoreOnDelete: false });
        await host.delete("PortGroupMwi", keep.id, keep.outs);
        expect(await direct.get(PortGroup, ctx.PortGroup)).to.include({ MwiOnCode: "678", MwiOffCode: "876" });
        const missing = await host.create("PortGroupMwi", { portGroupId: "11111111-2222-4333-8444-555555555555", mwiOnCode: "1" }).catch((e: Error) => e);
        expect(String(missing)).to.contain("does not exist").and.to.contain("getPortGroup");
        expect(s.stats().byMethod.POST ?? 0).to.equal(0);
    });

    it("reports bad credentials clearly without the password, and needs a connection", async () => {
        const other = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            await other.configure({ ...config(), "cuc:password": "Wrong-Pass-3" });
            const e = await other.create("PhoneSystem", { displayName: "x" }).catch((x: Error) => x);
            expect(String(e)).to.contain("HTTP 401").and.to.contain("cuc:password").and.not.to.contain("Wrong-Pass-3");
            // Refresh and destroy may run with the password stored in state: only they say so.
            expect(String(e)).not.to.contain("--run-program");
            for (const op of [() => other.read("PhoneSystem", ctx.PhoneSystem, { displayName: "x" }), () => other.delete("PhoneSystem", ctx.PhoneSystem, { displayName: "x" })]) {
                const refused = String(await op().catch((x: Error) => x));
                expect(refused).to.contain("HTTP 401").and.to.contain("`pulumi refresh --run-program` / `pulumi destroy --run-program`");
                // In dynamic mode's words: another cluster is a resource's `connection`, not a provider.
                expect(refused).to.contain("(or the resource's `connection`)").and.not.to.contain("Provider");
            }
            await other.configure({});
        } finally {
            expect(other.output.join("")).not.to.contain("Wrong-Pass-3");
            await other.close();
        }
        // A bad value in the stack configuration is named when a kind's provider is configured (its first call).
        const bad = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            await bad.configure({ ...config(), "cuc:timeoutMs": "-5" });
            const e = await bad.create("PhoneSystem", { displayName: "x" }).catch((x: Error) => x);
            expect(String(e)).to.contain("the stack configuration is not usable: cuc:timeoutMs (CUC_TIMEOUT_MS) must be a number >= 1, got -5");
        } finally {
            await bad.close();
        }
        // A server value carrying credentials (not the configured password) is never quoted with them, from cuc:server or CUC_SERVER.
        const inUrl = "Host-Url-Secret-6";
        for (const [env, cfg] of [[{}, { "cuc:server": `https://admin:${inUrl}@cuc example.com` }], [{ CUC_SERVER: `admin:${inUrl}@cuc:99999` }, { "cuc:server": "" }]] as const) {
            const leaky = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "", ...env });
            try {
                await leaky.configure({ ...config(), ...cfg });
                const e = await leaky.create("PhoneSystem", { displayName: "x" }).catch((x: Error) => x);
                expect(String(e)).to.contain("cuc:server (CUC_SERVER)").and.not.to.contain(inUrl);
            } finally {
                expect(leaky.output.join("")).not.to.contain(inUrl);
                await leaky.close();
            }
        }
        const none = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            await none.configure({});
            const e = await none.create("PhoneSystem", { displayName: "x" }).catch((x: Error) => x);
            expect(String(e)).to.contain("cuc:server (CUC_SERVER)");
        } finally {
            await none.close();
        }
    });

    it("each error reaches the engine once: the host's own echo of it on stderr (`Error: <message>: `) is dropped", async () => {
        const other = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            const failures: string[] = [];
            const fail = (p: Promise<unknown>) => p.then(() => expect.fail("must fail"), (e: Error) => void failures.push(e.message));
            await other.configure({ ...config(), "cuc:password": "Echo-Wrong-Pass-1" });
            await fail(other.read("PhoneSystem", "not-an-id", {}));
            await fail(other.read("PhoneSystem", ctx.PhoneSystem, { displayName: "x" })); // a refused password
            await fail(other.create("PhoneSystem", { displayName: "x" }));
            const bad = await Host.start();
            try {
                await bad.configure({ ...config(), "cuc:timeoutMs": "-5" }); // the provider's own configure fails
                await fail(bad.create("PhoneSystem", { displayName: "x" }));
                expect(bad.output.join(""), "echo of the configure error").not.to.contain("stack configuration is not usable");
            } finally {
                await bad.close();
            }
            expect(failures).to.have.length(4);
            expect(failures.join("\n")).to.contain("is not a valid id").and.to.contain("HTTP 401").and.to.contain("stack configuration is not usable");
            const printed = other.output.join("");
            for (const f of failures.slice(0, 3)) expect(printed, "the host's echo").not.to.contain(f.slice(0, 60));
            expect(printed).not.to.match(/^Error: /m);
        } finally {
            await other.close();
        }
    });

    it("in the host's process, only that echo is dropped, once per error: every other line is written", async () => {
        const e = (await makeProvider(RESOURCES.PhoneSystem).read!("not-an-id", {}).catch((x: Error) => x)) as Error;
        expect(e.message).to.contain("is not a valid id");
        const echo = `${e}: ${e.stack}`;
        const written: string[] = [];
        const write = process.stderr.write;
        process.stderr.write = ((chunk: string | Uint8Array) => written.push(String(chunk)) > 0) as typeof process.stderr.write;
        try {
            console.error(echo, 2); // not what the dynamic host prints
            console.error(echo); // what it prints: dropped
            console.error(echo); // printed again later: not that echo any more
            console.error("another line", 2);
            console.error("one more line");
        } finally {
            process.stderr.write = write;
        }
        expect(written.join("")).to.equal(`${echo} 2\n${echo}\nanother line 2\none more line\n`);
    });

    it("a per-resource connection reaches a second cluster", async () => {
        const b = await sim({ password: "Site-B-Pass-5" });
        try {
            const connection = { server: b.url, username: b.user, password: "Site-B-Pass-5" };
            const inputs = (await host.check("PhoneSystem", {}, { __cucName: "siteb", connection })).inputs;
            const { id, outs } = await host.create("PhoneSystem", inputs);
            expect(outs.cucServer).to.equal(b.url);
            expect(b.stats().byMethod.POST).to.equal(1);
            const moved = { ...inputs, connection: { ...connection, server: s.url } };
            expect((await host.diff("PhoneSystem", id, outs, moved)).replaces).to.deep.equal(["connection"]);
            expect((await host.diff("PhoneSystem", id, outs, { ...inputs, connection: { ...connection, password: "Rotated-1" } }))).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
            // The same server written another way is the same cluster; the same connection is no change.
            expect((await host.diff("PhoneSystem", id, outs, { ...inputs, connection: { ...connection, server: b.url.toUpperCase().replace("HTTP", "http") + "/" } })).replaces).to.deep.equal([]);
            expect((await host.diff("PhoneSystem", id, outs, inputs)).changes).to.equal("none");
            // A connection not known yet may name another cluster: replace. One dropped is a change.
            for (const unknown of [UNKNOWN, { ...connection, server: UNKNOWN }]) {
                expect((await host.diff("PhoneSystem", id, outs, { ...inputs, connection: unknown })).replaces).to.deep.equal(["connection"]);
            }
            const { connection: _dropped, ...without } = inputs;
            expect((await host.diff("PhoneSystem", id, outs, without)).changes).to.equal("some");
            // State that does not say where the object lives (written before cucServer): never a replacement.
            const { cucServer: _where, ...legacy } = outs;
            expect((await host.diff("PhoneSystem", id, legacy, moved)).replaces).to.deep.equal([]);
            // An object on the configured cluster: a connection not known yet may still move it.
            const local = await host.create("PhoneSystem", (await host.check("PhoneSystem", {}, { __cucName: "sitea" })).inputs);
            expect((await host.diff("PhoneSystem", local.id, local.outs, { displayName: local.outs.displayName, connection: UNKNOWN })).replaces).to.deep.equal(["connection"]);
            await host.delete("PhoneSystem", local.id, local.outs);
            await host.delete("PhoneSystem", id, outs);
        } finally {
            expect(host.output.join("")).not.to.contain("Site-B-Pass-5");
            await b.close();
        }
    });

    describe("the serialized provider", () => {
        it("is a small shim with no credential", async () => {
            for (const kind of Object.keys(RESOURCES)) {
                const text = await serializedProvider(kind);
                expect(text.length, kind).to.be.below(4096);
                expect(text).to.contain('require("pulumi-cuc/provider")');
                expect(text).not.to.contain(SIM_PASSWORD).and.not.to.contain(s.url).and.not.to.contain("axios");
            }
        });

        it("an older serialized provider in state runs the installed implementation", async () => {
            // Written by pulumi-cuc 0.1.0 and kept verbatim: whatever the shim becomes, state
            // that holds this text must keep working with the code installed now.
            const old = fs.readFileSync(path.join(FIXTURES, "serialized-provider-0.1.0-PhoneSystem.js"), "utf8");
            const { id, outs } = await host.create("PhoneSystem", { displayName: "FromOldState", __provider: old } as Props);
            expect(outs).to.include({ displayName: "FromOldState", cucServer: s.url });
            await host.delete("PhoneSystem", id, { ...outs, __provider: old });
            expect(await direct.find(PhoneSystem, id)).to.equal(undefined);
        });
    });
});

function specsAxl() {
    return RESOURCES.AxlServer.spec;
}
