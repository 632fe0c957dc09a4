/**
 * What keeps the client safe on a real cluster, over real HTTP: one failed login per process
 * (CUC locks accounts), transient 5xx retried (and a POST that met one looked up before it is
 * sent again), and fast, quiet failure when the server cannot be reached.
 */
import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CupiClient, CupiError, resolveSettings, type ConnectionSettings } from "../../provider/client";
import { specs } from "../../provider";
import { startSimulator, type Simulator } from "../../simulator";
import { sim } from "../helpers";

const { PhoneSystem } = specs;
const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";

const clients: CupiClient[] = [];
function client(server: string, password: string, extra: ConnectionSettings = {}): CupiClient {
    const c = new CupiClient(resolveSettings({ server, username: "admin", password, retryBaseMs: 5, retryMaxMs: 50, ...extra }, {}));
    clients.push(c);
    return c;
}
afterEach(() => {
    while (clients.length) clients.pop()!.close();
});

const settle = async (ps: Promise<unknown>[]) => (await Promise.allSettled(ps)).map((r) => (r.status === "rejected" ? (r.reason as CupiError) : undefined));

/** A server that answers each request with the next scripted status (200: a normal answer; the default when the script is done). */
async function scripted(statuses: number[]): Promise<{ url: string; seen: string[]; close(): void }> {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
        seen.push(`${req.method} ${req.url}`);
        const status = statuses.shift() ?? 200;
        if (status !== 200) return void res.writeHead(status, { "Content-Type": "text/plain" }).end(`status ${status}`);
        if (req.method === "POST") return void res.writeHead(201, { "Content-Type": "text/plain" }).end(`/vmrest/phonesystems/${PS}`);
        if (req.method !== "GET") return void res.writeHead(204).end();
        res.writeHead(200, { "Content-Type": "application/xml" }).end(`<PhoneSystem><ObjectId>${PS}</ObjectId><DisplayName>X</DisplayName></PhoneSystem>`);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => server.close() };
}

