/**
 * The engine benchmark's harness at a tiny size, so `npm run bench` cannot rot: the counts it
 * reports are deterministic (requests by method, logins, connections); its times are not checked.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { benchEngine, directoryWorkload, engineRows, requestsPerObject, STEPS, telephonyWorkload } from "../../scripts/bench-engine";
import { pulumiCommand, ROOT } from "../../scripts/automation";

describe("engine benchmark harness (npm run bench)", function () {
    this.timeout(180_000);
    before(async function () {
        this.timeout(20 * 60_000);
        await pulumiCommand();
    });

    it("reports each step's requests, one login, connections within the limit, and writes the JSON", async () => {
        const out = path.join(ROOT, ".test-output", `bench-engine-test-${process.pid}.json`);
        const b = await benchEngine({ workload: telephonyWorkload(3), latencyMs: 0, out });
        expect(b.steps.map((s) => s.step)).to.deep.equal([...STEPS]);
        const byStep = Object.fromEntries(b.steps.map((s) => [s.step, s]));
        expect(byStep.up.changes).to.deep.equal({ create: 7 }); // and the stack
        expect(byStep.up.byMethod).to.deep.equal({ POST: 6, GET: 6 });
        expect(byStep["no-change up"].requests).to.equal(0);
        expect(byStep["no-change preview"].requests).to.equal(0);
        expect(byStep["no-change up"].changes).to.deep.equal({});
        expect(byStep.refresh.byMethod).to.deep.equal({ GET: 6 });
        expect(byStep.destroy.byMethod).to.deep.equal({ DELETE: 6 });
        for (const s of b.steps.filter((x) => x.requests > 0)) {
            expect(s.logins, s.step).to.equal(1);
            expect(s.connections, s.step).to.be.within(1, b.maxConcurrent);
            expect(s.peakInFlight, s.step).to.be.within(1, b.maxConcurrent);
            expect(s.floorMs, s.step).to.be.greaterThan(0);
        }
        expect(JSON.parse(fs.readFileSync(out, "utf8"))).to.deep.equal(b);
        expect(engineRows(b)).to.have.length(STEPS.length + 1);
        fs.rmSync(out);
    });

    it("the directory workload: users from a template with PINs cost a POST, a PIN PUT and a GET each, one login", async () => {
        const out = path.join(ROOT, ".test-output", `bench-directory-test-${process.pid}.json`);
        const b = await benchEngine({ workload: directoryWorkload({ users: 4, lists: 1 }), latencyMs: 0, out, floor: false });
        const up = b.steps.find((s) => s.step === "up")!;
        expect(up.changes).to.deep.equal({ create: 7 }); // a template, 4 users, a list, and the stack
        expect(requestsPerObject(b, "up", "User", "/vmrest/users")).to.deep.equal({
            "POST /vmrest/users": 1, "PUT /vmrest/users/{id}/credential/pin": 1, "GET /vmrest/users/{id}": 1,
        });
        expect(up.byRoute["POST /vmrest/distributionlists/{id}/distributionlistmembers"], "one POST per member").to.equal(4);
        for (const s of b.steps.filter((x) => x.requests > 0)) expect(s.logins, s.step).to.equal(1);
        expect(b.steps.find((s) => s.step === "no-change up")!.requests).to.equal(0);
        fs.rmSync(out);
    });
});
