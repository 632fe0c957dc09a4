/**
 * One retry budget, `cuc:retries`: through Pulumi's dynamic-provider host against the simulator,
 * a GET, PUT or DELETE that fails every time (the simulator's `/__sim/faults`) is sent exactly
 * retries + 1 times, whichever operation sends it: a read, an update, a delete, and the follow-up
 * requests of a create whose POST landed. Nothing above the client retries again, so budgets
 * never multiply (they did: the engine wrapped a create's follow-ups in a second budget, 36 tries
 * for retries = 5).
 */
import { expect } from "chai";
import type { Simulator } from "../../simulator";
import { raw, sim } from "../helpers";
import { Host, type InitFailed, type Props } from "../host";

const RETRIES = 5;
const BUDGET = RETRIES + 1;
const PASSWORD = "Budget-Admin-Pass-7";
/** What the simulator answers under failRate: every one of them transient. */
const FAILED = /HTTP (500|502|503|504)/;

describe("one retry budget", function () {
    this.timeout(60_000);
    let s: Simulator;
    let host: Host;

    before(async () => {
        s = await sim({ password: PASSWORD, seed: 11 });
        host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        await host.configure({
            "cuc:server": s.url, "cuc:username": s.user, "cuc:password": PASSWORD,
            "cuc:retries": String(RETRIES), "cuc:retryBaseMs": "1", "cuc:retryMaxMs": "5",
        });
    });
    after(async () => {
        await host.close();
        await s.close();
    });

    /** Sets fault knobs over the simulator's HTTP API. */
    async function faults(knobs: { failRate: number; failMethods: string }): Promise<void> {
        const res = await raw(s, "POST", "/__sim/faults", { body: JSON.stringify(knobs), contentType: "application/json" });
        expect(res.status, res.body).to.equal(200);
    }

    /** Runs `op` with every request of `methods` failing; its error and the requests the server saw, by method. */
    async function failing(methods: string, op: () => Promise<unknown>): Promise<{ error: InitFailed; sent: Record<string, number> }> {
        await faults({ failRate: 1, failMethods: methods });
        s.resetStats();
        try {
            const error = await op().then(() => expect.fail("expected the operation to fail"), (e: InitFailed) => e);
            return { error, sent: s.stats().byMethod };
        } finally {
            await faults({ failRate: 0, failMethods: "" });
        }
    }

    async function phoneSystem(name: string): Promise<{ id: string; outs: Props }> {
        return host.create("PhoneSystem", { displayName: name });
    }

    it(`read: a failing GET is sent retries + 1 = ${BUDGET} times`, async () => {
        const { id, outs } = await phoneSystem("Budget-Read");
        const { error, sent } = await failing("", () => host.read("PhoneSystem", id, outs));
        expect(error.message).to.match(FAILED);
        expect(sent).to.deep.equal({ GET: BUDGET });
    });

    it(`update: a failing PUT is sent ${BUDGET} times`, async () => {
        const { id, outs } = await phoneSystem("Budget-Update");
        const { error, sent } = await failing("", () => host.update("PhoneSystem", id, outs, { displayName: "Budget-Update", mwiForceOff: true }));
        expect(error.message).to.match(FAILED);
        expect(sent).to.deep.equal({ PUT: BUDGET });
    });

    it(`delete: a failing DELETE is sent ${BUDGET} times`, async () => {
        const { id, outs } = await phoneSystem("Budget-Delete");
        const { error, sent } = await failing("", () => host.delete("PhoneSystem", id, outs));
        expect(error.message).to.match(FAILED);
        expect(sent).to.deep.equal({ DELETE: BUDGET });
    });

    it(`create: the POST lands, the read-back GET fails: ${BUDGET} GETs, and the object is reported for the next run`, async () => {
        const { error, sent } = await failing("GET", () => phoneSystem("Budget-Create"));
        expect(error.message).to.match(FAILED);
        expect(error.id, "the object made is reported with the failure").to.match(/^[0-9a-f-]{36}$/);
        expect(sent).to.deep.equal({ POST: 1, GET: BUDGET });
    });

    it(`create with a follow-up update (an HTTPS link's name): the join lands, the PUT fails: ${BUDGET} PUTs`, async () => {
        const { error, sent } = await failing("PUT", () => host.create("HttpsLink", {
            remoteServer: "budget.example.com", remoteUsername: "admin", remotePassword: "Budget-Remote-1", displayName: "Budget-Link",
        }));
        expect(error.message).to.match(FAILED);
        expect(error.id, "the link made is reported with the failure").to.be.a("string").and.not.equal("");
        expect(sent).to.deep.equal({ POST: 1, PUT: BUDGET });
    });

    it(`create: POSTs and the lookups after them all fail: at most ${BUDGET} POSTs, and one lookup's ${BUDGET} GETs at most`, async () => {
        // A 503 is resent at once (CUC did nothing); after a 500/502/504 the object is looked up
        // first, and a lookup that fails after its own tries ends the create.
        const { error, sent } = await failing("", () => phoneSystem("Budget-Post"));
        expect(error.message).to.match(FAILED);
        expect(sent.POST).to.be.within(1, BUDGET);
        expect(sent.GET ?? 0).to.be.oneOf([0, BUDGET]);
        expect(Object.keys(sent).filter((method) => method !== "GET" && method !== "POST")).to.deep.equal([]);
    });
});
