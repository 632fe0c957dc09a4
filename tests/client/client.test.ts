/**
 * The CUPI client against the simulator over real HTTP: every operation on every object in XML
 * and JSON, paging, query and sort, each error kind (with redaction checked), retries, POST
 * safety, session reuse and the concurrency cap.
 */
import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CupiClient, CupiError, resolveSettings, type ConnectionSettings } from "../../provider/client";
import { specs } from "../../provider";
import { generateDataset, startSimulator, type Simulator } from "../../simulator";
import { raw, sim, until } from "../helpers";
import { autojoin, unjoin, unjoinSelf } from "../../provider/resources/httpslink";

const { PhoneSystem, AxlServer, PhoneSystemAssociation, PortGroup, Port, ExternalService, HttpsLink, Tenant } = specs;
const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";
const PG = "035853ce-f4e6-4de2-bda2-84acf827a555";
const UNKNOWN = "00000000-0000-4000-8000-000000000000";

const clients: CupiClient[] = [];
function client(s: Simulator | { url: string; user: string; password: string; ca?: string }, extra: ConnectionSettings = {}): CupiClient {
    const c = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: s.password, caCert: s.ca, retryBaseMs: 5, retryMaxMs: 50, ...extra }, {}));
    clients.push(c);
    return c;
}
afterEach(() => {
    while (clients.length) clients.pop()!.close();
});

/** Runs `fn` and returns the CupiError it throws. */
async function failure(fn: () => Promise<unknown>): Promise<CupiError> {
    try {
        await fn();
    } catch (e) {
        expect(e).to.be.instanceOf(CupiError);
        return e as CupiError;
    }
    return expect.fail("expected a CupiError") as never;
}

/** No error may show the password, the Authorization header or a session cookie. */
function expectClean(e: CupiError, s: Simulator | { password: string; user: string }) {
    const text = `${e.message} ${JSON.stringify(e)} ${String(e.stack)}`;
    expect(text).not.to.contain(s.password);
    expect(text).not.to.contain(Buffer.from(`${s.user}:${s.password}`).toString("base64"));
    expect(text).not.to.match(/JSESSIONID=[0-9A-F]{8}/);
}

