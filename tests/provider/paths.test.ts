/**
 * The paths of engine/provider.ts that a run takes rarely, through the in-process providers
 * against the simulator over HTTP behind a recording proxy (which, where a test needs it, answers
 * as CUC would in a state the simulator is not in): another server under an existing resource, a
 * create that meets the object an interrupted run made, a read back that fails, a delete CUPI
 * refuses, and the words of configure and check.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { encodeCollection, encodeErrors } from "../../provider/client/codec";
import { providers } from "../../provider";
import { setLogSink } from "../../provider/engine/provider";
import { UNKNOWN } from "../../provider/engine/values";
import { SPECS } from "../../provider/specs";
import type { Simulator } from "../../simulator";
import { recordingProxy, sim, type ProxyHooks, type Seen } from "../helpers";

const PASSWORD = "Paths-Admin-Pass-26";
const A = "https://cuc-a.example.com";
const B = "https://cuc-b.example.com";
type Props = Record<string, unknown>;

/** CUPI's 400 with one error, as the client reads it. */
const refusal = (message: string) => ({ status: 400, body: encodeErrors([{ code: "DATA_EXCEPTION", message }], "json") });

describe("the provider's rare paths (engine/provider.ts)", function () {
    this.timeout(30_000);
    let s: Simulator;
    let direct: CupiClient;
    const open: { close(): unknown }[] = [];
    const logs: string[] = [];
    let restore: ReturnType<typeof setLogSink>;
    let n = 0;

    /** A connection through a fresh recording proxy with `hooks`; `sent` lists what reached it as `METHOD path`. */
    async function through(hooks: ProxyHooks = {}) {
        const proxy = await recordingProxy(s.url, hooks);
        open.push(proxy);
        const connection = { server: proxy.url, username: s.user, password: PASSWORD, retries: 0, format: "json" };
        const sent = (method?: string) => proxy.seen.filter((r) => !method || r.method === method).map((r) => `${r.method} ${r.path.replace(/^\/vmrest/, "").replace(/\?.*/, "")}`);
        return { connection, sent, origin: proxy.url };
    }
    /** Check, then create, as the engine does. */
    async function create(kind: string, args: Props) {
        const checked = await providers[kind].check!({}, args);
        expect(checked.failures ?? []).to.deep.equal([]);
        return providers[kind].create(checked.inputs);
    }
    const failure = (p: Promise<unknown>) => p.then(() => expect.fail("it succeeded"), (e: Error & Props) => e);
    const alias = (what: string) => `paths-${what}-${++n}`;

    before(async () => {
        s = await sim({ password: PASSWORD });
        direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
        restore = setLogSink((m) => void logs.push(m));
    });
    beforeEach(() => void (logs.length = 0));
    after(async () => {
        setLogSink(restore);
        for (const x of open) await x.close();
        direct?.close();
        await s?.close();
    });

    describe("another server under an existing resource", () => {
        afterEach(async () => {
            for (const kind of ["User", "Partition"]) await providers[kind].configure!({ config: new Map(), args: [] } as never);
        });
        const configure = (kind: string, config: Record<string, string>) => providers[kind].configure!({ config: new Map(Object.entries(config)), args: [] } as never);

        it("the stack's server changed: the plan is refused, naming both servers and, for what holds data, what would be lost", async () => {
            await configure("User", { "cuc:server": B, "cuc:username": "admin", "cuc:password": "Other-Pass-1" });
            const olds = { alias: "moved-user", objectId: "x", cucServer: A, __managed: ["alias"] };
            const e = await failure(providers.User.diff!("x", olds, { alias: "moved-user" }));
            expect(e.message).to.equal(
                `cuc:User diff: this User (moved-user) lives on ${A}, but the configuration now points at ${B}: Pulumi would delete it there to create it here, ` +
                    "and with it the mailbox and every message in it. Point cuc:server (or the provider's server) back, use another stack for the other server, or `pulumi state delete` the resource",
            );
            await configure("Partition", { "cuc:server": B, "cuc:username": "admin", "cuc:password": "Other-Pass-1" });
            const p = await failure(providers.Partition.diff!("x", { name: "moved", objectId: "x", cucServer: A, __managed: ["name"] }, { name: "moved" }));
            expect(p.message).to.contain("Pulumi would delete it there to create it here. Point cuc:server");
        });

        it("the same server is no refusal, and the same name in another spelling of the server neither", async () => {
            await configure("Partition", { "cuc:server": `${A.toUpperCase()}/`, "cuc:username": "admin", "cuc:password": "Other-Pass-1" });
            const d = await providers.Partition.diff!("x", { name: "same", objectId: "x", cucServer: A, __managed: ["name"] }, { name: "same" });
            expect(d.changes).to.equal(false);
        });

        it("a connection not known yet replaces what holds no data, never a user", async () => {
            const connection = { server: A, username: "admin", password: "Pass-1" };
            const olds = (more: Props) => ({ connection, objectId: "x", cucServer: A, ...more });
            const user = await providers.User.diff!("x", olds({ alias: "u", __managed: ["alias"] }), { alias: "u", connection: UNKNOWN });
            expect(user.replaces).to.deep.equal([]);
            expect(user.changes).to.equal(true);
            const part = await providers.Partition.diff!("x", olds({ name: "p", __managed: ["name"] }), { name: "p", connection: UNKNOWN });
            expect(part.replaces).to.deep.equal(["connection"]);
        });

        it("check refuses to move a user to another server, with what it holds; new credentials for the same server pass", async () => {
            const olds = { alias: "u", objectId: "x", cucServer: A, __managed: ["alias"] };
            const moved = await providers.User.check!(olds, { alias: "u", dtmfAccessId: "1234", connection: { server: B, username: "admin", password: "Pass-1" } });
            expect(moved.failures).to.deep.equal([{
                property: "connection",
                reason: `this User lives on ${A} and holds the mailbox and every message in it: it cannot move to ${B} (a new one there, and the old one deleted, would lose it). ` +
                    "Point the connection back, or make a new resource for the other server",
            }]);
            const same = await providers.User.check!(olds, { alias: "u", dtmfAccessId: "1234", connection: { server: A, username: "other", password: "Pass-2" } });
            expect(same.failures ?? []).to.deep.equal([]);
        });

        it("a stack configuration that cannot be used is named at configure", async () => {
            const e = await failure(configure("User", { "cuc:server": A, "cuc:retries": "-3", "cuc:timeoutMs": "soon" }));
            expect(e.message).to.equal(
                'cuc:User: the stack configuration is not usable: cuc:timeoutMs (CUC_TIMEOUT_MS) must be a number, got "soon"; cuc:retries (CUC_RETRIES) must be a whole number >= 0, got -3',
            );
            expect(e.stack).to.equal("");
        });
    });

    describe("inputs whose change is no change", () => {
        const olds = { alias: "inert", objectId: "x", cucServer: A, pin: "135791", pinMustChange: false, templateAlias: "voicemailusertemplate", __managed: ["alias", "pin", "pinMustChange", "templateAlias"] };

        it("a flag written only with its secret is said once, and written when the secret changes", async () => {
            const alone = await providers.User.diff!("x", olds, { ...olds, pinMustChange: true });
            expect(alone.changes).to.equal(false);
            expect(logs).to.deep.equal(["cuc:User inert: pinMustChange is written only with pin: it takes effect the next time pin changes (no change)"]);
            logs.length = 0;
            const both = await providers.User.diff!("x", olds, { ...olds, pin: "246802", pinMustChange: true });
            expect(both.changes).to.equal(true);
            expect(logs).to.deep.equal(["cuc:User inert: changes the secret pin (which the preview does not show)"]);
        });

        it("a changed secret is named in the dynamic host, whose preview cannot show it; the native host shows it itself", async () => {
            const d = await providers.User.diff!("x", olds, { ...olds, pin: "246802" });
            expect(d.changes).to.equal(true);
            expect(logs).to.deep.equal(["cuc:User inert: changes the secret pin (which the preview does not show)"]);
            expect(logs.join("\n")).not.to.contain("246802");
            logs.length = 0;
            await providers.User.diff!("x", { ...olds, webPassword: "Web-Pass-1" }, { ...olds, pin: "246802", webPassword: "Web-Pass-2" });
            expect(logs).to.deep.equal(["cuc:User inert: changes the secret pin and webPassword (which the preview does not show)"]);
            logs.length = 0;
            await providers.User.configure!({ config: new Map(), args: [], source: "program" } as never);
            try {
                expect((await providers.User.diff!("x", olds, { ...olds, pin: "246802" })).changes).to.equal(true);
                expect(logs).to.deep.equal([]);
            } finally {
                await providers.User.configure!({ config: new Map(), args: [] } as never);
            }
        });

        it("an input used only at creation is said to be no change", async () => {
            const d = await providers.User.diff!("x", olds, { ...olds, templateAlias: "other-template" });
            expect(d.changes).to.equal(false);
            expect(logs).to.deep.equal(["cuc:User inert: templateAlias is used only when the user is created (no change)"]);
        });
    });

    it("a number where digits are wanted is taken with a warning, naming the field and the resource, never a PIN's digits", async () => {
        const levels: string[] = [];
        const inner = setLogSink((m, level) => void (logs.push(m), levels.push(level)));
        try {
            const r = await providers.User.check!({}, { connection: { server: A, username: "admin", password: "Pass-1" }, alias: "yaml-user", dtmfAccessId: 2562, pin: 7719 });
            expect(r.failures ?? []).to.deep.equal([]);
            expect(r.inputs).to.include({ dtmfAccessId: "2562", pin: "7719" });
        } finally {
            setLogSink(inner);
        }
        const why = "; if the program writes it unquoted, quote it: Pulumi YAML reads a number with a leading zero as octal (012345 is 5349) or drops the zero";
        expect(logs).to.deep.equal([
            `cuc:User yaml-user: dtmfAccessId came as a number and is taken as the digits "2562"${why}`,
            `cuc:User yaml-user: pin came as a number and is taken as the digits it shows${why}`,
        ]);
        expect(levels).to.deep.equal(["warning", "warning"]);
        expect(logs.join("\n")).not.to.contain("7719");
        logs.length = 0;
        await providers.User.check!({}, { connection: { server: A, username: "admin", password: "Pass-1" }, alias: "yaml-user", dtmfAccessId: "2562", pin: "012345" });
        expect(logs, "text is taken as it is, silently").to.deep.equal([]);
    });

    describe("against the simulator", () => {
        it("an update writes the changed part and its outputs say the new value, the others what they were", async () => {
            const { connection } = await through();
            const a = alias("quota");
            const made = await create("User", { connection, alias: a, dtmfAccessId: String(46000 + n), receiveQuota: 2048 * 1024, sendQuota: 1024 * 1024 });
            const news = { ...made.outs, receiveQuota: 4096 * 1024 };
            const checked = await providers.User.check!(made.outs!, news);
            const up = await providers.User.update!(made.id, made.outs!, checked.inputs);
            expect(up.outs!.receiveQuota).to.equal(4096 * 1024);
            expect(up.outs!.sendQuota).to.equal(1024 * 1024);
            const back = await direct.get(SPECS.UserMailbox, "", String(made.outs!.objectId));
            expect(Number(back.ReceiveQuota)).to.equal(4096 * 1024);
        });

        it("a new object that cannot be read back is reported with its id, for the next up to finish", async () => {
            let created = "";
            const { connection, origin } = await through({
                answer: (r: Seen) => (created && r.method === "GET" && r.path === `/vmrest/partitions/${created}` ? { status: 404, body: encodeErrors([{ code: "NOT_FOUND", message: "partition not found" }], "json") } : undefined),
                rewriteAnswer: (r: Seen, body: string) => {
                    if (r.method === "POST" && r.path.startsWith("/vmrest/partitions")) created ||= body.replace(/^.*\//, "").trim();
                    return body;
                },
            });
            const e = await failure(create("Partition", { connection, name: alias("unread") }));
            expect(e.message).to.equal(`cuc:Partition create: created ${created}, but could not finish: created ${created} on ${origin}, but it cannot be read back`);
            expect(e.id).to.equal(created);
        });

        it("an object gone between an update's write and its read back is named, with pulumi refresh", async () => {
            const l = alias("list");
            const id = await direct.create(SPECS.DistributionList, { Alias: l, DisplayName: "Paths list" });
            let asked = 0;
            // The list's path is asked for twice: PUT, then GET. The read back asks for an object that is not there.
            const { connection, origin } = await through({
                rewritePath: (p) => (p.startsWith(`/vmrest/distributionlists/${id}`) && !p.includes("?") && ++asked === 2 ? p.replace(id, "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f") : p),
            });
            const olds = { connection, alias: l, displayName: "Paths list", objectId: id, cucServer: origin, __managed: ["alias", "displayName"] };
            const e = await failure(providers.DistributionList.update!(id, olds, { ...olds, displayName: "Paths renamed" }));
            expect(e.message).to.equal(`cuc:DistributionList update: ${id} disappeared from ${origin} during the update; run \`pulumi refresh\``);
        });

        it("a refresh shows a member added outside Pulumi, in the outputs and the inputs", async () => {
            const { connection } = await through();
            const u1 = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("m"), DtmfAccessId: String(46100 + n) });
            const u2 = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("m"), DtmfAccessId: String(46100 + n) });
            const made = await create("DistributionList", { connection, alias: alias("drift"), users: [u1] });
            await direct.create(SPECS.DistributionListMember, { MemberUserObjectId: u2 }, String(made.outs!.objectId));
            const r = await providers.DistributionList.read!(made.id, made.outs);
            expect([...(r.props!.users as string[])].sort()).to.deep.equal([u1, u2].sort());
            expect([...(r.inputs!.users as string[])].sort()).to.deep.equal([u1, u2].sort());
        });

        it("a new list's members are added without reading them first; a failed read back reports the members as applied", async () => {
            const u1 = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("m"), DtmfAccessId: String(46200 + n) });
            let created = "";
            const { connection, sent } = await through({
                // The read back of the new list is refused (a 403 is not retried).
                answer: (r: Seen) => (created && r.method === "GET" && r.path === `/vmrest/distributionlists/${created}` ? { status: 403, body: "{}" } : undefined),
                rewriteAnswer: (r: Seen, body: string) => {
                    if (r.method === "POST" && r.path.startsWith("/vmrest/distributionlists")) created ||= body.replace(/^.*\//, "").trim();
                    return body;
                },
            });
            const e = await failure(create("DistributionList", { connection, alias: alias("partial"), users: [u1] }));
            expect(e.message).to.match(/^cuc:DistributionList create: created \S+, but could not finish: /);
            expect(e.id).to.equal(created);
            expect(e.properties).to.include({ objectId: created });
            expect((e.properties as Props).users).to.deep.equal([u1]);
            expect(sent("GET").filter((x) => x.includes("/distributionlistmembers")), "no read of a new list's members").to.deep.equal([]);
        });

        it("a create that meets the object an interrupted run made with the same values takes it over, says so, and adds only missing members", async () => {
            const { connection, sent } = await through();
            const l = alias("again");
            const u1 = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("m"), DtmfAccessId: String(46300 + n) });
            const u2 = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("m"), DtmfAccessId: String(46300 + n) });
            const id = await direct.create(SPECS.DistributionList, { Alias: l, DisplayName: "Made before" });
            await direct.create(SPECS.DistributionListMember, { MemberUserObjectId: u1 }, id);
            const made = await create("DistributionList", { connection, alias: l, displayName: "Made before", users: [u1, u2] });
            expect(made.outs!.objectId).to.equal(id);
            expect(logs.filter((m) => /already exists|interrupted/.test(m))).to.deep.equal([
                `cuc:DistributionList: distribution list ${l} (${id}) already exists with the program's values, made by a run that did not save its state: taking it over`,
                `cuc:DistributionList: the create request was interrupted; found ${l} (${id}) on the server and kept it instead of creating a duplicate`,
            ]);
            expect(sent("POST").filter((x) => x.includes("/distributionlistmembers")), "one member added, the other was there").to.have.length(1);
            const members = await direct.list(SPECS.DistributionListMember, { parentId: id });
            expect(members.map((m) => m.MemberUserObjectId).sort()).to.deep.equal([u1, u2].sort());
        });

        it("a user made before with the program's values is taken over although the template (used only at creation) is not on the record", async () => {
            const { connection } = await through();
            const a = alias("user-again");
            const ext = String(46400 + n);
            const id = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: a, DtmfAccessId: ext });
            const made = await create("User", { connection, alias: a, dtmfAccessId: ext, templateAlias: "voicemailusertemplate", receiveQuota: 3072 * 1024 });
            expect(made.outs!.objectId).to.equal(id);
            expect(Number((await direct.get(SPECS.UserMailbox, "", id)).ReceiveQuota), "the part is written on the one taken over").to.equal(3072 * 1024);
        });

        it("a service made by a run that lost its state is taken over although CUPI never returns its password", async () => {
            const { connection } = await through();
            const args = { connection, displayName: alias("svc"), serviceAlias: "svc-admin", servicePassword: "Svc-Pass-26", serverType: "Office 365", server: "outlook.office365.com" };
            const first = await create("ExternalService", args);
            const again = await create("ExternalService", args);
            expect(again.outs!.objectId).to.equal(first.outs!.objectId);
        });

        it("a code the port group had none of is remembered as empty, to be put back as empty", async () => {
            const [group] = await direct.list(SPECS.PortGroup);
            // A port group whose MWI on code was never set: CUPI leaves the field out.
            const { connection } = await through({
                rewriteAnswer: (r, body) => {
                    if (r.method !== "GET" || !r.path.startsWith(`/vmrest/portgroups/${String(group.ObjectId)}`)) return body;
                    const o = JSON.parse(body) as Props;
                    delete o.MwiOnCode;
                    return JSON.stringify(o);
                },
            });
            const made = await create("PortGroupMwi", { connection, portGroupId: group.ObjectId, mwiOnCode: "*77" });
            expect(made.outs!.previousMwiOnCode).to.equal("");
            await providers.PortGroupMwi.delete!(made.id, made.outs!);
        });

        it("a create that meets another object of the same name is refused with the differences and how to adopt it", async () => {
            const { connection } = await through();
            const l = alias("theirs");
            const id = await direct.create(SPECS.DistributionList, { Alias: l, DisplayName: "Someone else's" });
            const e = await failure(create("DistributionList", { connection, alias: l, displayName: "Mine" }));
            expect(e.message).to.equal(
                `cuc:DistributionList create: a distribution list with Alias ${l} already exists (${id}) with other values ` +
                    `(displayName: program "Mine", server "Someone else's"): adopt it (adopt: "${id}"), or choose another alias`,
            );
        });

        it("a refused create of an object without a natural key is explained, not taken for one made before", async () => {
            const { connection } = await through();
            const holder = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("holder"), DtmfAccessId: String(46500 + n) });
            const other = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("other"), DtmfAccessId: String(46600 + n) });
            const e = await failure(create("AlternateExtension", { connection, userId: other, idIndex: 1, dtmfAccessId: String(46500 + n - 1) }));
            expect(e.message).to.match(/^cuc:AlternateExtension create: .*already.*paths-holder/);
            expect(holder).to.be.a("string");
        });

        it("a write refused for another reason than validation keeps its own error, even when a value clashes", async () => {
            const h = alias("clash");
            const ext = String(46700 + n);
            await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: h, DtmfAccessId: ext });
            const mine = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("mine"), DtmfAccessId: String(46800 + n) });
            const { connection, origin } = await through({ answer: (r) => (r.method === "PUT" ? { status: 403, body: "{}" } : undefined) });
            const olds = { connection, alias: "x", dtmfAccessId: String(46800 + n), objectId: mine, cucServer: origin, __managed: ["dtmfAccessId"] };
            const e = await failure(providers.User.update!(mine, olds, { ...olds, dtmfAccessId: ext }));
            expect(e.message).to.contain("403");
            expect(e.message).not.to.contain(h);
        });

        it("a delete CUPI refuses: the dependents named with the fix; with none known, CUPI's own error", async () => {
            const u = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias("dep"), DtmfAccessId: String(46900 + n) });
            const deps = (rows: Props[]) => ({ status: 200, body: encodeCollection(SPECS.UserDependency, rows as never, rows.length, "json") });
            let rows: Props[] = [
                { ObjectId: "d1", DependentEntityOwnerType: "Callhandler", DependentEntityOwnerName: "Main menu", DependencyType: "Recipient" },
                { ObjectId: "d2", DependentEntityOwnerType: "Callhandler", DependentEntityOwnerName: "After hours", DependencyType: "Owner" },
            ];
            const { connection, origin } = await through({
                answer: (r) => (r.method === "DELETE" ? refusal("The subscriber is referenced by other objects") : r.path.includes("subscriberdependencies") ? deps(rows) : undefined),
            });
            const props = { connection, alias: "dep", objectId: u, cucServer: origin, __managed: ["alias"] };
            const named = await failure(providers.User.delete!(u, props));
            expect(named.message).to.equal(
                `cuc:User delete: user dep (${u}) is still referred to by Callhandler Main menu (Recipient); Callhandler After hours (Owner): CUPI refuses to delete it. ` +
                    "Point those at another user first, or keep it (remove it from the program with the retainOnDelete option, or `pulumi state delete`)",
            );
            rows = [];
            const own = await failure(providers.User.delete!(u, props));
            expect(own.message).to.contain("The subscriber is referenced by other objects");
            expect(own.message).not.to.contain("still referred to");
        });
    });
});
