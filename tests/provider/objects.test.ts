/**
 * What hangs off an object (engine/objects.ts), against the simulator over HTTP through a proxy
 * that records, and where a test needs it, drops a request or answers as another server would:
 * parts split and read back, member lists read with one listing and synced with the fewest
 * writes, and a clash on a unique extension explained by naming its holder.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { makeObjects, memberIds, sameMembers } from "../../provider/engine/objects";
import { UNKNOWN } from "../../provider/engine/values";
import { DistributionListDef, SearchSpaceDef, UserDef } from "../../provider/resources";
import { SPECS } from "../../provider/specs";
import type { Simulator } from "../../simulator";
import { recordingProxy, sim, type ProxyHooks } from "../helpers";

const PASSWORD = "Objects-Admin-Pass-26";

describe("what hangs off an object: parts, member lists, clashes (engine/objects.ts)", function () {
    this.timeout(30_000);
    let s: Simulator;
    let direct: CupiClient;
    const open: { close(): unknown }[] = [];
    let n = 0;

    /** A client through a fresh recording proxy with `hooks`; `sent` lists what reached it as `METHOD path`. */
    async function through(hooks: ProxyHooks = {}, retries = 2) {
        const proxy = await recordingProxy(s.url, hooks);
        const c = new CupiClient(resolveSettings({ server: proxy.url, username: s.user, password: PASSWORD, retries, retryBaseMs: 1, format: "json" }, {}));
        open.push(proxy, c);
        const sent = (method?: string) => proxy.seen.filter((r) => !method || r.method === method).map((r) => `${r.method} ${r.path.replace(/^\/vmrest/, "")}`);
        return { c, sent, proxy };
    }
    const user = async (more: Record<string, string> = {}) => {
        const alias = `obj-user-${++n}`;
        const id = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias, DisplayName: `Shown ${n}`, DtmfAccessId: String(43000 + n), ...more });
        return { id, alias, extension: String(43000 + n) };
    };
    const partition = (name: string) => direct.create(SPECS.Partition, { Name: `obj-${name}-${++n}` });
    /** An answer's rows in reverse: a server that lists in another order than the positions. */
    const reversed = (_r: unknown, body: string) => {
        if (!body.startsWith("{")) return body;
        const o = JSON.parse(body) as Record<string, unknown>;
        for (const k of Object.keys(o)) if (Array.isArray(o[k])) o[k] = (o[k] as unknown[]).reverse();
        return JSON.stringify(o);
    };

    before(async () => {
        s = await sim({ password: PASSWORD });
        direct = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
    });
    after(async () => {
        for (const x of open) await x.close();
        direct?.close();
        await s?.close();
    });

    it("member ids: anything but an array is no members; equality is as sets, or in order for an ordered list", () => {
        const [set, ordered] = [DistributionListDef.members![0], SearchSpaceDef.members![0]];
        expect(memberIds(undefined)).to.deep.equal([]);
        expect(memberIds("ABC")).to.deep.equal([]);
        expect(memberIds(["ABC", "d"])).to.deep.equal(["abc", "d"]);
        expect(sameMembers(set, undefined, [])).to.equal(true);
        expect(sameMembers(set, ["A", "b"], ["B", "a"])).to.equal(true);
        expect(sameMembers(ordered, ["A", "b"], ["B", "a"])).to.equal(false);
        expect(sameMembers(set, ["a"], ["a", "b"])).to.equal(false);
    });

    it("split: a part gets only the managed inputs that have a value (not undefined, not yet known)", () => {
        const o = makeObjects(UserDef);
        expect(o.split({ receiveQuota: undefined, sendQuota: UNKNOWN }, ["receiveQuota", "sendQuota"]).parts, "nothing to PUT").to.deep.equal([]);
        expect(o.split({ receiveQuota: 1024 }, []).parts, "not managed").to.deep.equal([]);
        const { main, parts } = o.split({ receiveQuota: 1024, sendQuota: UNKNOWN, displayName: "A" }, ["receiveQuota", "sendQuota", "displayName"]);
        expect(main).to.deep.equal({ DisplayName: "A" });
        expect(parts.map((p) => [p.part.spec.kind, p.names, p.record])).to.deep.equal([["UserMailbox", ["receiveQuota"], { ReceiveQuota: 1024 }]]);
    });

    it("readExtras reads a part only for a managed input CUPI returns: never a write-only PIN", async () => {
        const u = await user();
        const { c, sent } = await through();
        const o = makeObjects(UserDef);
        expect(await o.readExtras(c, u.id, [])).to.deep.equal({});
        expect(await o.readExtras(c, u.id, ["pin", "webPassword"])).to.deep.equal({});
        expect(sent(), "no part read").to.deep.equal([]);
        const read = await o.readExtras(c, u.id, ["receiveQuota", "pin"]);
        expect(Object.keys(read)).to.deep.equal(["receiveQuota"]);
        expect(sent().filter((r) => !r.includes("/sessions")).map((r) => r.split("?")[0])).to.deep.equal([`GET /users/${u.id}/mailboxattributes`]);
    });

    it("a list's three member kinds share one listing, and each takes only the rows that name one of its kind (not an empty field)", async () => {
        const [a, b] = [await user(), await user()];
        const inner = await direct.create(SPECS.DistributionList, { Alias: `obj-inner-${++n}`, DisplayName: "Inner" });
        const list = await direct.create(SPECS.DistributionList, { Alias: `obj-outer-${++n}`, DisplayName: "Outer" });
        for (const r of [{ MemberUserObjectId: a.id }, { MemberUserObjectId: b.id }, { MemberDistributionListObjectId: inner }] as Record<string, string>[]) await direct.create(SPECS.DistributionListMember, r, list);
        // Another CUC version writes the other member fields as empty strings.
        const { c, sent } = await through({
            rewriteAnswer: (_r, body) => {
                if (!body.startsWith("{")) return body;
                const o = JSON.parse(body) as Record<string, unknown>;
                const rows = o.DistributionListMember;
                for (const row of Array.isArray(rows) ? rows as Record<string, unknown>[] : []) {
                    for (const k of ["MemberUserObjectId", "MemberContactObjectId", "MemberDistributionListObjectId"]) row[k] ??= "";
                }
                return JSON.stringify(o);
            },
        });
        for (const [client, label] of [[direct, "fields left out"], [c, "fields empty"]] as const) {
            const read = await makeObjects(DistributionListDef).readExtras(client, list, ["users", "contacts", "distributionLists"]);
            expect(read, label).to.deep.equal({ users: [a.id, b.id].map((x) => x.toLowerCase()), contacts: [], distributionLists: [inner.toLowerCase()] });
        }
        expect(sent("GET").filter((r) => r.includes("distributionlistmembers")), "one listing for three lists").to.have.length(1);
    });

    it("an ordered list reads back in its positions' order, whatever order the server lists the rows in", async () => {
        const space = await direct.create(SPECS.SearchSpace, { Name: `obj-space-${++n}` });
        const [p1, p2, p3] = [await partition("a"), await partition("b"), await partition("c")];
        // Created out of order, listed in reverse by the proxy: neither order is the search order.
        for (const [p, at] of [[p3, 3], [p1, 1], [p2, 2]] as const) await direct.create(SPECS.SearchSpaceMember, { PartitionObjectId: p, SortOrder: at }, space);
        for (const hooks of [{}, { rewriteAnswer: reversed }]) {
            const { c } = await through(hooks);
            expect((await makeObjects(SearchSpaceDef).readExtras(c, space, ["partitions"])).partitions).to.deep.equal([p1, p2, p3].map((x) => x.toLowerCase()));
        }
    });

    it("an ordered list keeps what is in place before the first move, by position not by listing order, and numbers on from it", async () => {
        const space = await direct.create(SPECS.SearchSpace, { Name: `obj-sync-${++n}` });
        const [p1, p2, p3] = [await partition("a"), await partition("b"), await partition("c")];
        for (const [p, at] of [[p1, 1], [p2, 2]] as const) await direct.create(SPECS.SearchSpaceMember, { PartitionObjectId: p, SortOrder: at }, space);
        const { c, sent } = await through({ rewriteAnswer: reversed });
        await makeObjects(SearchSpaceDef).syncMembers(c, space, SearchSpaceDef.members![0], [p1, p3], false);
        expect(sent("DELETE"), "only the second goes").to.have.length(1);
        expect(sent("POST"), "and the new one comes").to.have.length(1);
        const rows = (await direct.list(SPECS.SearchSpaceMember, { parentId: space })).map((r) => [String(r.PartitionObjectId).toLowerCase(), r.SortOrder]);
        expect(rows.sort((x, y) => Number(x[1]) - Number(y[1]))).to.deep.equal([[p1.toLowerCase(), 1], [p3.toLowerCase(), 2]]);
        // All of it in place, one more wanted: only that one is sent.
        const before = sent().length;
        await makeObjects(SearchSpaceDef).syncMembers(c, space, SearchSpaceDef.members![0], [p1, p3, p2], false);
        expect(sent().slice(before).filter((r) => !r.startsWith("GET"))).to.deep.equal([`POST /searchspaces/${space}/searchspacemembers`]);
    });

    it("a membership POST that never reached the server is sent again: another member's row is not taken for it", async () => {
        const [a, b] = [await user(), await user()];
        const list = await direct.create(SPECS.DistributionList, { Alias: `obj-drop-${++n}`, DisplayName: "Drop" });
        await direct.create(SPECS.DistributionListMember, { MemberUserObjectId: a.id }, list);
        let dropped = 0;
        const { c } = await through({ drop: (r) => r.method === "POST" && r.path.includes("distributionlistmembers") && dropped++ === 0 });
        await makeObjects(DistributionListDef).syncMembers(c, list, DistributionListDef.members![0], [a.id, b.id], false);
        expect(dropped, "the first POST was dropped").to.be.greaterThan(1);
        const rows = await direct.list(SPECS.DistributionListMember, { parentId: list });
        expect(rows.map((r) => String(r.MemberUserObjectId).toLowerCase()).sort()).to.deep.equal([a.id, b.id].map((x) => x.toLowerCase()).sort());
    });

    it("removing a member that is gone already is what was wanted; any other failure of the DELETE is an error", async () => {
        const [a, b] = [await user(), await user()];
        const list = await direct.create(SPECS.DistributionList, { Alias: `obj-gone-${++n}`, DisplayName: "Gone" });
        for (const u of [a, b]) await direct.create(SPECS.DistributionListMember, { MemberUserObjectId: u.id }, list);
        const m = DistributionListDef.members![0];
        // The DELETE is carried out and its connection dropped: the retry meets 404.
        s.faults.commitResetRate = 1;
        try {
            const { c, sent } = await through();
            await makeObjects(DistributionListDef).syncMembers(c, list, m, [a.id], false);
            expect(sent("DELETE"), "sent twice").to.have.length(2);
        } finally {
            s.faults.commitResetRate = 0;
        }
        expect((await direct.list(SPECS.DistributionListMember, { parentId: list })).map((r) => String(r.MemberUserObjectId).toLowerCase())).to.deep.equal([a.id.toLowerCase()]);
        s.faults.failRate = 1;
        s.faults.failMethods = "DELETE";
        try {
            const { c } = await through({}, 0);
            const e = await makeObjects(DistributionListDef).syncMembers(c, list, m, [], false).then(() => undefined, (x: Error) => x);
            expect(e?.message).to.match(/50[0-4]/);
        } finally {
            s.faults.failRate = 0;
            s.faults.failMethods = "";
        }
    });

    describe("a clash on an extension", () => {
        let holder: Awaited<ReturnType<typeof user>>;
        let p1: string, p2: string, p3: string;
        const explain = (c: CupiClient, body: Record<string, string>, self?: string) => makeObjects(UserDef).explainClash(c, body, self);
        before(async () => {
            [p1, p2, p3] = [await partition("one"), await partition("two"), await partition("three")];
            holder = await user({ PartitionObjectId: p1 });
            // Another user in the same partition, and the holder's extension taken in the other one.
            await user({ PartitionObjectId: p1 });
            await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: `obj-twin-${++n}`, DtmfAccessId: holder.extension, PartitionObjectId: p2 });
        });

        it("names the holder by its key (a user's alias), in one line with the rule and the fix, with one query per kind", async () => {
            const { c, sent } = await through();
            expect(await explain(c, { DisplayName: "New", DtmfAccessId: holder.extension, PartitionObjectId: p1 })).to.equal(
                `dtmfAccessId ${holder.extension} is already taken by user ${holder.alias} (${holder.id}) in the same partition: ` +
                    "extensions are unique within a partition across users, alternate extensions, contacts, lists and handlers; choose another, or put this one in another partition",
            );
            const gets = sent("GET").filter((r) => !r.includes("/sessions"));
            expect(gets.length).to.be.greaterThan(1);
            for (const r of gets) expect(decodeURIComponent(r)).to.include(`query=(DtmfAccessId is ${holder.extension})`);
        });

        it("is no clash with the object itself, in another partition, for a free or empty extension", async () => {
            const { c, sent } = await through();
            expect(await explain(c, { DtmfAccessId: holder.extension, PartitionObjectId: p1 }, holder.id)).to.equal(undefined);
            expect(await explain(c, { DtmfAccessId: holder.extension, PartitionObjectId: p3 })).to.equal(undefined);
            expect(await explain(c, { DisplayName: "New", DtmfAccessId: "49999", PartitionObjectId: p1 })).to.equal(undefined);
            const before = sent().length;
            expect(await explain(c, { DisplayName: "New", DtmfAccessId: "" })).to.equal(undefined);
            expect(sent().length, "an empty extension is not looked up").to.equal(before);
        });

        it("a server that ignores the query (CUPI does for a column it cannot search) still names only the holder", async () => {
            const { c } = await through({ rewritePath: (p) => p.replace(/([?&])query=[^&]*&?/, "$1") });
            const found = await explain(c, { DtmfAccessId: holder.extension, PartitionObjectId: p1 });
            expect(found).to.match(new RegExp(`taken by user ${holder.alias} \\(${holder.id}\\) in the same`));
        });

        it("a holder listed without its partition (a short list form) may be in the same one: it is named", async () => {
            const strip = (_r: unknown, body: string) => {
                if (!body.startsWith("{")) return body;
                const o = JSON.parse(body) as Record<string, unknown>;
                for (const k of Object.keys(o)) if (Array.isArray(o[k])) for (const r of o[k] as Record<string, unknown>[]) delete r.PartitionObjectId;
                return JSON.stringify(o);
            };
            const { c } = await through({ rewriteAnswer: strip });
            const found = await explain(c, { DtmfAccessId: holder.extension, PartitionObjectId: p3 });
            expect(found).to.match(new RegExp(`taken by user ${holder.alias} \\(${holder.id}\\), user obj-twin-\\d+ `));
        });

        it("with no partition in the write, every holder is named, in any partition", async () => {
            const { c } = await through();
            const found = await explain(c, { DtmfAccessId: holder.extension });
            expect(found).to.match(new RegExp(`taken by user ${holder.alias} \\(${holder.id}\\), user obj-twin-\\d+ \\([0-9a-f-]{36}\\) in the same partition: `));
        });
    });
});
