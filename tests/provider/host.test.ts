/**
 * Every resource through Pulumi's own dynamic-provider host over gRPC, against the simulator:
 * Configure, Check, Diff, Create, Read, Update, Delete and refresh, in one loop over the
 * definitions, then the semantics that need a closer look.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CupiClient, resolveSettings } from "../../provider/client";
import { RESOURCES } from "../../provider/resources";
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
                if (def.autoName && mode === "minimal") expect(outs.displayName).to.match(new RegExp(`^${def.kind.toLowerCase()}-minimal-[0-9a-f]{7}$`));

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
            expect(String(e)).to.contain("lives on https://cuc-other.example.com").and.to.contain("refusing to touch another cluster");
        }
        await host.delete("PhoneSystem", id, outs);
    });

    it("PortGroupMwi restores the codes it found unless told not to; it never creates or deletes a group", async () => {
        s.resetStats();
        await direct.update(PortGroup, ctx.PortGroup, { MwiOnCode: "*1", MwiOffCode: "#1" });
        const inputs = (await host.check("PortGroupMwi", {}, { portGroupId: ctx.PortGroup, mwiOnCode: "678", mwiOffCode: "876" })).inputs;
        const { id, outs } = await host.create("PortGroupMwi", inputs);
        expect(outs).to.include({ previousMwiOnCode: "*1", previousMwiOffCode: "#1", mwiOnCode: "678", displayName: "PhoneSystem-1" });
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
            await other.configure({});
        } finally {
            expect(other.output.join("")).not.to.contain("Wrong-Pass-3");
            await other.close();
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
            expect((await host.diff("PhoneSystem", id, outs, { ...inputs, connection: { ...connection, password: "Rotated-1" } })).replaces).to.deep.equal([]);
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
