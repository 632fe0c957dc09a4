/**
 * A delete that fails is a failure, through Pulumi's dynamic-provider host: CUC's 400 for a phone
 * system that is still in use, a 403, a 5xx that outlasts the retries. The host's delete rejects
 * (so the engine keeps the resource in its state), the object is still on the server, and the
 * message names the object and the cause, without a password. A delete of an object that is
 * already gone succeeds.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { RESOURCES, type ResourceDef } from "../../provider/resources";
import { generateDataset, type Simulator } from "../../simulator";
import { raw, sim, withoutRefsTo } from "../helpers";
import { Host, type Props } from "../host";
import { contextOf, exampleInputs, type Context } from "./examples";

const UNKNOWN = "00000000-0000-4000-8000-000000000000";
const PASSWORD = "Delete-Fail-Pass-41";
const HELPDESK = { user: "helpdesk", password: "Help-Desk-Pass-42" };
const RETRIES = 2;
const DEFS = Object.values(RESOURCES);

describe("a failed delete is reported, through the dynamic-provider host", function () {
    this.timeout(60_000);
    let s: Simulator;
    let direct: CupiClient;
    let CTX: Context;
    const hosts: Host[] = [];
    /** Every secret these tests use: none may appear in an error or in the host's output. */
    const secrets = [PASSWORD, HELPDESK.password, ...DEFS.flatMap((d) => d.inputs.filter((f) => f.secret && typeof f.example === "string").map((f) => String(f.example)))];

    const start = async (target: Simulator, user = target.user, password = PASSWORD) => {
        const host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        hosts.push(host);
        await host.configure({ "cuc:server": target.url, "cuc:username": user, "cuc:password": password, "cuc:retries": String(RETRIES), "cuc:retryBaseMs": "5" });
        return host;
    };

    /** One object of each kind, made through the host with every example value. */
    async function makeAll(host: Host, suffix: string): Promise<{ def: ResourceDef; id: string; outs: Props }[]> {
        const made = [];
        for (const def of DEFS) {
            const checked = await host.check(def.kind, {}, exampleInputs(def, "full", CTX, suffix));
            expect(checked.failures, def.kind).to.deep.equal([]);
            made.push({ def, ...(await host.create(def.kind, checked.inputs)) });
        }
        return made;
    }

    /** The delete's error: it must reject. */
    const rejection = (p: Promise<void>) => p.then(() => expect.fail("the delete resolved: the engine would drop an object that is still on the server"), (e: Error) => e);

    /** The object is on the server as the resource left it (a PortGroupMwi: its codes were not put back). */
    async function expectStillThere(def: ResourceDef, id: string, outs: Props): Promise<void> {
        const { objectId, parentId } = def.parseId(id)!;
        const record = await def.ops.get(direct, objectId, parentId);
        expect(record, `${def.kind} ${id} is still on the server`).not.to.equal(undefined);
        for (const f of def.inputs) if (f.access === "rw" && !def.partOf.has(f.name) && outs[f.name] !== undefined) expect(record![f.cupi], `${def.kind}.${f.name}`).to.deep.equal(outs[f.name]);
    }

    const expectNoSecret = (text: string) => {
        for (const secret of secrets) expect(text).not.to.contain(secret);
        expect(text).not.to.contain(Buffer.from(`${s.user}:${PASSWORD}`).toString("base64"));
    };

    before(async () => {
        s = await sim({ password: PASSWORD, readOnlyUser: HELPDESK });
        direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD, retryBaseMs: 5 }, {}));
        CTX = await contextOf(s);
    });
    afterEach(async () => {
        await raw(s, "POST", "/__sim/faults", { auth: false, body: JSON.stringify({ failRate: 0 }), contentType: "application/json" });
    });
    after(async () => {
        for (const h of hosts) {
            expectNoSecret(h.output.join(""));
            await h.close();
        }
        direct.close();
        await s.close();
    });

    /** CUC's 400 for a phone system still in use: by users, or by port groups on a server that refuses rather than cascades (REFERENCE.md leaves it open). */
    const IN_USE = [
        { what: "its users still reference", options: {}, reason: "user(s) are associated with it" },
        { what: "still has port groups", options: { blockDeleteWithPortGroups: true, data: withoutRefsTo(generateDataset(), "PhoneSystem") }, reason: "port group(s); delete them first" },
    ];
    for (const { what, options, reason } of IN_USE) {
        it(`CUC's 400 for a phone system that ${what}: the delete fails naming it and the reason, and it stays`, async () => {
            const target = await sim({ password: PASSWORD, ...options });
            try {
                const host = await start(target);
                const { outs } = await host.read("PhoneSystem", CTX.PhoneSystem, {});
                const e = await rejection(host.delete("PhoneSystem", CTX.PhoneSystem, outs));
                expect(e.message).to.contain("cuc:PhoneSystem delete").and.to.contain(CTX.PhoneSystem).and.to.contain("HTTP 400").and.to.contain(reason);
                expectNoSecret(e.message);
                expect(target.store.render("PhoneSystem", CTX.PhoneSystem), "still on the server").to.include({ DisplayName: outs.displayName });
            } finally {
                await target.close();
            }
        });
    }

    it("403 (an account without the System Administrator role): every kind's delete fails saying so, and every object stays", async () => {
        const made = await makeAll(await start(s), "-forbidden");
        const helpdesk = await start(s, HELPDESK.user, HELPDESK.password);
        for (const { def, id, outs } of made) {
            const e = await rejection(helpdesk.delete(def.kind, id, outs));
            expect(e.message, def.kind).to.contain(`cuc:${def.kind} delete`).and.to.contain(def.parseId(id)!.objectId)
                .and.to.contain("HTTP 403").and.to.contain("needs the System Administrator role");
            expectNoSecret(e.message);
            await expectStillThere(def, id, outs);
        }
        // With the right account the same state deletes them.
        const admin = await start(s);
        for (const { def, id, outs } of made) await admin.delete(def.kind, id, outs);
    });

    it("a 5xx that outlasts the retries: every kind's delete fails with the status, after 1 + cuc:retries tries, and every object stays", async () => {
        const host = await start(s);
        const made = await makeAll(host, "-failing");
        await raw(s, "POST", "/__sim/faults", { auth: false, body: JSON.stringify({ failRate: 1 }), contentType: "application/json" });
        for (const { def, id, outs } of made) {
            s.resetStats();
            const e = await rejection(host.delete(def.kind, id, outs));
            expect(e.message, def.kind).to.contain(`cuc:${def.kind} delete`).and.to.contain(def.parseId(id)!.objectId).and.to.match(/HTTP 50[0234]/);
            expectNoSecret(e.message);
            // The delete's first request was sent 1 + retries times before giving up.
            expect(Object.values(s.stats().byRoute)[0], def.kind).to.equal(1 + RETRIES);
        }
        await raw(s, "POST", "/__sim/faults", { auth: false, body: JSON.stringify({ failRate: 0 }), contentType: "application/json" });
        for (const { def, id, outs } of made) await expectStillThere(def, id, outs);
        // The server is back: the next destroy finishes the job.
        for (const { def, id, outs } of made) await host.delete(def.kind, id, outs);
    });

    it("an object already gone (404) is deleted: the delete succeeds, twice", async () => {
        const host = await start(s);
        for (const { def, id, outs } of await makeAll(host, "-gone")) {
            const { objectId, parentId } = def.parseId(id)!;
            if (def.existing) {
                // A patch of an existing object: gone is its port group (restoring codes on a missing group).
                const ghost = { ...outs, [def.existing.input]: UNKNOWN };
                await host.delete(def.kind, UNKNOWN, ghost);
                await host.delete(def.kind, id, outs);
                continue;
            }
            await def.ops.remove(direct, objectId, outs, parentId); // outside Pulumi
            await host.delete(def.kind, id, outs);
            // An unjoined link is purged later; after that, every kind answers 404.
            await raw(s, "POST", "/__sim/purge", { auth: false });
            await host.delete(def.kind, id, outs);
            expect((await host.read(def.kind, id, outs)).id, def.kind).to.equal("");
        }
    });
});
