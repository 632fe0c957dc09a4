/**
 * CUC's throttle as the simulator plays it (EVERYDAY.md §1.5): a few requests served at once, the
 * rest queued in order, 503 for what the queue cannot hold or holds too long.
 */
import { expect } from "chai";
import type { Simulator } from "../../simulator";
import { raw, sim } from "../helpers";

describe("simulator: CUC's throttle", function () {
    this.timeout(20_000);
    let s: Simulator;
    before(async () => {
        s = await sim({ latencyMs: 40 });
    });
    after(() => s.close());
    const burst = (n: number) => Promise.all(Array.from({ length: n }, () => raw(s, "GET", "/vmrest/phonesystems")));

    it("serves maxConcurrent at once and queues the rest: every request of a burst is answered 200", async () => {
        Object.assign(s.faults, { maxConcurrent: 2, queueLimit: 50, queueTimeoutMs: 10_000 });
        s.resetStats();
        const answers = await burst(12);
        expect(answers.map((a) => a.status)).to.deep.equal(Array(12).fill(200));
        expect(s.stats().faults.throttled).to.equal(0);
        expect(s.stats().peakQueued, "the burst waited").to.be.within(1, 10);
    });

    it("answers 503 past the queue's limit, and to what waits longer than the queue's timeout", async () => {
        Object.assign(s.faults, { maxConcurrent: 1, queueLimit: 2, queueTimeoutMs: 10_000 });
        s.resetStats();
        const full = await burst(8);
        expect(full.filter((a) => a.status === 200)).to.have.length(3); // one served, two queued
        expect(full.filter((a) => a.status === 503)).to.have.length(5);
        Object.assign(s.faults, { queueLimit: 20, queueTimeoutMs: 50 });
        s.resetStats();
        const slow = await burst(6);
        expect(slow.filter((a) => a.status === 503).length, "waited past 50 ms behind 40 ms requests").to.be.greaterThan(0);
        expect(s.stats().faults.throttled).to.equal(slow.filter((a) => a.status === 503).length);
    });

    it("without a queue, a request beyond maxConcurrent is 503 at once", async () => {
        Object.assign(s.faults, { maxConcurrent: 1, queueLimit: 0 });
        s.resetStats();
        const answers = await burst(4);
        expect(answers.filter((a) => a.status === 200)).to.have.length(1);
        expect(s.stats().peakQueued).to.equal(0);
        Object.assign(s.faults, { maxConcurrent: 0 });
    });
});
