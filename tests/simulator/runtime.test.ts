/**
 * How the simulator runs: authentication and session cookies, HTTPS, persistence across a
 * restart, every fault knob, statistics, reset, and the cuc-sim command line.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as readline from "node:readline";
import { startSimulator, type Simulator } from "../../simulator";
import { identityFiles } from "../../simulator/server";
import { raw, ROOT, sim, until, xml } from "../helpers";

const cookieHeader = (setCookie: string[] | undefined) => (setCookie ?? []).map((c) => c.split(";")[0]).join("; ");

describe("simulator: runtime", function () {
    describe("authentication", () => {
        let s: Simulator;
        before(async () => {
            s = await sim({ readOnlyUser: { user: "helpdesk", password: "Help-1!" } });
        });
        after(() => s.close());

        it("401 with a plain body and a Basic challenge without valid credentials", async () => {
            for (const auth of [false, { user: "admin", password: "wrong" }] as const) {
                const res = await raw(s, "GET", "/vmrest/phonesystems", { auth });
                expect(res.status).to.equal(401);
                expect(res.headers["www-authenticate"]).to.equal('Basic realm="Cisco Unity Connection"');
                expect(res.headers["content-type"]).to.match(/^text\/plain/);
                expect(res.body).not.to.contain("ErrorDetails");
            }
        });

        it("403 for valid credentials without the administrator role", async () => {
            const res = await raw(s, "GET", "/vmrest/phonesystems", { auth: { user: "helpdesk", password: "Help-1!" } });
            expect(res.status).to.equal(403);
        });

        it("sets the three CUC cookies and accepts JSESSIONID instead of re-validating credentials", async () => {
            s.resetStats();
            const first = await raw(s, "GET", "/vmrest/version");
            const setCookie = first.headers["set-cookie"]!;
            expect(setCookie.map((c) => c.split("=")[0])).to.deep.equal(["JSESSIONIDSSO", "JSESSIONID", "REQUEST_TOKEN_KEY"]);
            expect(setCookie[1]).to.contain("Path=/vmrest/").and.to.contain("HttpOnly");
            const cookie = cookieHeader(setCookie);
            for (let i = 0; i < 5; i++) {
                const res = await raw(s, "GET", "/vmrest/phonesystems", { auth: false, cookie });
                expect(res.status).to.equal(200);
                expect(res.headers["set-cookie"]).to.equal(undefined);
            }
            // With both, the session wins and no credential validation happens.
            await raw(s, "GET", "/vmrest/phonesystems", { cookie });
            const stats = s.stats();
            expect(stats.logins).to.equal(1);
            expect(stats.sessionRequests).to.equal(6);
            const bogus = await raw(s, "GET", "/vmrest/phonesystems", { auth: false, cookie: "JSESSIONID=NOPE" });
            expect(bogus.status).to.equal(401);
        });

        it("re-validates on every request when session cookies are switched off", async () => {
            const strict = await sim({ acceptSessionCookie: false });
            try {
                const first = await raw(strict, "GET", "/vmrest/version");
                const cookie = cookieHeader(first.headers["set-cookie"]);
                expect((await raw(strict, "GET", "/vmrest/version", { auth: false, cookie })).status).to.equal(401);
                await raw(strict, "GET", "/vmrest/version", { cookie });
                // The cookie-only request carried no credentials, so only two validations happened.
                expect(strict.stats().logins).to.equal(2);
            } finally {
                await strict.close();
            }
        });
    });

    it("serves HTTPS with a generated self-signed certificate written to a file", async () => {
        const s = await startSimulator({ seed: 1 });
        try {
            expect(s.url).to.match(/^https:\/\/127\.0\.0\.1:\d+$/);
            expect(fs.readFileSync(s.certPath!, "utf8")).to.equal(s.ca);
            const res = await raw(s, "GET", "/vmrest/version");
            expect(res.status).to.equal(200);
            expect(res.headers["set-cookie"]!.join()).to.contain("Secure");
            const untrusted = raw({ ...s, ca: undefined }, "GET", "/vmrest/version");
            await untrusted.then(
                () => expect.fail("an unknown self-signed certificate must be refused"),
                (e: NodeJS.ErrnoException) => expect(e.code).to.match(/SELF_SIGNED|UNABLE_TO_VERIFY/),
            );
        } finally {
            await s.close();
        }
    });

    it("an HTTPS simulator with a state keeps its key and certificate beside it: a restart serves the same CA, verified from the old file", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuc-sim-identity-"));
        const statePath = path.join(dir, "sim-state.json");
        try {
            let s = await startSimulator({ statePath, seed: 2 });
            const first = s.certPath!;
            expect(first).to.equal(path.join(dir, "sim-state.cert.pem")).and.to.equal(identityFiles(statePath).cert);
            expect(fs.readFileSync(first, "utf8")).to.equal(s.ca);
            const ca = s.ca!;
            await s.close();
            expect(fs.readdirSync(dir).sort(), "kept after close").to.deep.equal(["sim-state.cert.pem", "sim-state.json", "sim-state.key.pem"]);
            expect(fs.statSync(identityFiles(statePath).key).mode & 0o077, "the key is the owner's alone").to.equal(0);
            s = await startSimulator({ statePath, seed: 3 });
            try {
                expect(s.certPath).to.equal(first);
                expect(s.ca).to.equal(ca);
                // A client that trusts the file as it was before the restart.
                expect((await raw({ ...s, ca: fs.readFileSync(first, "utf8") }, "GET", "/vmrest/version")).status).to.equal(200);
            } finally {
                await s.close();
            }
            // A kept pair that does not belong together (a key written over) is replaced, not served.
            fs.writeFileSync(identityFiles(statePath).key, generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }));
            s = await startSimulator({ statePath, seed: 4 });
            try {
                expect(s.ca).not.to.equal(ca);
                expect((await raw(s, "GET", "/vmrest/version")).status).to.equal(200);
            } finally {
                await s.close();
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a temporary certificate is removed on close; one that a simulator no longer running left behind, at the next start", async () => {
        const s = await startSimulator({ seed: 5 });
        const temp = s.certPath!;
        expect(path.dirname(temp)).to.equal(os.tmpdir());
        expect(fs.existsSync(temp)).to.equal(true);
        await s.close();
        expect(fs.existsSync(temp), "removed on close").to.equal(false);
        // A process that has exited: its PID names no process now.
        const gone = spawn(process.execPath, ["-e", ""]);
        await new Promise((r) => gone.once("exit", r));
        const stale = path.join(os.tmpdir(), `cuc-sim-${gone.pid}-0badc0de.pem`);
        fs.writeFileSync(stale, "left by a simulator killed before close");
        const next = await startSimulator({ seed: 6 });
        try {
            expect(fs.existsSync(stale), "a dead simulator's certificate").to.equal(false);
            expect(fs.existsSync(next.certPath!)).to.equal(true);
        } finally {
            await next.close();
            fs.rmSync(stale, { force: true });
        }
    });

    it("persists every change to --state and restores it after a restart", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuc-sim-state-"));
        const statePath = path.join(dir, "state.json");
        let s = await sim({ statePath });
        const created = await raw(s, "POST", "/vmrest/phonesystems", { body: xml("PhoneSystem", { DisplayName: "Survivor" }) });
        await raw(s, "PUT", "/vmrest/portgroups/035853ce-f4e6-4de2-bda2-84acf827a555", { body: xml("PortGroup", { MwiOnCode: "11" }) });
        const link = await raw(s, "POST", "/vmrest/httpslinks/operation/autojoin", { body: xml("HttpsLink", { RemoteServer: "b", RemoteUsername: "u", RemotePassword: "p" }) });
        await raw(s, "DELETE", `/vmrest/httpslinks/operation/unjoin/${link.body.split("/").pop()}`);
        // No temporary file is left behind: writes are atomic renames.
        expect(fs.readdirSync(dir)).to.deep.equal(["state.json"]);
        await s.close();
        s = await sim({ statePath, unjoinPurgeMs: 50 });
        try {
            expect((await raw(s, "GET", created.body)).body).to.contain("<DisplayName>Survivor</DisplayName>");
            expect((await raw(s, "GET", "/vmrest/portgroups/035853ce-f4e6-4de2-bda2-84acf827a555")).body).to.contain("<MwiOnCode>11</MwiOnCode>");
            // The unjoined link is still purged on schedule after the restart.
            await until(async () => (await raw(s, "GET", link.body)).status === 404, "the link unjoined before the restart is never purged");
        } finally {
            await s.close();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("POST /__sim/reset restores the initial dataset", async () => {
        const s = await sim();
        try {
            await raw(s, "POST", "/vmrest/phonesystems", { body: xml("PhoneSystem", { DisplayName: "Temp" }) });
            expect((await raw(s, "GET", "/vmrest/phonesystems")).body).to.contain('total="2"');
            await raw(s, "POST", "/__sim/reset");
            expect((await raw(s, "GET", "/vmrest/phonesystems")).body).to.contain('total="1"');
        } finally {
            await s.close();
        }
    });

    it("unjoined links disappear by themselves after the clean-up delay", async () => {
        const s = await sim({ unjoinPurgeMs: 30 });
        try {
            const link = await raw(s, "POST", "/vmrest/httpslinks/operation/autojoin", { body: xml("HttpsLink", { RemoteServer: "b", RemoteUsername: "u", RemotePassword: "p" }) });
            await raw(s, "DELETE", `/vmrest/httpslinks/operation/unjoin/${link.body.split("/").pop()}`);
            expect((await raw(s, "GET", link.body)).status).to.equal(200);
            await until(async () => (await raw(s, "GET", link.body)).status === 404, "the unjoined link never disappears");
        } finally {
            await s.close();
        }
    });

    describe("fault knobs", () => {
        const burst = async (s: Simulator, n: number) => {
            const results = await Promise.allSettled(Array.from({ length: n }, () => raw(s, "GET", "/vmrest/phonesystems")));
            return results.map((r) => (r.status === "fulfilled" ? r.value.status : "reset"));
        };

        it("--max-concurrent answers 503 beyond N requests in flight", async () => {
            const s = await sim({ maxConcurrent: 2, latencyMs: 50 });
            try {
                const statuses = await burst(s, 8);
                expect(statuses.filter((x) => x === 200).length).to.be.at.least(2);
                expect(statuses.filter((x) => x === 503).length).to.be.at.least(1);
                expect(s.stats().faults.throttled).to.equal(statuses.filter((x) => x === 503).length);
                expect(s.stats().peakInFlight).to.be.at.least(3);
            } finally {
                await s.close();
            }
        });

        it("--fail-rate answers 500/502/503/504 and --reset-rate drops connections, repeatably with --seed", async () => {
            const run = async () => {
                const s = await sim({ failRate: 0.3, resetRate: 0.2, seed: 7 });
                try {
                    const statuses: (number | string)[] = [];
                    for (let i = 0; i < 40; i++) statuses.push(...(await burst(s, 1)));
                    return { statuses, faults: s.stats().faults };
                } finally {
                    await s.close();
                }
            };
            const a = await run();
            const b = await run();
            expect(a.statuses).to.deep.equal(b.statuses);
            expect(a.statuses).to.include("reset").and.to.include(200);
            const failed = (x: number | string) => x === 500 || x === 502 || x === 503 || x === 504;
            expect(a.statuses.some(failed)).to.equal(true);
            expect(a.faults.reset).to.equal(a.statuses.filter((x) => x === "reset").length);
            expect(a.faults.failed).to.equal(a.statuses.filter(failed).length);
        });

        it("failMethods limits --fail-rate to the methods it names", async () => {
            const s = await sim();
            try {
                const knobs = (body: object) => raw(s, "POST", "/__sim/faults", { body: JSON.stringify(body), contentType: "application/json" });
                expect(JSON.parse((await knobs({ failRate: 1, failMethods: "GET" })).body)).to.include({ failRate: 1, failMethods: "GET" });
                expect((await raw(s, "POST", "/vmrest/phonesystems", { body: xml("PhoneSystem", { DisplayName: "Lands" }) })).status).to.equal(201);
                expect([500, 502, 503, 504]).to.include((await raw(s, "GET", "/vmrest/phonesystems")).status);
                expect(s.stats().faults.failed).to.equal(1);
                expect((await knobs({ failMethods: 1 })).status, "a knob keeps its type").to.equal(400);
            } finally {
                await s.close();
            }
        });

        it("--latency-ms and --jitter-ms delay answers", async () => {
            const s = await sim({ latencyMs: 80, jitterMs: 20 });
            try {
                const t0 = process.hrtime.bigint();
                await raw(s, "GET", "/vmrest/version");
                const ms = Number(process.hrtime.bigint() - t0) / 1e6;
                expect(ms).to.be.at.least(79);
            } finally {
                await s.close();
            }
        });

        it("commitResetRate commits a write and then drops the connection", async () => {
            const s = await sim({ commitResetRate: 1 });
            try {
                const res = await raw(s, "POST", "/vmrest/phonesystems", { body: xml("PhoneSystem", { DisplayName: "Ghost" }) }).catch((e: Error) => e);
                expect(res).to.be.instanceOf(Error);
                s.faults.commitResetRate = 0;
                expect((await raw(s, "GET", "/vmrest/phonesystems?query=(DisplayName%20is%20Ghost)")).body).to.contain('total="1"');
            } finally {
                await s.close();
            }
        });

        it("hangRate never answers (until the client gives up), and knobs can be changed at run time", async () => {
            const s = await sim();
            let closed = false;
            try {
                let res = await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ hangRate: 1 }), contentType: "application/json" });
                expect(JSON.parse(res.body).hangRate).to.equal(1);
                let outcome = "hung";
                const request = raw(s, "GET", "/vmrest/version").then(() => (outcome = "answered"), () => (outcome = "failed"));
                // The server counts the request when it decides never to answer it.
                await until(() => s.stats().faults.hung === 1, "the simulator never took the request");
                expect(outcome).to.equal("hung");
                expect(s.stats().faults.hung).to.equal(1);
                res = await raw(s, "POST", "/__sim/faults", { body: JSON.stringify({ bogus: 1 }), contentType: "application/json" });
                expect(res.status).to.equal(400);
                expect(outcome, "still no answer").to.equal("hung");
                // Closing the simulator ends the connection: the request fails, never answered.
                closed = true;
                await s.close();
                await request;
                expect(outcome).to.equal("failed");
            } finally {
                if (!closed) await s.close();
            }
        });
    });

    it("GET /__sim/stats counts requests by method, route and status, logins, connections and peak in flight", async () => {
        const s = await sim();
        try {
            await raw(s, "GET", "/vmrest/phonesystems");
            await raw(s, "GET", "/vmrest/phonesystems/05186ad4-572c-48d1-aaa6-ac22280c8702");
            await raw(s, "GET", "/vmrest/phonesystems/00000000-0000-4000-8000-000000000000");
            const stats = JSON.parse((await raw(s, "GET", "/__sim/stats")).body);
            expect(stats.requests).to.equal(3);
            expect(stats.byMethod).to.deep.equal({ GET: 3 });
            expect(stats.byRoute).to.deep.equal({ "GET /vmrest/phonesystems": 1, "GET /vmrest/phonesystems/{id}": 2 });
            expect(stats.byStatus).to.deep.equal({ 200: 2, 404: 1 });
            expect(stats.logins).to.equal(3);
            expect(stats.connections).to.equal(4); // helpers open a connection per request
            expect(stats.peakInFlight).to.equal(1);
            await raw(s, "DELETE", "/__sim/stats");
            expect(JSON.parse((await raw(s, "GET", "/__sim/stats")).body).requests).to.equal(0);
        } finally {
            await s.close();
        }
    });

    it("cuc-sim prints `listening <url>` first, the credentials and certificate next, and stops on SIGTERM", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuc-sim-cli-"));
        const data = path.join(dir, "data.json");
        fs.writeFileSync(data, JSON.stringify({ PhoneSystem: [{ ObjectId: "11111111-2222-4333-8444-555555555555", DisplayName: "FromFile" }] }));
        const child = spawn(process.execPath, [path.join(ROOT, "dist/simulator/cli.js"), "--port", "0", "--data", data, "--password", "Cli-Pass-1", "--cert-out", path.join(dir, "cert.pem")], { stdio: ["ignore", "pipe", "inherit"] });
        try {
            const lines: string[] = [];
            const rl = readline.createInterface({ input: child.stdout! });
            await new Promise<void>((resolve, reject) => {
                rl.on("line", (l) => {
                    lines.push(l);
                    if (lines.length === 4) resolve();
                });
                child.once("exit", () => reject(new Error(`cuc-sim exited early: ${lines.join("\n")}`)));
            });
            expect(lines[0]).to.match(/^listening https:\/\/127\.0\.0\.1:\d+$/);
            expect(lines.slice(1)).to.deep.equal(["user admin", "password Cli-Pass-1", `certificate ${path.join(dir, "cert.pem")}`]);
            const url = lines[0].split(" ")[1];
            const res = await raw({ url, user: "admin", password: "Cli-Pass-1", ca: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") } as Simulator, "GET", "/vmrest/phonesystems");
            expect(res.body).to.contain("<DisplayName>FromFile</DisplayName>");
            const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
            child.kill("SIGTERM");
            expect(await exited).to.equal(0);
        } finally {
            child.kill("SIGKILL");
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("cuc-sim --pid-file names its own process even behind a wrapper like npx; SIGHUP stops it; restarted with --state it keeps its certificate", async function () {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cuc-sim-pid-"));
        const pidFile = path.join(dir, "sim.pid");
        const statePath = path.join(dir, "sim-state.json");
        /** cuc-sim as `npx cuc-sim ... &` runs it: a child of another process, which `$!` would name. */
        const run = async () => {
            const wrapper = spawn("sh", ["-c", `"$0" "$@"; echo wrapper-done`, process.execPath, path.join(ROOT, "dist/simulator/cli.js"), "--port", "0", "--state", statePath, "--pid-file", pidFile], { stdio: ["ignore", "pipe", "inherit"] });
            const lines: string[] = [];
            readline.createInterface({ input: wrapper.stdout! }).on("line", (l) => lines.push(l));
            const exited = new Promise<void>((r) => wrapper.once("exit", () => r()));
            await until(() => lines.length >= 4 || wrapper.exitCode !== null, () => `cuc-sim printed ${lines.join(" | ")}`);
            return { wrapper, lines, exited };
        };
        const first = await run();
        try {
            const url = first.lines[0].split(" ")[1];
            const certPath = first.lines[3].replace(/^certificate /, "");
            expect(certPath).to.equal(path.join(dir, "sim-state.cert.pem"));
            const ca = fs.readFileSync(certPath, "utf8");
            const pid = Number(fs.readFileSync(pidFile, "utf8").trim());
            expect(pid, "the simulator's own PID, not its wrapper's").to.be.greaterThan(0).and.not.equal(first.wrapper.pid);
            process.kill(pid, "SIGHUP");
            await first.exited;
            expect(first.lines).to.include("wrapper-done");
            expect(fs.existsSync(pidFile), "the PID file is removed at exit").to.equal(false);
            const refused = await raw({ url, user: "admin", password: "x", ca } as Simulator, "GET", "/vmrest/version").then(() => "answered", (e: NodeJS.ErrnoException) => e.code);
            expect(refused).to.equal("ECONNREFUSED");
            // The README's `npx cuc-sim --state ./sim-state.json`, started again: the certificate the client trusts.
            const second = await run();
            try {
                expect(second.lines[3]).to.equal(`certificate ${certPath}`);
                const res = await raw({ url: second.lines[0].split(" ")[1], user: "admin", password: second.lines[2].replace(/^password /, ""), ca } as Simulator, "GET", "/vmrest/version");
                expect(res.status).to.equal(200);
            } finally {
                process.kill(Number(fs.readFileSync(pidFile, "utf8").trim()), "SIGTERM");
                await second.exited;
            }
        } finally {
            first.wrapper.kill("SIGKILL");
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("cuc-sim refuses bad options with a message", async () => {
        const child = spawn(process.execPath, [path.join(ROOT, "dist/simulator/cli.js"), "--fail-rate", "2"], { stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        child.stderr!.on("data", (c) => (err += c));
        const code = await new Promise((r) => child.once("exit", r));
        expect(code).to.equal(2);
        expect(err).to.contain("--fail-rate must be a number between 0 and 1");
    });
});
