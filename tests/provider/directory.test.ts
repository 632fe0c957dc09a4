/**
 * The directory through Pulumi's dynamic-provider host (issue 26): the safety rules a voice
 * engineer relies on, each shown by what the host answers and what the simulator received.
 * A mailbox is data: no input change replaces a User. Built-ins are never deleted. PINs are
 * secrets. A delete CUPI refuses names what refers to the object; an extension taken in the
 * partition names its holder.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { DATA_SOURCES, runOne } from "../../provider/engine/datasources";
import { RESOURCES, UserDef } from "../../provider/resources";
import { SPECS } from "../../provider/specs";
import { FORMATS, type Field, type Scalar } from "../../provider/specs/types";
import type { Simulator } from "../../simulator";
import { recordingProxy, sim, until } from "../helpers";
import { Host, type Props } from "../host";

const PASSWORD = "Directory-Admin-Pass-26";
const PIN = "730426";
const NEW_PIN = "951357";
const WEB_PASSWORD = "Web-Secret-2026x";

describe("the directory through the dynamic-provider host (issue 26)", function () {
    this.timeout(60_000);
    let s: Simulator;
    let proxy: Awaited<ReturnType<typeof recordingProxy>>;
    let host: Host;
    let direct: CupiClient;
    let n = 0;
    /** A fresh alias and extension for each user, so that tests never collide. */
    const fresh = () => ({ alias: `dir-user-${++n}`, dtmfAccessId: String(42000 + n) });
    const one = (name: string, args: Record<string, unknown>) => runOne(direct, DATA_SOURCES.find((d) => d.one?.name === name)!, args);

    async function create(kind: string, program: Props) {
        const checked = await host.check(kind, {}, program);
        expect(checked.failures, JSON.stringify(checked.failures)).to.deep.equal([]);
        return { ...(await host.create(kind, checked.inputs)), inputs: checked.inputs };
    }
    /** The requests the provider sent since `from`, as `METHOD /path?query`. */
    const sent = (from: number) => proxy.seen.slice(from).map((r) => `${r.method} ${r.path.replace(/^\/vmrest/, "")}`);

    before(async () => {
        s = await sim({ password: PASSWORD });
        proxy = await recordingProxy(s.url);
        host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        await host.configure({ "cuc:server": proxy.url, "cuc:username": s.user, "cuc:password": PASSWORD, "cuc:retryBaseMs": "5", "cuc:retries": "2" });
        direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
    });
    after(async () => {
        // No PIN, web password or admin password in anything the host wrote.
        const output = host.output.join("");
        for (const secret of [PASSWORD, PIN, NEW_PIN, WEB_PASSWORD]) expect(output, secret).not.to.contain(secret);
        direct?.close();
        await host?.close();
        await proxy?.close();
        await s?.close();
    });

    it("no input change ever plans a replace of a User: each is an in-place update, or a check error that says why", async () => {
        const cos = await create("ClassOfService", { __cucName: "replace-loop-cos" });
        const partition = await create("Partition", { __cucName: "replace-loop-partition" });
        const program: Props = { ...fresh(), displayName: "Replace Loop", pin: PIN, webPassword: WEB_PASSWORD, __cucName: "replace-loop" };
        const { id, outs } = await create("User", program);
        /** Another valid value for each input, from its declaration. */
        const other = (f: Field): Scalar => {
            if (f.ref === "ClassOfService") return String(cos.outs.objectId);
            if (f.ref === "Partition") return String(partition.outs.objectId);
            if (f.format === "guid") return "035853ce-f4e6-4de2-bda2-84acf827a555";
            if (f.type === "boolean") return !(outs[f.name] ?? f.default ?? false);
            if (f.enum) return Number(Object.keys(f.enum).find((k) => String(outs[f.name]) !== k));
            if (f.type === "integer") return f.validate ? 1024 : Math.min(f.max ?? 100, (f.min ?? 0) + 1);
            if (f.format === "extension") return "42999";
            if (f.format && f.format in FORMATS) return f.format === "email" ? "other@example.com" : String(f.example);
            if (f.secret) return f.name === "pin" ? NEW_PIN : `${WEB_PASSWORD}-2`;
            if (f.pattern) return String(f.example === outs[f.name] ? `${String(f.example)}x`.slice(0, f.maxLength) : f.example ?? "XX").slice(0, f.maxLength);
            return `changed-${f.name}`.slice(0, f.maxLength ?? 64);
        };
        const visited: string[] = [];
        for (const f of UserDef.inputs) {
            const news = await host.check("User", outs, { ...program, [f.name]: other(f) });
            visited.push(f.name);
            if (news.failures.length) {
                // Refused before any plan: the reason names the input and what to do.
                for (const failure of news.failures) expect(failure.reason, f.name).to.match(/\w+ .{20,}/);
                continue;
            }
            const d = await host.diff("User", id, outs, news.inputs);
            expect(d.replaces, `${f.name} must not replace a User`).to.deep.equal([]);
            expect(d.deleteBeforeReplace, f.name).to.equal(false);
        }
        expect(visited).to.deep.equal(UserDef.inputs.map((f) => f.name));
        // Another server, through the resource's own connection: refused, naming what would be lost.
        const moved = await host.check("User", outs, { ...program, connection: { server: "https://cuc-other.example.com", username: "admin", password: PASSWORD } });
        expect(moved.failures.map((f) => f.reason).join("\n")).to.contain("holds the mailbox and every message in it: it cannot move to https://cuc-other.example.com");
        // The definitions that hold data declare no input that replaces.
        for (const def of Object.values(RESOURCES).filter((d) => d.holdsData)) expect(def.inputs.filter((f) => f.replace).map((f) => f.name), def.kind).to.deep.equal([]);
        await host.delete("User", id, outs);
    });

    it("templateAlias shapes only the creation: it is sent in the query string, and changing it later is no change, said once", async () => {
        const from = proxy.seen.length;
        const program: Props = { ...fresh(), templateAlias: "voicemailusertemplate" };
        const { id, outs } = await create("User", program);
        expect(sent(from)[0]).to.match(/^POST \/users\?templateAlias=voicemailusertemplate$/);
        const changed = (await host.check("User", outs, { ...program, templateAlias: "administratortemplate" })).inputs;
        expect(await host.diff("User", id, outs, changed)).to.include({ changes: "none" });
        await until(() => host.output.join("").includes("templateAlias is used only when the user is created (no change)"), "the note about templateAlias");
        // Left out, the user still comes from the built-in template.
        const before = proxy.seen.length;
        const plain = await create("User", fresh());
        expect(sent(before)[0]).to.equal("POST /users?templateAlias=voicemailusertemplate");
        await host.delete("User", plain.id, plain.outs);
        await host.delete("User", id, outs);
    });

    it("PINs and web passwords: write-only secrets, one PUT each at create, one PUT when changed, no drift when changed on the phone", async () => {
        let from = proxy.seen.length;
        const program: Props = { ...fresh(), pin: PIN, pinMustChange: true, webPassword: WEB_PASSWORD };
        const { id, outs } = await create("User", program);
        // The floor: the POST, the two credential PUTs the body cannot carry, one GET.
        expect(sent(from).map((r) => r.replace(/[0-9a-f-]{36}/g, "{id}"))).to.deep.equal([
            "POST /users?templateAlias=voicemailusertemplate", "PUT /users/{id}/credential/pin", "PUT /users/{id}/credential/password", "GET /users/{id}",
        ]);
        const pinPut = proxy.seen.slice(from).find((r) => r.path.endsWith("/credential/pin"))!;
        expect(pinPut.body).to.contain(`<Credentials>${PIN}</Credentials>`).and.to.contain("<CredMustChange>true</CredMustChange>");
        expect(outs.pin).to.equal(PIN); // kept as the program's value; a secret output (the SDK lists it)

        // The user changes the PIN on the phone (the flag clears): refresh shows no drift, and keeps the flag.
        const cred = await direct.get(SPECS.UserPin, "", String(outs.objectId));
        expect(cred.Credentials ?? "", "CUPI never returns a PIN").to.equal("");
        await direct.update(SPECS.UserPin, "", { Credentials: "246813", CredMustChange: false }, String(outs.objectId));
        const refreshed = await host.read("User", id, outs);
        expect(refreshed.inputs.pin).to.equal(PIN);
        expect(refreshed.inputs.pinMustChange, "written with the PIN only: never read back").to.equal(true);
        const same = (await host.check("User", refreshed.outs, program)).inputs;
        expect(await host.diff("User", id, refreshed.outs, same)).to.include({ changes: "none" });

        // The flag alone changed: no change, said so. The PIN changed: one PUT with the flag.
        const flagOnly = (await host.check("User", refreshed.outs, { ...program, pinMustChange: false })).inputs;
        expect(await host.diff("User", id, refreshed.outs, flagOnly)).to.include({ changes: "none" });
        const news = (await host.check("User", refreshed.outs, { ...program, pin: NEW_PIN })).inputs;
        expect(await host.diff("User", id, refreshed.outs, news)).to.include({ changes: "some" });
        from = proxy.seen.length;
        const updated = await host.update("User", id, refreshed.outs, news);
        expect(sent(from).map((r) => r.replace(/[0-9a-f-]{36}/g, "{id}"))).to.deep.equal(["PUT /users/{id}/credential/pin", "GET /users/{id}"]);
        expect(proxy.seen.at(-2)!.body).to.contain(`<Credentials>${NEW_PIN}</Credentials>`).and.to.contain("<CredMustChange>true</CredMustChange>");
        expect(updated.pin).to.equal(NEW_PIN);
        await host.delete("User", id, updated);
    });

    it("a create that meets what an interrupted run made (same alias, same values) takes it over; one with other values is named, with how to adopt it", async () => {
        // A run that made the user and stopped before saving its state (skipped checkpoints, killed).
        const program: Props = { ...fresh(), displayName: "Left Behind", pin: PIN };
        const earlier = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: program.alias as string, DtmfAccessId: program.dtmfAccessId as string, DisplayName: "Left Behind" });
        const from = proxy.seen.length;
        const taken = await create("User", program);
        expect(taken.id, "the same user, no duplicate").to.equal(earlier);
        expect(sent(from).some((r) => r.endsWith("/credential/pin")), "the rest of the create is finished: the PIN").to.equal(true);
        await until(() => host.output.join("").includes(`user ${String(program.alias)} (${earlier}) already exists with the program's values, made by a run that did not save its state: taking it over`), "the line");
        const other = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: "dir-someone-else", DtmfAccessId: "42998", DisplayName: "Someone Else" });
        const clash = (await host.check("User", {}, { alias: "dir-someone-else", dtmfAccessId: "42997", displayName: "Not Them" })).inputs;
        const e = await host.create("User", clash).then(() => undefined, (x: Error) => x);
        expect(e?.message).to.contain(`a user with Alias dir-someone-else already exists (${other}) with other values (dtmfAccessId: program "42997", server "42998"; displayName: program "Not Them", server "Someone Else"): adopt it (adopt: "${other}"), or choose another alias`);
        expect(s.store.list("User").filter((u) => u.Alias === "dir-someone-else")).to.have.length(1);
        await host.delete("User", taken.id, taken.outs);
        await direct.delete(SPECS.User, other);
    });

    it("an empty, blank or non-digit PIN is refused by check, naming the field and never quoting the value", async () => {
        const requests = s.stats().requests;
        for (const pin of ["", "   ", "12ab34"]) {
            const { failures } = await host.check("User", {}, { ...fresh(), pin });
            expect(failures, JSON.stringify(pin)).to.have.length(1);
            expect(failures[0].property, "a failing secret is not printed with its value").to.equal("");
            expect(failures[0].reason).to.match(/^pin |the value of pin/);
            if (pin.trim()) expect(failures[0].reason).not.to.contain(pin);
        }
        expect(s.stats().requests, "no request").to.equal(requests);
    });

    it("a credential PUT failing after the user was created leaves the user in state, and the next up sets the PIN", async () => {
        const program: Props = { ...fresh(), pin: PIN };
        const checked = (await host.check("User", {}, program)).inputs;
        s.faults.failMethods = "PUT";
        s.faults.failRate = 1;
        const e = await host.create("User", checked).then(() => undefined, (x: { id?: string; properties?: Props; message: string }) => x);
        s.faults.failRate = 0;
        s.faults.failMethods = "";
        expect(e?.id, "the engine is told the user exists").to.match(/^[0-9a-f-]{36}$/);
        expect(e!.properties!.pin, "the state does not claim the PIN was set").to.equal(undefined);
        expect(e!.message).not.to.contain(PIN);
        const news = (await host.check("User", e!.properties!, program)).inputs;
        expect(await host.diff("User", e!.id!, e!.properties!, news)).to.include({ changes: "some" });
        const updated = await host.update("User", e!.id!, e!.properties!, news);
        expect(updated.pin).to.equal(PIN);
        expect(s.store.list("User").filter((u) => u.Alias === program.alias), "one user, no duplicate").to.have.length(1);
        await host.delete("User", e!.id!, updated);
    });

    it("built-in objects are never deleted: an adopted one is forgotten with a warning, with no DELETE", async () => {
        const operator = await one("getUser", { alias: "operator" });
        const cos = await one("getClassOfService", { displayName: "Voice Mail User COS" });
        for (const [kind, objectId] of [["User", operator.objectId], ["ClassOfService", cos.objectId]] as const) {
            const adopted = await create(kind, { adopt: String(objectId) });
            expect(adopted.outs.undeletable).to.equal(true);
            const from = proxy.seen.length;
            await host.delete(kind, adopted.id, adopted.outs);
            expect(sent(from), "no DELETE").to.deep.equal([]);
            await until(() => host.output.join("").includes(`is built into Connection and is never deleted; it is only removed from the stack`), "the warning");
            expect(await direct.find(SPECS[kind], String(objectId)), "still there").to.not.equal(undefined);
        }
    });

    it("a user a call handler still refers to fails to delete, naming the handler and the fix; the user stays", async () => {
        const { id, outs } = await create("User", fresh());
        const template = await one("getCallHandlerTemplate", { displayName: "System Call Handler Template" });
        const handler = await direct.create(SPECS.CallHandler, { templateObjectId: String(template.objectId), DisplayName: "Sales Recipient", RecipientSubscriberObjectId: String(outs.objectId) });
        const e = await host.delete("User", id, outs).then(() => undefined, (x: Error) => x);
        expect(e?.message).to.match(/user dir-user-\d+ \(.*\) is still referred to by .*Sales Recipient.*: CUPI refuses to delete it\. Point those at another user first/);
        expect(e!.message.split("\n")).to.have.length(1);
        expect(await direct.find(SPECS.User, String(outs.objectId)), "the user stays").to.not.equal(undefined);
        await direct.delete(SPECS.CallHandler, handler);
        await host.delete("User", id, outs);
    });

    it("an extension taken in the partition is CUPI's 400 turned into one line naming the holder; another partition takes it", async () => {
        const first = await create("User", { ...fresh(), displayName: "Extension Holder" });
        const taken = String(first.outs.dtmfAccessId);
        const contact = (await host.check("Contact", {}, { alias: "clash-contact", dtmfAccessId: taken })).inputs;
        const e = await host.create("Contact", contact).then(() => undefined, (x: Error) => x);
        expect(e?.message).to.contain(`dtmfAccessId ${taken} is already taken by user ${String(first.outs.alias)}`);
        expect(e!.message.split("\n")).to.have.length(1);
        const elsewhere = await create("Partition", { __cucName: "clash-partition" });
        const ok = await create("Contact", { alias: "clash-contact", dtmfAccessId: taken, partitionId: elsewhere.outs.objectId });
        await host.delete("Contact", ok.id, ok.outs);
        await host.delete("Partition", elsewhere.id, elsewhere.outs);
        await host.delete("User", first.id, first.outs);
    });

    it("distribution list members are a set: a POST per added member, a DELETE per removed one; one added outside shows on refresh", async () => {
        const [a, b, c] = [await create("User", fresh()), await create("User", fresh()), await create("User", fresh())];
        const ids = (...u: { outs: Props }[]) => u.map((x) => String(x.outs.objectId));
        let from = proxy.seen.length;
        const program: Props = { alias: "dir-team", displayName: "Team", users: ids(a, b) };
        const list = await create("DistributionList", program);
        expect(sent(from).filter((r) => r.startsWith("POST")).length, "the list and one POST per member").to.equal(3);
        expect(list.outs.users).to.deep.equal(ids(a, b));

        const news = (await host.check("DistributionList", list.outs, { ...program, users: ids(c, a) })).inputs;
        expect(await host.diff("DistributionList", list.id, list.outs, news)).to.include({ changes: "some" });
        expect(await host.diff("DistributionList", list.id, list.outs, (await host.check("DistributionList", list.outs, { ...program, users: ids(b, a) })).inputs), "a set: order is no change").to.include({ changes: "none" });
        from = proxy.seen.length;
        const updated = await host.update("DistributionList", list.id, list.outs, news);
        const writes = sent(from).filter((r) => !r.startsWith("GET"));
        expect(writes.filter((r) => r.startsWith("POST"))).to.have.length(1);
        expect(writes.filter((r) => r.startsWith("DELETE"))).to.have.length(1);
        expect(writes[writes.findIndex((r) => r.startsWith("DELETE"))]).to.match(/^DELETE \/distributionlists\/[0-9a-f-]{36}\/distributionlistmembers\/[0-9a-f-]{36}$/);

        // Someone adds b in Connection Administration: refresh shows it as drift.
        await direct.create(SPECS.DistributionListMember, { MemberUserObjectId: ids(b)[0] }, String(list.outs.objectId));
        const refreshed = await host.read("DistributionList", list.id, updated);
        expect([...(refreshed.inputs.users as string[])].sort()).to.deep.equal(ids(a, b, c).sort());
        expect(await host.diff("DistributionList", list.id, refreshed.outs, news)).to.include({ changes: "some" });

        await host.delete("DistributionList", list.id, refreshed.outs);
        for (const u of [a, b, c]) await host.delete("User", u.id, u.outs);
    });

    it("a membership whose POST may have been carried out (the connection dropped after it) is looked up before it is sent again: one row", async () => {
        const [a, b] = [await create("User", fresh()), await create("User", fresh())];
        const list = await create("DistributionList", { alias: "dir-ambiguous", users: [String(a.outs.objectId)] });
        const news = (await host.check("DistributionList", list.outs, { alias: "dir-ambiguous", users: [String(a.outs.objectId), String(b.outs.objectId)] })).inputs;
        // Every write lands, then its connection drops: the one write here is the membership's POST.
        s.faults.commitResetRate = 1;
        const updated = await host.update("DistributionList", list.id, list.outs, news).finally(() => void (s.faults.commitResetRate = 0));
        expect([...(updated.users as string[])].sort()).to.deep.equal([String(a.outs.objectId), String(b.outs.objectId)].sort());
        const rows = await direct.list(SPECS.DistributionListMember, { parentId: String(list.outs.objectId) });
        expect(rows.map((r) => r.MemberUserObjectId).sort(), "b once").to.deep.equal([String(a.outs.objectId), String(b.outs.objectId)].sort());
        await host.delete("DistributionList", list.id, updated);
        for (const u of [a, b]) await host.delete("User", u.id, u.outs);
    });

    it("a search space's partitions are an ordered list: reordering works, and what precedes the first move is kept", async () => {
        const parts: { id: string; outs: Props; inputs: Props }[] = [];
        for (let i = 0; i < 3; i++) parts.push(await create("Partition", { __cucName: `order-${i}` }));
        const ids = (...i: number[]) => i.map((k) => String(parts[k].outs.objectId));
        const program: Props = { __cucName: "ordered", partitions: ids(0, 1, 2) };
        const space = await create("SearchSpace", program);
        const news = (await host.check("SearchSpace", space.outs, { ...program, partitions: ids(0, 2, 1) })).inputs;
        expect(await host.diff("SearchSpace", space.id, space.outs, news)).to.include({ changes: "some" });
        const from = proxy.seen.length;
        const updated = await host.update("SearchSpace", space.id, space.outs, news);
        const writes = sent(from).filter((r) => !r.startsWith("GET"));
        expect(writes.filter((r) => r.startsWith("DELETE")), "the first partition stays").to.have.length(2);
        expect(writes.filter((r) => r.startsWith("POST"))).to.have.length(2);
        const refreshed = await host.read("SearchSpace", space.id, updated);
        expect(refreshed.inputs.partitions).to.deep.equal(ids(0, 2, 1));
        const rows = await direct.list(SPECS.SearchSpaceMember, { parentId: String(space.outs.objectId) });
        expect(new Set(rows.map((r) => r.SortOrder)).size, "positions unique").to.equal(3);
        await host.delete("SearchSpace", space.id, refreshed.outs);
        for (const p of parts) await host.delete("Partition", p.id, p.outs);
    });

    it("alternate extensions live under a user; IdIndex 0 (the primary) is the User's, refused by check", async () => {
        const user = await create("User", fresh());
        const bad = await host.check("AlternateExtension", {}, { userId: user.outs.objectId, idIndex: 0, dtmfAccessId: "0600000001" });
        expect(bad.failures.map((f) => f.reason).join()).to.contain("idIndex must be one of 1 (Work)");
        const mobile = await create("AlternateExtension", { userId: user.outs.objectId, idIndex: 5, dtmfAccessId: "0600000001" });
        expect(mobile.id).to.equal(`${String(user.outs.objectId)}/${String(mobile.outs.objectId)}`);
        await host.delete("AlternateExtension", mobile.id, mobile.outs);
        await host.delete("User", user.id, user.outs);
    });

    it("data sources find the built-ins by their natural key, and a user in full", async () => {
        expect(await one("getUserTemplate", { alias: "voicemailusertemplate" })).to.include({ alias: "voicemailusertemplate", undeletable: true });
        expect(await one("getClassOfService", { displayName: "voice mail user cos" })).to.include({ displayName: "Voice Mail User COS" });
        expect(await one("getDistributionList", { alias: "allvoicemailusers" })).to.include({ dtmfAccessId: "99991" });
        const partitions = await runOne(direct, DATA_SOURCES.find((d) => d.one?.name === "getPartition")!, { name: (await direct.list(SPECS.Partition))[0].Name });
        expect(partitions.name).to.be.a("string");
        const operator = await one("getUser", { alias: "OPERATOR" });
        expect(operator, "the full object, not the list's short form").to.have.property("callHandlerId");
        const missing = await one("getUser", { alias: "nobody" }).then(() => "found", (e: Error) => e.message);
        expect(missing).to.equal(`getUser: no User with alias 'nobody' on ${s.url}`);
    });
});