describe("client safety on a real cluster", () => {
    describe("a refused login costs one failed login per process", () => {
        let s: Simulator;
        beforeEach(async () => (s = await sim({ password: "Right-Pass-1" })));
        afterEach(() => s.close());

        it("30 concurrent requests with a wrong password: 1 login attempt, every request fails with the same clear error", async () => {
            const c = client(s.url, "Wrong-Pass-2");
            const errors = await settle(Array.from({ length: 30 }, () => c.get(PhoneSystem, PS)));
            expect(s.stats()).to.include({ logins: 1, authFailures: 1, requests: 1 });
            expect(errors.every((e) => e?.kind === "auth" && e.status === 401)).to.equal(true);
            expect(errors.filter((e) => e!.notSent)).to.have.length(29);
            for (const e of errors) {
                expect(e!.message).to.contain("cuc:password");
                expect(e!.message).not.to.contain("Wrong-Pass-2");
            }
            // Later requests of the same client are not sent either.
            await settle([c.list(PhoneSystem), c.version()]);
            expect(s.stats().requests).to.equal(1);
        });

        it("the right password in a new client logs in (the refusal belongs to the credentials)", async () => {
            await settle([client(s.url, "Wrong-Pass-2").version()]);
            expect(await client(s.url, "Right-Pass-1").version()).to.match(/^\d/);
            expect(s.stats()).to.include({ logins: 2, authFailures: 1 });
        });
    });

    describe("transient server errors", () => {
        it("GET, PUT and DELETE are retried after 500, 502 and 504", async () => {
            const srv = await scripted([500, 502, 504, 200, 500, 502, 504, 200, 500, 502, 504]);
            try {
                const c = client(srv.url, "Any-Pass-1");
                expect((await c.get(PhoneSystem, PS)).DisplayName).to.equal("X");
                await c.update(PhoneSystem, PS, { DisplayName: "Y" });
                await c.delete(PhoneSystem, PS);
                expect(srv.seen.filter((r) => r.startsWith("GET"))).to.have.length(4);
                expect(srv.seen.filter((r) => r.startsWith("PUT"))).to.have.length(4);
                expect(srv.seen.filter((r) => r.startsWith("DELETE"))).to.have.length(4);
                expect(c.retryCounts).to.deep.equal({ 500: 3, 502: 3, 504: 3 });
            } finally {
                srv.close();
            }
        });

        it("a POST answered 500, 502 or 504 is ambiguous and never re-sent by the retry layer", async () => {
            for (const status of [500, 502, 504]) {
                const srv = await scripted([status]);
                try {
                    const e = (await settle([client(srv.url, "Any-Pass-1").create(PhoneSystem, { DisplayName: "Once" })]))[0]!;
                    expect(e).to.include({ kind: "ambiguous", status });
                    expect(e.message).to.contain("may or may not have created");
                    expect(srv.seen.filter((r) => r.startsWith("POST"))).to.have.length(1);
                } finally {
                    srv.close();
                }
            }
        });

        it("createVerified looks the object up after a 502 before posting again, and keeps what it finds", async () => {
            const srv = await scripted([502]);
            try {
                const c = client(srv.url, "Any-Pass-1");
                let lookups = 0;
                const found = await c.createVerified(() => c.create(PhoneSystem, { DisplayName: "Once" }), async () => (++lookups === 1 ? undefined : PS));
                expect(found).to.deep.equal({ id: PS, recovered: false });
                expect(lookups).to.equal(1);
                expect(srv.seen.filter((r) => r.startsWith("POST"))).to.have.length(2);
            } finally {
                srv.close();
            }
        });
    });

    describe("an unreachable server fails fast and quietly", () => {
        const rejections: unknown[] = [];
        const onRejection = (e: unknown) => rejections.push(e);
        before(() => process.on("unhandledRejection", onRejection));
        after(() => process.off("unhandledRejection", onRejection));

        it("connection refused: a few quick tries, then every queued and later request fails at once, unsent", async () => {
            const gone = await sim();
            const url = gone.url;
            await gone.close();
            const c = client(url, "Any-Pass-1", { retries: 10, retryBaseMs: 1000 });
            const errors = await settle(Array.from({ length: 50 }, () => c.get(PhoneSystem, PS)));
            expect(errors.every((e) => e?.kind === "transport")).to.equal(true);
            // The cause once, by the request that made the client give up; the others say they were not sent.
            const told = errors.filter((e) => e!.message.includes(`cannot reach ${url} (ECONNREFUSED`));
            expect(told, "the cause, told once").to.have.length(1);
            expect(told[0]!.message).to.contain("cuc:server").and.to.contain("nothing more is sent to it in this run");
            // Only the requests in flight before the client gave up tried; the rest were never sent.
            expect(errors.filter((e) => e!.notSent).length).to.be.at.least(48);
            expect(errors.filter((e) => e!.notSent).every((e) => e!.message.includes("could not be reached earlier in this run (the first error about it says why)"))).to.equal(true);
            expect(rejections).to.deep.equal([]);
        });

        it("a certificate that does not verify: one handshake, then nothing more is sent", async () => {
            const secure = await startSimulator({ seed: 4 });
            try {
                const c = client(secure.url, secure.password, { maxConcurrent: 1 });
                const errors = await settle(Array.from({ length: 20 }, () => c.get(PhoneSystem, PS)));
                expect(errors.every((e) => e?.kind === "tls")).to.equal(true);
                expect(errors.filter((e) => e!.notSent)).to.have.length(19);
                // The cause (and the fix) once; the requests not sent after it in a short line each.
                expect(errors.filter((e) => !e!.notSent).map((e) => e!.message).join()).to.contain("cuc:caCert");
                for (const e of errors.filter((x) => x!.notSent)) expect(e!.message).to.match(/failed TLS verification earlier in this run \(the first error about it says why\)$/).and.not.to.contain("cuc:caCert");
            } finally {
                await secure.close();
            }
            expect(rejections).to.deep.equal([]);
        });
    });
});
