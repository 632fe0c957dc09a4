/** Client layers in isolation: settings, query builders, redaction, retry and back-off. */
import { expect } from "chai";
import { buildQuery, buildSort, CupiError, normalizeServer, redact, registerSecret, resolveSettings } from "../../provider/client";
import { createLimiter } from "../../provider/client/limit";
import { NOT_PROCESSED_STATUSES, RETRYABLE_NETWORK, TRANSIENT_STATUSES, type NetworkFailure } from "../../provider/client/cupi-error";
import { UNREACHABLE_WINDOW_MS, withCircuit } from "../../provider/client/circuit";
import { withErrors } from "../../provider/client/errors";
import { backoff, parseRetryAfter, withRetry } from "../../provider/client/retry";
import { queryString } from "../../provider/client/query";
import { networkError, type CupiRequest, type CupiResponse } from "../../provider/client/transport";
import { SPECS } from "../../provider/specs";

const err = (fn: () => unknown): string => {
    try {
        fn();
    } catch (e) {
        return (e as Error).message;
    }
    return expect.fail("expected an error") as never;
};

describe("client parts", () => {
    describe("settings", () => {
        it("normalizes host, host:port and URLs; https by default", () => {
            expect(normalizeServer("cuc.example.com")).to.equal("https://cuc.example.com");
            expect(normalizeServer("cuc:8443")).to.equal("https://cuc:8443");
            expect(normalizeServer("https://cuc.example.com/vmrest/")).to.equal("https://cuc.example.com");
            expect(normalizeServer("http://127.0.0.1:9000")).to.equal("http://127.0.0.1:9000");
            expect(normalizeServer("[2001:db8::1]:443")).to.equal("https://[2001:db8::1]");
            expect(err(() => normalizeServer("ftp://x"))).to.contain("https://");
            expect(err(() => normalizeServer("https://u:p@x"))).to.contain("must not contain credentials");
        });

        it("takes explicit values over CUC_* variables and names both when missing", () => {
            const env = { CUC_SERVER: "env-host", CUC_USERNAME: "env-user", CUC_PASSWORD: "Env-Pass-1", CUC_INSECURE: "true", CUC_MAX_CONCURRENT: "3" };
            const r = resolveSettings({ server: "explicit" }, env);
            expect(r).to.include({ origin: "https://explicit", username: "env-user", password: "Env-Pass-1", insecure: true, maxConcurrent: 3, timeoutMs: 60000, format: "xml", sendBasicAlways: true });
            const msg = err(() => resolveSettings({}, {}));
            expect(msg).to.contain("cuc:server (CUC_SERVER)").and.to.contain("cuc:password (CUC_PASSWORD)");
            expect(err(() => resolveSettings({ server: "x", username: "u", password: "p", maxConcurrent: 0 }, {}))).to.contain("maxConcurrent");
            expect(err(() => resolveSettings({ server: "x", username: "u", password: "p", caCert: "/nope.pem" }, {}))).to.contain("cuc:caCert");
            expect(resolveSettings({ server: "x", username: "u", password: "p", caCert: "-----BEGIN CERTIFICATE-----\nabc" }, {}).ca).to.contain("BEGIN");
        });
    });

    describe("query and sort builders", () => {
        it("build CUPI's grammar from TypeScript or CUPI column names", () => {
            expect(buildQuery(SPECS.PortGroup, { column: "displayName", value: "Site A" })).to.equal("(DisplayName is Site A)");
            expect(buildQuery(SPECS.PortGroup, { column: "EnableMWI", value: true })).to.equal("(EnableMWI is 1)");
            expect(buildQuery(SPECS.Port, { column: "displayname", op: "startswith", value: "PS-1" })).to.equal("(DisplayName startswith PS-1)");
            expect(buildSort(SPECS.Port, { column: "portNumInGroup", direction: "desc" })).to.equal("(PortNumInGroup desc)");
            expect(queryString({ query: "(DisplayName is Site A)", rowsPerPage: 5 })).to.equal("?query=(DisplayName%20is%20Site%20A)&rowsPerPage=5");
        });

        it("reject what CUPI would not accept, naming the allowed columns", () => {
            expect(err(() => buildQuery(SPECS.Port, { column: "HuntOrder", value: 1 }))).to.contain("cannot be searched by HuntOrder").and.to.contain("DisplayName");
            expect(err(() => buildQuery(SPECS.Port, { column: "Nope", value: 1 }))).to.contain("no column 'Nope'");
            expect(err(() => buildQuery(SPECS.PortGroup, { column: "EnableMWI", value: "maybe" }))).to.contain("boolean");
            expect(err(() => buildQuery(SPECS.PortGroup, { column: "DisplayName", value: "a\nb" }))).to.contain("control characters");
            expect(err(() => buildQuery(SPECS.PortGroup, { column: "DisplayName", value: " " }))).to.contain("needs a value");
            expect(err(() => buildQuery(SPECS.PortGroup, { column: "DisplayName", op: "contains" as "is", value: "x" }))).to.contain("operator");
            expect(err(() => buildSort(SPECS.Port, { column: "CapMWI" }))).to.contain("cannot be sorted");
            expect(err(() => buildSort(SPECS.Port, { column: "DisplayName", direction: "up" as "asc" }))).to.contain("direction");
        });
    });

    it("redacts registered secrets, Basic credentials and session cookies", () => {
        registerSecret("Very-Secret-42");
        const text = redact("pw Very-Secret-42 Authorization: Basic YWRtaW46eA== Cookie: JSESSIONID=ABC123; REQUEST_TOKEN_KEY=99");
        expect(text).to.equal("pw *** Authorization: Basic *** Cookie: JSESSIONID=***; REQUEST_TOKEN_KEY=***");
        expect(new CupiError({ kind: "validation", message: "bad Very-Secret-42" }).message).to.equal("bad ***");
    });

    describe("retry", () => {
        const ok: CupiResponse = { status: 200, headers: {}, body: "" };
        const req = (method: CupiRequest["method"]): CupiRequest => ({ method, path: "/vmrest/x", headers: {} });
        const throttled = (retryAfterMs?: number) => new CupiError({ kind: "throttled", status: 503, message: "busy", retryAfterMs });

        it("retries GET, PUT and DELETE within the budget, honouring Retry-After", async () => {
            for (const method of ["GET", "PUT", "DELETE"] as const) {
                const delays: number[] = [];
                let calls = 0;
                const send = withRetry(async () => {
                    if (++calls < 3) throw throttled(calls === 1 ? 1234 : undefined);
                    return ok;
                }, { retries: 5, baseMs: 100, maxMs: 10_000, random: () => 0.5, sleep: async (ms) => void delays.push(ms) });
                expect(await send(req(method))).to.equal(ok);
                expect(calls).to.equal(3);
                expect(delays).to.deep.equal([1234, 100]); // Retry-After, then 0.5 * 100 * 2^1
            }
        });

        it("gives up when the budget is spent, and never retries POST or 401", async () => {
            let calls = 0;
            const failing = withRetry(async () => {
                calls++;
                throw throttled();
            }, { retries: 2, baseMs: 1, maxMs: 1, sleep: async () => undefined });
            await failing(req("GET")).catch(() => undefined);
            expect(calls).to.equal(3);
            calls = 0;
            await failing(req("POST")).catch(() => undefined);
            expect(calls).to.equal(1);
            calls = 0;
            const auth = withRetry(async () => {
                calls++;
                throw new CupiError({ kind: "auth", status: 401, message: "no" });
            }, { retries: 5, baseMs: 1, maxMs: 1, sleep: async () => undefined });
            await auth(req("GET")).catch(() => undefined);
            expect(calls).to.equal(1);
        });

        it("what is retried is the one table: every transient status and network failure, classified alike by the transport and by CupiError", async () => {
            const origin = "https://cuc.example.com";
            /** Tries of a GET that fails with `error` every time, with 5 retries. */
            const tries = async (error: CupiError) => {
                let calls = 0;
                const send = withRetry(async () => {
                    calls++;
                    throw error;
                }, { retries: 5, baseMs: 0, maxMs: 0, sleep: async () => undefined });
                await send(req("GET")).catch(() => undefined);
                return calls;
            };
            for (const [failure, { codes }] of Object.entries(RETRYABLE_NETWORK) as [NetworkFailure, { codes: readonly string[] }][]) {
                for (const code of codes) {
                    const get = networkError({ code, message: `${code} on the wire` }, req("GET"), 100, origin);
                    expect(get, code).to.include({ network: failure, retryable: true, unreachable: failure === "unreachable" });
                    expect(await tries(get), code).to.equal(6);
                    // A POST that may have arrived is looked up, never resent blindly; one that never arrived is resent.
                    const post = networkError({ code, message: code }, req("POST"), 100, origin);
                    expect(post.mayHaveCreated, code).to.equal(failure !== "unreachable");
                    expect(post.retryable, code).to.equal(failure === "unreachable");
                }
            }
            // Errors without a code are classified by their words; anything else is not retried.
            expect(networkError({ message: "socket hang up" }, req("GET"), 100, origin).network).to.equal("dropped");
            expect(networkError({ message: "timeout of 100ms exceeded" }, req("GET"), 100, origin).kind).to.equal("timeout");
            for (const code of ["EPROTO", "DEPTH_ZERO_SELF_SIGNED_CERT"]) {
                const e = networkError({ code, message: code }, req("GET"), 100, origin);
                expect(e.retryable, code).to.equal(false);
                expect(await tries(e), code).to.equal(1);
            }
            for (const status of [...TRANSIENT_STATUSES, 400, 404, 409]) {
                const answer = withErrors(async () => ({ status, headers: {}, body: "" }));
                const get = (await answer(req("GET")).catch((e: CupiError) => e)) as CupiError;
                expect(get.retryable, String(status)).to.equal(TRANSIENT_STATUSES.has(status));
                const post = (await answer(req("POST")).catch((e: CupiError) => e)) as CupiError;
                expect(post.mayHaveCreated, `POST ${status}`).to.equal(TRANSIENT_STATUSES.has(status) && !NOT_PROCESSED_STATUSES.has(status));
                expect(post.retryable, `POST ${status}`).to.equal(NOT_PROCESSED_STATUSES.has(status));
            }
        });

        it("says what failed on the wire and what to do, naming the setting", () => {
            const origin = "https://cuc.example.com";
            const say = (e: { code?: string; message?: string }, method: CupiRequest["method"] = "GET") => networkError(e, req(method), 2500, origin).message;
            expect(say({ code: "ECONNABORTED", message: "timeout of 2500ms exceeded" })).to.equal(
                "GET /vmrest/x: no answer from https://cuc.example.com within 2500 ms (timeout; raise timeoutMs if the server is slow)");
            expect(say({ code: "ECONNABORTED", message: "timeout of 2500ms exceeded" }, "POST")).to.equal(
                "POST /vmrest/x: no answer from https://cuc.example.com within 2500 ms (timeout; raise timeoutMs if the server is slow); the server may or may not have created the object");
            const unreachable: Record<string, string> = {
                ECONNREFUSED: "nothing accepts connections at that address and port",
                ENOTFOUND: "the host name does not resolve",
                EAI_AGAIN: "the host name could not be resolved (DNS did not answer)",
                EHOSTUNREACH: "no route to the server",
            };
            for (const [code, words] of Object.entries(unreachable)) {
                expect(say({ code, message: code })).to.equal(`GET /vmrest/x: cannot reach ${origin} (${code}: ${words}); check cuc:server (CUC_SERVER) and that the server is up`);
            }
            const tls = say({ code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", message: "unable to verify" });
            expect(tls).to.match(/^GET \/vmrest\/x: TLS certificate of https:\/\/cuc\.example\.com could not be verified \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); set cuc:caCert \(CUC_CA_CERT\) to the server's CA certificate/);
            expect(tls).to.match(/for a lab only, cuc:insecure=true \(CUC_INSECURE=true\)$/);
            expect(say({ code: "ECONNRESET", message: "read ECONNRESET" })).to.equal("GET /vmrest/x: ECONNRESET talking to https://cuc.example.com: read ECONNRESET");
            expect(say({ code: "ECONNRESET", message: "read ECONNRESET" }, "POST")).to.equal(
                "POST /vmrest/x: ECONNRESET talking to https://cuc.example.com: read ECONNRESET; the connection dropped after the request was sent, so the object may or may not exist");
            expect(say({ message: "x".repeat(300) })).to.equal(`GET /vmrest/x: network error talking to ${origin}: ${"x".repeat(200)}`);
        });

        it("backs off exponentially with full jitter, capped", () => {
            const opts = { retries: 9, baseMs: 1000, maxMs: 30_000, random: () => 1 };
            expect([0, 1, 2, 3, 6].map((n) => backoff(n, opts))).to.deep.equal([1000, 2000, 4000, 8000, 30000]);
            expect(parseRetryAfter("3")).to.equal(3000);
            expect(parseRetryAfter(new Date(Date.now() + 60_000).toUTCString())).to.be.within(58_000, 60_000);
            expect(parseRetryAfter("soon")).to.equal(undefined);
        });

        it("reads Retry-After as whole seconds or an HTTP date, and nothing else", () => {
            expect(parseRetryAfter(" 120 ")).to.equal(120_000);
            expect(parseRetryAfter(["7", "9"])).to.equal(7000);
            expect(parseRetryAfter(new Date(Date.now() - 60_000).toUTCString())).to.equal(0); // a date in the past: at once
            for (const bad of ["3 soon", "later 3", "1.5", "", undefined]) expect(parseRetryAfter(bad), String(bad)).to.equal(undefined);
        });
    });

    describe("errors: what a failed answer says", () => {
        const get: CupiRequest = { method: "GET", path: "/vmrest/phonesystems/x", headers: {} };
        const answer = async (status: number, body: string, headers: CupiResponse["headers"] = {}, req = get) =>
            (await withErrors(async () => ({ status, headers, body }))(req).catch((e: CupiError) => e)) as CupiError;

        it("names a proxy's HTML page by its title instead of quoting it", async () => {
            const page = "<html><head><title> 502 Bad Gateway </title></head><body><h1>Bad Gateway</h1>" + "x".repeat(500) + "</body></html>";
            const e = await answer(502, page, { "content-type": "text/html; charset=utf-8" });
            expect(e.message).to.equal('GET /vmrest/phonesystems/x: HTTP 502: HTML page "502 Bad Gateway" instead of a CUPI answer (a proxy or the web server answered)');
            expect(e.kind).to.equal("server");
            // Recognised by its first tag when the content type does not say so; no title, no quotes.
            for (const body of ["  <!DOCTYPE html><p>down</p>", "<HTML><body>down</body></HTML>"]) {
                expect((await answer(500, body, { "content-type": "text/plain" })).message, body)
                    .to.equal("GET /vmrest/phonesystems/x: HTTP 500: HTML page instead of a CUPI answer (a proxy or the web server answered)");
            }
        });

        it("says the body was empty, and quotes other text on one line, at most 200 characters", async () => {
            for (const body of ["", "  \n "]) expect((await answer(500, body)).message).to.equal("GET /vmrest/phonesystems/x: HTTP 500: (empty body)");
            const text = await answer(500, "  Service\n\n   unavailable  " + "y".repeat(300));
            expect(text.message).to.equal(`GET /vmrest/phonesystems/x: HTTP 500: ${("Service unavailable " + "y".repeat(300)).slice(0, 200)}`);
        });

        it("takes CUPI's code and every message of the body, and adds what to do for 401, 403, 415 and 503", async () => {
            const body = "<ErrorDetails><errors><code>INVALID_PARAMETER</code><message>bad a</message></errors><errors><code>X</code><message>bad b</message></errors></ErrorDetails>";
            const e = await answer(400, body, { "content-type": "application/xml" });
            expect(e).to.include({ kind: "validation", code: "INVALID_PARAMETER", status: 400 });
            expect(e.message).to.equal("GET /vmrest/phonesystems/x: HTTP 400 INVALID_PARAMETER: bad a; bad b");
            const hints: Record<number, RegExp> = {
                401: /^GET \S+: HTTP 401: no - the username or password was rejected; check cuc:username \/ cuc:password.*not retried: CUC locks accounts/,
                403: /^GET \S+: HTTP 403: no - the account needs the System Administrator role$/,
                415: /^GET \S+: HTTP 415: no - the request body needs Content-Type application\/xml or application\/json$/,
                503: /^GET \S+: HTTP 503: no - the server is throttling requests \(CUC serves 5 at once\); lower maxConcurrent or retry later$/,
                409: /^GET \S+: HTTP 409: no$/,
            };
            for (const [status, re] of Object.entries(hints)) expect((await answer(Number(status), "no")).message).to.match(re);
            const post = await answer(502, "", {}, { ...get, method: "POST" });
            expect(post.kind).to.equal("ambiguous");
            expect(post.message).to.match(/\(empty body\); the server may or may not have created the object$/);
            expect((await answer(503, "", { "retry-after": "4" })).retryAfterMs).to.equal(4000);
        });
    });

    describe("circuit: an unreachable server", () => {
        const origin = "https://cuc.example.com";
        const req: CupiRequest = { method: "GET", path: "/vmrest/phonesystems", headers: {} };
        const refused = () => networkError({ code: "ECONNREFUSED", message: "connect ECONNREFUSED" }, req, 100, origin);
        let now = 0;
        const realNow = Date.now;
        beforeEach(() => {
            now = 1_000_000;
            Date.now = () => now;
        });
        afterEach(() => (Date.now = realNow));

        /** A circuit over a server whose next answers are `script` (an error is thrown); counts what was sent. */
        const circuit = (script: (CupiError | CupiResponse)[]) => {
            const sent = { count: 0 };
            const send = withCircuit(async () => {
                sent.count++;
                const next = script.shift();
                if (!next) throw new Error("script exhausted");
                if (next instanceof CupiError) throw next;
                return next;
            }, origin);
            return { send: (r = req) => send(r).catch((e: CupiError) => e), sent };
        };
        const ok: CupiResponse = { status: 200, headers: {}, body: "" };

        it("stops sending once no answer came for the whole window: the failure that gives up tells the cause, once and final; the rest are short", async () => {
            const { send, sent } = circuit([refused(), refused(), refused()]);
            expect(((await send()) as CupiError).retryable, "before the window: worth another try").to.equal(true);
            now += UNREACHABLE_WINDOW_MS - 1;
            await send();
            now += 1; // the window is reached
            const opened = (await send()) as CupiError;
            expect(opened).to.include({ notSent: false, final: true, kind: "transport", network: "unreachable" });
            expect(opened.retryable, "the retry layer stops here: the cause reaches the caller").to.equal(false);
            expect(opened.message).to.match(/^GET \/vmrest\/phonesystems: cannot reach https:\/\/cuc\.example\.com \(ECONNREFUSED: .*; no answer for 2 s, so nothing more is sent to it in this run$/);
            const e = (await send({ method: "DELETE", path: "/vmrest/axlservers/1", headers: {} })) as CupiError;
            expect(sent.count).to.equal(3);
            expect(e).to.include({ notSent: true, kind: "transport", network: "unreachable" });
            expect(e.retryable).to.equal(false);
            // Not the cause again, nor the request that met it: one short line.
            expect(e.message).to.equal("DELETE /vmrest/axlservers/1: not sent: https://cuc.example.com could not be reached earlier in this run (the first error about it says why)");
        });

        it("starts the window again when anything answers, even an error; a timeout is no answer", async () => {
            const notFound = new CupiError({ kind: "not-found", status: 404, method: "GET", path: "/x", message: "gone" });
            const timeout = new CupiError({ kind: "timeout", method: "GET", path: "/x", message: "timeout" });
            for (const answer of [ok, notFound]) {
                const { send, sent } = circuit([refused(), answer, refused(), refused(), ok]);
                await send();
                now += UNREACHABLE_WINDOW_MS;
                await send(); // answered: the streak ends
                await send(); // a new streak starts here
                now += UNREACHABLE_WINDOW_MS - 1;
                await send();
                expect(await send(), String(answer)).to.equal(ok);
                expect(sent.count).to.equal(5);
            }
            const { send, sent } = circuit([refused(), timeout, refused(), ok]);
            await send();
            await send();
            now += UNREACHABLE_WINDOW_MS;
            await send(); // the streak began with the first refusal
            expect(await send()).to.include({ notSent: true });
            expect(sent.count).to.equal(3);
        });

        it("opens at once on a certificate that does not verify", async () => {
            const tls = networkError({ code: "DEPTH_ZERO_SELF_SIGNED_CERT", message: "self-signed certificate" }, req, 100, origin);
            const { send, sent } = circuit([tls, ok]);
            expect(await send()).to.equal(tls);
            expect(await send()).to.include({ notSent: true, kind: "tls" });
            expect(sent.count).to.equal(1);
        });
    });

    it("the limiter runs at most N at once, in order", async () => {
        const limit = createLimiter(2);
        let peak = 0;
        const order: number[] = [];
        await Promise.all(Array.from({ length: 6 }, (_, i) => limit(async () => {
            peak = Math.max(peak, limit.active);
            order.push(i);
            await new Promise((r) => setTimeout(r, 5));
        })));
        expect(peak).to.equal(2);
        expect(order).to.deep.equal([0, 1, 2, 3, 4, 5]);
    });
});