describe("client vs simulator", function () {
    let s: Simulator;
    beforeEach(async () => {
        s = await sim({ readOnlyUser: { user: "helpdesk", password: "Help-Desk-9" } });
    });
    afterEach(() => s.close());

    for (const format of ["xml", "json"] as const) {
        describe(`in ${format}`, () => {
            let c: CupiClient;
            beforeEach(() => {
                c = client(s, { format });
            });

            it("version", async () => {
                expect(await c.version()).to.match(/^\d+\.\d+\.\d+/);
            });

            it("phone systems: create, get, list, update, delete", async () => {
                const id = await c.create(PhoneSystem, { DisplayName: "Branch", CallLoopGuardTimeMs: 3000 });
                const got = await c.get(PhoneSystem, id);
                expect(got).to.include({ ObjectId: id, DisplayName: "Branch", CallLoopGuardTimeMs: 3000, MwiForceOff: false, CallLoopDTMF: "A", PortCount: 0 });
                expect((await c.list(PhoneSystem)).map((p) => p.DisplayName)).to.deep.equal(["PhoneSystem", "Branch"]);
                await c.update(PhoneSystem, id, { MwiForceOff: true });
                expect((await c.get(PhoneSystem, id)).MwiForceOff).to.equal(true);
                await c.delete(PhoneSystem, id);
                expect(await c.find(PhoneSystem, id)).to.equal(undefined);
            });

            it("AXL servers under a phone system, and its associations", async () => {
                const id = await c.create(AxlServer, { MediaSwitchObjectId: PS, HostOrIPAddress: "cucm-pub", Port: 8443, CcmAXLUser: "axl", CcmAXLPassword: "Axl-Secret-7" }, PS);
                expect(await c.get(AxlServer, id, PS)).to.include({ HostOrIPAddress: "cucm-pub", Port: 8443, CcmAXLPassword: "", IsPinSyncEnabled: false });
                await c.update(AxlServer, id, { Precedence: 1 }, PS);
                const list = await c.list(AxlServer, { parentId: PS });
                expect(list.map((a) => a.Precedence)).to.deep.equal([1]);
                await c.delete(AxlServer, id, PS);
                expect(await c.list(AxlServer, { parentId: PS })).to.deep.equal([]);
                const users = await c.list(PhoneSystemAssociation, { parentId: PS });
                expect(users.map((u) => u.numNotificationMWI)).to.deep.equal([1, 1]);
            });

            it("port groups and ports: list, get, MWI update", async () => {
                await c.update(PortGroup, PG, { MwiOnCode: "*55", MwiOffCode: "#55" });
                expect(await c.get(PortGroup, PG)).to.include({ MwiOnCode: "*55", MwiOffCode: "#55", EnableMWI: true, PortCount: 4 });
                const ports = await c.list(Port, { query: { column: "portGroupId", value: PG }, sort: { column: "DisplayName", direction: "desc" } });
                expect(ports.map((p) => p.PortNumInGroup)).to.deep.equal([4, 3, 2, 1]);
                expect(await c.get(Port, String(ports[0].ObjectId))).to.include({ CapMWI: true, MediaSwitchObjectId: PS });
            });

            it("external services and tenants", async () => {
                const [tenant] = await c.list(Tenant); // a single-member collection is still an array
                expect(tenant.ObjectId).to.be.a("string");
                expect(await c.get(Tenant, String(tenant.ObjectId))).to.include({ Language: 1033 });
                const id = await c.create(ExternalService, { DisplayName: "Exchange", ServerType: 4, Server: "mail", ServiceAlias: "svc", ServicePassword: "Svc-Secret-3", AuthenticationMode: 3, ExchServerType: 1, SecurityTransportType: 1, TenantObjectId: tenant.ObjectId });
                expect(await c.get(ExternalService, id)).to.include({ ServerType: 4, AuthenticationMode: 3, ServicePassword: "", IsEnabled: true });
                await c.update(ExternalService, id, { IsEnabled: false });
                const byTenant = await c.list(ExternalService, { query: { column: "TenantObjectId", value: tenant.ObjectId } });
                expect(byTenant.map((e) => e.IsEnabled)).to.deep.equal([false]);
                await c.delete(ExternalService, id);
                expect(await c.list(ExternalService)).to.deep.equal([]);
            });

            it("HTTPS links: autojoin, get, update, unjoin, unjoinself", async () => {
                const id = await autojoin(c, { RemoteServer: "cuc-b.example.com", RemoteUsername: "admin", RemotePassword: "Remote-Secret-5", UseSSL: true });
                expect(await c.get(HttpsLink, id)).to.include({ DisplayName: "cuc-b", UseSSL: true, Deleted: false, LastUsn: 0 });
                await c.update(HttpsLink, id, { DisplayName: "Site B", SyncDistributionLists: true });
                const e = await failure(() => c.update(HttpsLink, id, { SyncDistributionLists: false }));
                expect(e.kind).to.equal("validation");
                expect(e.message).to.contain("SyncDistributionLists");
                await unjoin(c, id);
                expect((await c.get(HttpsLink, id)).Deleted).to.equal(true);
                const other = await autojoin(c, { RemoteServer: "cuc-c", RemoteUsername: "admin", RemotePassword: "Remote-Secret-5" });
                await unjoinSelf(c);
                expect((await c.get(HttpsLink, other)).Deleted).to.equal(true);
            });
        });
    }

    it("lists across pages until total, one request per page", async () => {
        const big = await sim({ data: generateDataset({ portGroupsPerSystem: 1, portsPerGroup: 23 }) });
        try {
            const c = client(big);
            const ports = await c.list(Port, { pageSize: 5 });
            expect(ports).to.have.length(23);
            expect(new Set(ports.map((p) => p.ObjectId)).size).to.equal(23);
            expect(big.stats().byRoute["GET /vmrest/ports"]).to.equal(5);
            expect(await c.count(Port)).to.equal(23);
        } finally {
            await big.close();
        }
    });

    describe("errors", () => {
        it("not-found, validation and CUPI's 400 for PUT of an unknown id", async () => {
            const c = client(s);
            let e = await failure(() => c.get(PhoneSystem, UNKNOWN));
            expect(e).to.include({ kind: "not-found", status: 404, code: "NOT_FOUND", method: "GET", path: `/vmrest/phonesystems/${UNKNOWN}` });
            e = await failure(() => c.update(PhoneSystem, UNKNOWN, { MwiForceOff: true }));
            expect(e).to.include({ kind: "validation", status: 400, code: "DATA_EXCEPTION" });
            e = await failure(() => c.create(PhoneSystem, { DisplayName: "PhoneSystem" }));
            expect(e.kind).to.equal("validation");
            expect(e.message).to.contain("already used");
            e = await failure(() => c.get(PhoneSystem, "not-a-guid"));
            expect(e.message).to.contain("is not a GUID");
            expectClean(e, s);
        });

        it("auth: 401 is final, never retried, and the message names the settings", async () => {
            const c = client({ ...s, password: "Wrong-Password-1" });
            const e = await failure(() => c.list(PhoneSystem));
            expect(e).to.include({ kind: "auth", status: 401 });
            expect(e.message).to.contain("cuc:password");
            expect(s.stats().byStatus["401"]).to.equal(1);
            expectClean(e, { user: s.user, password: "Wrong-Password-1" });
        });

        it("forbidden: 403 for an account without the role", async () => {
            const c = client({ ...s, user: "helpdesk", password: "Help-Desk-9" });
            const e = await failure(() => c.list(PhoneSystem));
            expect(e).to.include({ kind: "forbidden", status: 403 });
            expectClean(e, { user: "helpdesk", password: "Help-Desk-9" });
        });

        it("throttled: 503 beyond the server's limit once the retry budget is spent", async () => {
            await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ maxConcurrent: 1, latencyMs: 30 }), contentType: "application/json" });
            const c = client(s, { maxConcurrent: 6, retries: 0 });
            const results = await Promise.allSettled(Array.from({ length: 6 }, () => c.list(PhoneSystem)));
            const errors = results.filter((r): r is PromiseRejectedResult => r.status === "rejected").map((r) => r.reason as CupiError);
            expect(errors.length).to.be.at.least(1);
            for (const e of errors) {
                expect(e).to.include({ kind: "throttled", status: 503 });
                expect(e.retryable).to.equal(true);
                expectClean(e, s);
            }
        });

        it("transport: connection refused", async () => {
            const closed = await sim();
            const url = closed.url;
            await closed.close();
            const c = client({ url, user: s.user, password: s.password }, { retries: 1 });
            const e = await failure(() => c.version());
            expect(e.kind).to.equal("transport");
            expect(e.message).to.contain("ECONNREFUSED");
            expectClean(e, s);
        });

        it("timeout: a hung request fails after the configured timeout and says so", async () => {
            await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ hangRate: 1 }), contentType: "application/json" });
            const c = client(s, { timeoutMs: 150, retries: 1 });
            const e = await failure(() => c.get(PhoneSystem, PS));
            expect(e.kind).to.equal("timeout");
            expect(e.message).to.contain("within 150 ms");
            expect(s.stats().faults.hung).to.equal(2); // first try and one retry
            expectClean(e, s);
        });

        it("tls: an unverified certificate is refused with a hint to cuc:caCert; insecure skips it with a warning", async () => {
            const secure = await startSimulator({ seed: 3 });
            try {
                let e = await failure(() => client({ ...secure, ca: undefined }).version());
                expect(e.kind).to.equal("tls");
                expect(e.message).to.contain("cuc:caCert");
                expectClean(e, secure);
                expect(await client(secure).version()).to.match(/^\d/);
                const warnings: string[] = [];
                const insecure = new CupiClient(resolveSettings({ server: secure.url, username: secure.user, password: secure.password, insecure: true }, {}), { onWarning: (m) => warnings.push(m) });
                clients.push(insecure);
                expect(await insecure.version()).to.match(/^\d/);
                expect(warnings).to.have.length(1);
                expect(warnings[0]).to.contain("TLS verification is off");
                e = await failure(() => client(secure, { caCert: "/nonexistent/ca.pem" }).version());
                expect(e.kind).to.equal("config");
            } finally {
                await secure.close();
            }
        });

        it("protocol: HTML pages, truncated XML, empty 200 bodies and odd content types are clear errors", async () => {
            const answers: [number, string, string][] = [
                [200, "text/html", "<html><head><title>Login</title></head><body>sign in</body></html>"],
                [200, "application/xml", '<?xml version="1.0"?><PhoneSystems total="1"><PhoneSystem><DisplayName>x</Dis'],
                [200, "application/xml", ""],
                [200, "application/octet-stream", "\u0000\u0001binary"],
                [502, "text/html", "<html><title>502 Bad Gateway</title></html>"],
                [200, "application/json", '{"@total":"x"}'],
            ];
            let i = 0;
            const server = http.createServer((req, res) => {
                const [status, type, body] = answers[i++ % answers.length];
                res.writeHead(status, { "Content-Type": type });
                res.end(body);
            });
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
            try {
                const c = client({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, user: "admin", password: "Proxy-Pass-2" }, { retries: 0 });
                const messages: string[] = [];
                for (let n = 0; n < answers.length; n++) {
                    const e = await failure(() => c.list(PhoneSystem));
                    expect(e.kind, e.message).to.equal(n === 4 ? "server" : "protocol");
                    expectClean(e, { user: "admin", password: "Proxy-Pass-2" });
                    messages.push(e.message);
                }
                expect(messages[0]).to.contain("text/html");
                expect(messages[1]).to.contain("malformed XML");
                expect(messages[2]).to.contain("empty body");
                expect(messages[3]).to.contain("application/octet-stream");
                expect(messages[4]).to.contain('HTML page "502 Bad Gateway"');
                expect(messages[5]).to.contain("no valid total");
            } finally {
                server.close();
            }
        });
    });

    describe("retries and POST safety", () => {
        it("GET succeeds after injected 503s; the retries are counted", async () => {
            await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ maxConcurrent: 1, latencyMs: 20 }), contentType: "application/json" });
            // A budget that outlasts a loaded machine (back-off at most 50 ms a try): 8 GETs through one slot.
            const c = client(s, { maxConcurrent: 4, retries: 40 });
            const results = await Promise.all(Array.from({ length: 8 }, () => c.list(PhoneSystem)));
            expect(results.every((r) => r.length === 1)).to.equal(true);
            expect(s.stats().faults.throttled).to.be.at.least(1);
            expect(c.retryCounts["503"]).to.equal(s.stats().faults.throttled);
        });

        it("GET and PUT succeed after connection resets", async () => {
            await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ resetRate: 0.3 }), contentType: "application/json" });
            const c = client(s, { retries: 10 });
            for (let i = 0; i < 15; i++) {
                await c.update(PortGroup, PG, { MwiOnCode: String(i) });
                expect((await c.get(PortGroup, PG)).MwiOnCode).to.equal(String(i));
            }
            expect(s.stats().faults.reset).to.be.at.least(1);
            expect(c.retryCounts.transport).to.equal(s.stats().faults.reset);
        });

        it("POST is not retried: a dropped connection after commit is reported as ambiguous", async () => {
            await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ commitResetRate: 1 }), contentType: "application/json" });
            const c = client(s, { retries: 5 });
            const e = await failure(() => c.create(PhoneSystem, { DisplayName: "Once" }));
            expect(e.kind).to.equal("ambiguous");
            expect(e.message).to.contain("may or may not");
            expect(s.stats().byMethod.POST).to.equal(1);
        });

        it("createVerified finds the committed object instead of creating a second one", async () => {
            await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ commitResetRate: 1 }), contentType: "application/json" });
            const c = client(s);
            const lookup = async () => {
                s.faults.commitResetRate = 0;
                const found = await c.list(PhoneSystem, { query: { column: "DisplayName", value: "Once" } });
                return found[0] ? String(found[0].ObjectId) : undefined;
            };
            const { id, recovered } = await c.createVerified(() => c.create(PhoneSystem, { DisplayName: "Once" }), lookup);
            expect(recovered).to.equal(true);
            expect(s.stats().byMethod.POST).to.equal(1);
            expect((await c.get(PhoneSystem, id)).DisplayName).to.equal("Once");
        });

        it("createVerified POSTs again when the lookup shows nothing was created", async () => {
            await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ maxConcurrent: 1, latencyMs: 30 }), contentType: "application/json" });
            const c = client(s, { maxConcurrent: 4, retries: 20 });
            const names = ["A1", "A2", "A3", "A4"];
            await Promise.all(names.map((n) =>
                c.createVerified(() => c.create(PhoneSystem, { DisplayName: n }), async () => {
                    const found = await c.list(PhoneSystem, { query: { column: "DisplayName", value: n } });
                    return found[0] ? String(found[0].ObjectId) : undefined;
                })));
            s.faults.maxConcurrent = 0;
            const all = (await c.list(PhoneSystem)).map((p) => p.DisplayName);
            for (const n of names) expect(all.filter((x) => x === n)).to.have.length(1);
            expect(s.stats().faults.throttled).to.be.at.least(1);
        });
    });

    describe("sessions and concurrency", () => {
        it("one credential validation for many requests; one TCP connection per concurrent slot", async () => {
            const c = client(s, { maxConcurrent: 2 });
            s.resetStats();
            await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? c.list(PortGroup) : c.get(PhoneSystem, PS))));
            const stats = s.stats();
            expect(stats.requests).to.equal(40);
            expect(stats.logins).to.equal(1);
            expect(stats.sessionRequests).to.equal(39);
            expect(stats.connections).to.be.at.most(2);
        });

        it("re-authenticates once when a cookie-only session expires", async () => {
            const short = await sim({ sessionTtlSeconds: 0.05 });
            try {
                const c = client(short, { sendBasicAlways: false });
                await c.version();
                await c.version();
                expect(short.stats()).to.include({ logins: 1, sessionRequests: 1 });
                // A session opened after the client's expires after it: once the server refuses
                // that one's cookie, it refuses the client's too.
                const later = (await raw(short, "GET", "/vmrest/version")).headers["set-cookie"]!.map((c) => c.split(";")[0]).join("; ");
                await until(async () => (await raw(short, "GET", "/vmrest/version", { auth: false, cookie: later })).status === 401, "the simulator never expired a 50 ms session");
                short.resetStats();
                await c.version();
                // The cookie alone is refused, then one login.
                expect(short.stats()).to.include({ requests: 2, logins: 1, authFailures: 1, sessionRequests: 0 });
            } finally {
                await short.close();
            }
        });

        it("a burst that meets an expired session logs in once, the other requests wait for its cookie", async () => {
            const short = await sim({ sessionTtlSeconds: 0.05 });
            try {
                const c = client(short, { sendBasicAlways: false, maxConcurrent: 4 });
                await c.version();
                const later = (await raw(short, "GET", "/vmrest/version")).headers["set-cookie"]!.map((c) => c.split(";")[0]).join("; ");
                await until(async () => (await raw(short, "GET", "/vmrest/version", { auth: false, cookie: later })).status === 401, "the simulator never expired a 50 ms session");
                short.resetStats();
                const answers = await Promise.all(Array.from({ length: 8 }, () => c.version()));
                expect(answers.every((v) => typeof v === "string" && v.length > 0)).to.equal(true);
                const stats = short.stats();
                // Up to 4 requests were in flight with the expired cookie; one of them logged in again.
                expect(stats.logins).to.equal(1);
                expect(stats.authFailures).to.be.within(1, 4);
                expect(stats.requests).to.equal(8 + stats.authFailures);
            } finally {
                await short.close();
            }
        });

        it("never has more requests in flight than maxConcurrent (the server's --max-concurrent is never hit)", async () => {
            await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ maxConcurrent: 2, latencyMs: 10 }), contentType: "application/json" });
            const c = client(s, { maxConcurrent: 2, retries: 0 });
            s.resetStats();
            await Promise.all(Array.from({ length: 30 }, () => c.get(PhoneSystem, PS)));
            expect(s.stats().peakInFlight).to.equal(2);
            expect(s.stats().faults.throttled).to.equal(0);
        });
    });
});
