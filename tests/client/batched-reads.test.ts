/**
 * A refresh of many objects of one kind reads the collection in pages once that is cheaper than a
 * GET each (CupiClient.findInRun), against the simulator over HTTP: what the server receives.
 */
import { expect } from "chai";
import { BATCH_AFTER, CupiClient, resolveSettings } from "../../provider/client";
import { PhoneSystem, User } from "../../provider/specs";
import type { Simulator } from "../../simulator";
import { sim } from "../helpers";

describe("reads of many objects of one kind in a run (findInRun)", function () {
    this.timeout(30_000);
    let s: Simulator;
    const ids: string[] = [];
    const client = (pageSize: number) => new CupiClient(resolveSettings({ server: s.url, username: s.user, password: s.password, pageSize }, {}));
    before(async () => {
        s = await sim();
        const c = client(500);
        for (let i = 0; i < 40; i++) ids.push(await c.create(PhoneSystem, { DisplayName: `Batch-${i}` }));
        c.close();
    });
    after(() => s.close());

    it("after BATCH_AFTER GETs, one count and the collection's pages answer the rest; what is not listed is a GET", async () => {
        const c = client(10); // 41 phone systems: 5 pages
        s.resetStats();
        const first = await Promise.all(ids.slice(0, BATCH_AFTER - 1).map((id) => c.findInRun(PhoneSystem, id)));
        expect(s.stats().byRoute).to.deep.equal({ "GET /vmrest/phonesystems/{id}": BATCH_AFTER - 1 });
        const rest = await Promise.all(ids.slice(BATCH_AFTER - 1).map((id) => c.findInRun(PhoneSystem, id)));
        expect([...first, ...rest].map((r) => r?.ObjectId)).to.deep.equal(ids);
        expect(rest[0]).to.deep.equal(await c.get(PhoneSystem, ids[BATCH_AFTER - 1]), "the listing holds the full object");
        s.resetStats();
        expect(await c.findInRun(PhoneSystem, "0b0a8f7e-6f3c-4c55-9e62-8f57b8e4d7a1"), "not listed, and gone").to.equal(undefined);
        expect(s.stats().byRoute).to.deep.equal({ "GET /vmrest/phonesystems/{id}": 1 });
        c.close();
    });

    it("counts the list's pages first: when they outnumber the reads made, every read stays a GET", async () => {
        const c = client(1); // 41 pages for 20 reads: not worth it
        s.resetStats();
        for (const id of ids) await c.findInRun(PhoneSystem, id);
        expect(s.stats().byRoute).to.deep.equal({ "GET /vmrest/phonesystems/{id}": ids.length, "GET /vmrest/phonesystems": 1 });
        c.close();
    });

    it("a write of the kind makes the listing stale; users (whose list is a short form) are always read one by one", async () => {
        const c = client(50);
        for (const id of ids.slice(0, BATCH_AFTER)) await c.findInRun(PhoneSystem, id);
        await c.update(PhoneSystem, ids[0], { MwiForceOff: true });
        s.resetStats();
        expect((await c.findInRun(PhoneSystem, ids[0]))?.MwiForceOff, "the change shows").to.equal(true);
        // Listed again (its count, then its one page of 50), not read from the old listing.
        expect(s.stats().byRoute).to.deep.equal({ "GET /vmrest/phonesystems": 2 });
        const users = await c.list(User);
        s.resetStats();
        for (let i = 0; i < BATCH_AFTER + 5; i++) await c.findInRun(User, String(users[i % users.length].ObjectId));
        expect(s.stats().byRoute).to.deep.equal({ "GET /vmrest/users/{id}": BATCH_AFTER + 5 });
        c.close();
    });
});
