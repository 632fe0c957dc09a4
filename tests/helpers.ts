/** Test helpers: a raw HTTP(S) caller for the simulator and repository paths. */
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { SPECS } from "../provider/specs";
import { startSimulator, type Dataset, type Simulator, type SimulatorOptions } from "../simulator";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(ROOT, "tests", "fixtures");

export interface RawResponse {
    status: number;
    headers: http.IncomingHttpHeaders;
    body: string;
}

export interface RawOptions {
    body?: string;
    contentType?: string | null;
    accept?: string;
    /** `false` sends no Authorization header; a pair overrides the simulator's credentials. */
    auth?: false | { user: string; password: string };
    cookie?: string;
}

/** One request to the simulator without our client (so simulator tests do not depend on it). */
export function raw(sim: Simulator, method: string, p: string, opts: RawOptions = {}): Promise<RawResponse> {
    const url = new URL(p, sim.url);
    const headers: Record<string, string> = {};
    const creds = opts.auth === false ? undefined : opts.auth ?? { user: sim.user, password: sim.password };
    if (creds) headers.Authorization = `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString("base64")}`;
    if (opts.accept) headers.Accept = opts.accept;
    if (opts.body !== undefined && opts.contentType !== null) headers["Content-Type"] = opts.contentType ?? "application/xml";
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.body !== undefined) headers["Content-Length"] = String(Buffer.byteLength(opts.body));
    const lib = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        const req = lib.request(url, { method, headers, ca: sim.ca, agent: false }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
        });
        req.on("error", reject);
        req.end(opts.body);
    });
}

/** Starts a plain-HTTP simulator unless told otherwise; fast and deterministic for tests. */
export function sim(options: SimulatorOptions = {}): Promise<Simulator> {
    return startSimulator({ http: true, seed: 42, ...options });
}

export const xml = (element: string, fields: Record<string, string | number | boolean>) =>
    `<${element}>${Object.entries(fields).map(([k, v]) => `<${k}>${v}</${k}>`).join("")}</${element}>`;

/**
 * The dataset with no reference to objects of `kind` (no user, template or handler names the phone
 * system, say): only what hangs off such an object stands in the way of deleting it.
 */
export function withoutRefsTo(data: Dataset, kind: string): Dataset {
    return Object.fromEntries(Object.entries(data).map(([k, rows]) => [
        k, (rows ?? []).map((r) => Object.fromEntries(Object.entries(r).filter(([f]) => SPECS[k]?.byCupi.get(f)?.ref !== kind))),
    ]));
}

/** Pulumi's signature key of a secret envelope in an exported stack. */
export const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** Removes Pulumi's secret envelopes (where the Automation API shows decrypted secrets). */
export function withoutSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(withoutSecrets);
    if (v && typeof v === "object") {
        if ((v as Record<string, unknown>)[SECRET_SIG]) return "[secret]";
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutSecrets(x)]));
    }
    return v;
}

/** Every file below a directory. */
export function* walk(dir: string): Generator<string> {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, entry.name);
        if (entry.isDirectory()) yield* walk(p);
        else yield p;
    }
}

/**
 * A simulator that keeps its objects across a restart on the same port (a state file), for
 * password rotations: `restart(password)` stops it and starts it again with that password.
 */
export async function restartableSimulator(start: (options: SimulatorOptions) => Promise<Simulator>, label: string) {
    const dir = fs.mkdtempSync(path.join(ROOT, ".test-output", `${label}-`));
    const statePath = path.join(dir, "sim.json");
    let current = await start({ http: true, statePath });
    const port = Number(new URL(current.url).port);
    return {
        sim: current,
        restart: async (password: string) => {
            await current.close();
            current = await start({ http: true, statePath, port, password });
            return current;
        },
        cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
}

/**
 * Waits for a condition the test cannot be told about by an event (a purge on the server's own
 * schedule, a line in another process's output): checks it at most `tries` times, `everyMs`
 * apart, and fails saying what never happened.
 */
export async function until(condition: () => boolean | Promise<boolean>, what: string | (() => string), { tries = 500, everyMs = 10 } = {}): Promise<void> {
    for (let i = 0; i < tries; i++) {
        if (await condition()) return;
        await new Promise((r) => setTimeout(r, everyMs));
    }
    throw new Error(`${typeof what === "string" ? what : what()} (checked ${tries} times, ${everyMs} ms apart)`);
}

export interface Seen {
    method: string;
    path: string;
    body: string;
}

/**
 * What a test proxy may do to a request: drop its connection before forwarding it (a request that
 * never reached the server), answer it itself (a refusal the simulator would not make), send it to
 * another path, or change the JSON body of the answer (what another CUC version returns).
 */
export interface ProxyHooks {
    drop?(r: Seen): boolean;
    answer?(r: Seen): { status: number; body: string } | undefined;
    rewritePath?(path: string): string;
    rewriteAnswer?(r: Seen, body: string): string;
}

/** An HTTP proxy to `target` that records every request it forwards. */
export async function recordingProxy(target: string, hooks: ProxyHooks = {}): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
    const seen: Seen[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const body = Buffer.concat(chunks);
            const r: Seen = { method: req.method ?? "", path: req.url ?? "", body: body.toString("utf8") };
            seen.push(r);
            if (hooks.drop?.(r)) return void req.socket.destroy();
            const own = hooks.answer?.(r);
            if (own) return void res.writeHead(own.status, { "content-type": "application/json" }).end(own.body);
            const forward = http.request(new URL(hooks.rewritePath?.(r.path) ?? r.path, target), { method: req.method, headers: req.headers }, (answer) => {
                if (!hooks.rewriteAnswer) {
                    res.writeHead(answer.statusCode ?? 502, answer.headers);
                    return void answer.pipe(res);
                }
                const parts: Buffer[] = [];
                answer.on("data", (c: Buffer) => parts.push(c));
                answer.on("end", () => {
                    const text = hooks.rewriteAnswer!(r, Buffer.concat(parts).toString("utf8"));
                    const headers = { ...answer.headers, "content-length": String(Buffer.byteLength(text)) };
                    delete headers["transfer-encoding"];
                    res.writeHead(answer.statusCode ?? 502, headers);
                    res.end(text);
                });
            });
            forward.on("error", () => res.destroy());
            forward.end(body);
        });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    return {
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        seen,
        close: () => new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
        }),
    };
}
