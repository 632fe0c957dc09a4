/**
 * Adoption (engine/adopt.ts) through the providers, against the simulator over HTTP behind a
 * recording proxy: an input that cannot change on an existing object, an object gone while it is
 * adopted, and what the outputs say after an overwrite of a part.
 */
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import { providers } from "../../provider";
import { UNKNOWN } from "../../provider/engine/values";
import { SPECS } from "../../provider/specs";
import type { Simulator } from "../../simulator";
import { recordingProxy, sim, type ProxyHooks } from "../helpers";

const PASSWORD = "Adopt-Admin-Pass-26";

describe("adopting an object (engine/adopt.ts)", function () {
    this.timeout(30_000);
    let s: Simulator;
    let direct: CupiClient;
    const open: { close(): unknown }[] = [];
    let n = 0;

    /** An adopt through a fresh proxy with `hooks`: check, then create, as the engine does. */
    async function adopt(kind: string, args: Record<string, unknown>, hooks: ProxyHooks = {}) {
        const proxy = await recordingProxy(s.url, hooks);
        open.push(proxy);
        const connection = { server: proxy.url, username: s.user, password: PASSWORD };
        const checked = await providers[kind].check!({}, { connection, ...args });
        expect(checked.failures ?? []).to.deep.equal([]);
        return providers[kind].create(checked.inputs);
    }
    const list = async () => {
        const alias = `adopt-list-${++n}`;
        return { alias, id: await direct.create(SPECS.DistributionList, { Alias: alias, DisplayName: `Adopt list ${n}` }) };
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

    it("an input an existing object cannot change (a list's alias) is refused with the server's value to put in the program", async () => {
        const l = await list();
        const e = await adopt("DistributionList", { adopt: l.id, alias: "adopt-other-alias" }).catch((x: Error) => x);
        expect((e as Error).message).to.equal(
            `cuc:DistributionList create: adopt: alias of ${l.alias} is "${l.alias}" on the server and cannot be changed on an existing object; set alias to "${l.alias}" in the program`,
        );
    });

    it("an object deleted while it is adopted (between the write and the read back) is named, with the server", async () => {
        const l = await list();
        let gets = 0;
        // The list's path is asked for three times: GET, PUT, GET. The read back asks for an object that is not there.
        const rewritePath = (p: string) => (p.startsWith(`/vmrest/distributionlists/${l.id}`) && !p.includes("?") && ++gets === 3 ? p.replace(l.id, "0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f") : p);
        const e = await adopt("DistributionList", { adopt: l.id, displayName: "Adopt renamed", adoptMode: "overwrite" }, { rewritePath }).catch((x: Error) => x);
        expect((e as Error).message).to.match(new RegExp(`^cuc:DistributionList create: adopt: ${l.id} disappeared from https?://127\\.0\\.0\\.1:\\d+ while it was being adopted$`));
    });

    it("after an overwrite, a part's output is the value written; one that was equal stays the server's", async () => {
        const alias = `adopt-user-${++n}`;
        const id = await direct.create(SPECS.User, { templateAlias: "voicemailusertemplate", Alias: alias, DtmfAccessId: String(44000 + n) });
        await direct.update(SPECS.UserMailbox, "", { ReceiveQuota: 2048 * 1024, SendQuota: 1024 * 1024 }, id);
        const r = await adopt("User", { adopt: id, receiveQuota: 4096 * 1024, sendQuota: 1024 * 1024, adoptMode: "overwrite" });
        expect(r.outs.receiveQuota).to.equal(4096 * 1024);
        expect(r.outs.sendQuota).to.equal(1024 * 1024);
        const back = await direct.get(SPECS.UserMailbox, "", id);
        expect(Number(back.ReceiveQuota)).to.equal(4096 * 1024);
    });
});

describe("plans of member lists and updates (engine/provider.ts)", function () {
    this.timeout(30_000);
    const connection = { server: "https://cuc.example.com", username: "admin", password: "Plan-Pass-1" };
    const A = "035853ce-f4e6-4de2-bda2-84acf827a555";
    const B = "8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11";

    it("a member list with a member not known yet (preview) is a change; the same members in another order are none", async () => {
        const p = providers.DistributionList;
        const olds = { connection, alias: "plan-list", users: [A, B], objectId: A, cucServer: connection.server, __managed: ["alias", "users"] };
        const checked = async (users: unknown[]) => (await p.check!(olds, { connection, alias: "plan-list", users })).inputs;
        expect((await p.diff!(`x/${A}`, olds, await checked([B, A]))).changes).to.equal(false);
        expect((await p.diff!(`x/${A}`, olds, await checked([A, B, UNKNOWN]))).changes, "an unknown member may be a new one").to.equal(true);
        expect((await p.diff!(`x/${A}`, olds, await checked([A]))).changes).to.equal(true);
    });
});
