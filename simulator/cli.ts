#!/usr/bin/env node
/**
 * `cuc-sim`: runs the CUPI simulator. The first stdout line is machine-readable
 * (`listening <url>`); the next lines give the credentials and the certificate path. It stops on
 * SIGINT, SIGTERM and SIGHUP; `--pid-file` names its own process, which `npx cuc-sim &` does not
 * (`$!` is npx, and a signal to npx does not reach this process).
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { startSimulator, type SimulatorOptions } from "./server";
import { MAX_SEEDED_USERS, type Dataset } from "./dataset";

const USAGE = `Usage: cuc-sim [options]
  --host HOST            address to listen on (default 127.0.0.1)
  --port N               port (default 0: a free one)
  --http                 plain HTTP (default: HTTPS with a generated self-signed certificate)
  --cert-out FILE        where to write the certificate (default: with --state, the one kept
                         beside it, <state>.cert.pem; else a temp file, removed at exit)
  --user NAME            administrator user (default admin)
  --password PASS        administrator password (default printed at start)
  --data FILE            seed objects from a JSON dataset instead of the default one
  --state FILE           persist every change to FILE and reload it at start; the key and
                         certificate are kept beside it, so a restart keeps the same CA
  --users N              add N realistic users to the initial dataset (from voicemailusertemplate)
  --pid-file FILE        write this process's PID to FILE (removed at exit), to stop it with
                         kill $(cat FILE) when started in the background, e.g. by npx
  --latency-ms N         added latency per request
  --jitter-ms N          random extra latency, 0..N
  --fail-rate R          share of requests answered 500/502/503/504 (0..1)
  --fail-methods LIST    the methods --fail-rate applies to, e.g. GET,PUT (default: all)
  --max-concurrent N     serve N requests at once, like CUC's throttle (CUC: 5); beyond: 503,
                         or a wait in the queue with --queue-limit
  --queue-limit N        requests that wait for a slot (CUC: 255); a full queue is 503
  --queue-timeout-ms N   longest wait in the queue before 503 (default 30000)
  --reset-rate R         share of requests whose connection is dropped (0..1)
  --commit-reset-rate R  share of writes committed and then dropped (0..1)
  --hang-rate R          share of requests never answered (0..1)
  --unjoin-purge-ms N    how long an unjoined HTTPS link stays visible (default 30000)
  --no-session-cookie    re-validate credentials on every request
  --seed N               seed for the fault dice
  --help`;

function main(): void {
    const { values } = parseArgs({
        options: {
            host: { type: "string" }, port: { type: "string" }, http: { type: "boolean" },
            "cert-out": { type: "string" }, user: { type: "string" }, password: { type: "string" },
            data: { type: "string" }, state: { type: "string" }, users: { type: "string" }, "pid-file": { type: "string" },
            "latency-ms": { type: "string" }, "jitter-ms": { type: "string" }, "fail-rate": { type: "string" }, "fail-methods": { type: "string" },
            "max-concurrent": { type: "string" }, "queue-limit": { type: "string" }, "queue-timeout-ms": { type: "string" }, "reset-rate": { type: "string" },
            "commit-reset-rate": { type: "string" }, "hang-rate": { type: "string" },
            "unjoin-purge-ms": { type: "string" }, "no-session-cookie": { type: "boolean" },
            seed: { type: "string" }, help: { type: "boolean" },
        },
        strict: true,
    });
    if (values.help) {
        console.log(USAGE);
        return;
    }
    const num = (name: keyof typeof values, max = Infinity): number | undefined => {
        const raw = values[name];
        if (raw === undefined) return undefined;
        const n = Number(raw);
        if (!Number.isFinite(n) || n < 0 || n > max) throw new Error(`--${name} must be a number between 0 and ${max}`);
        return n;
    };
    const options: SimulatorOptions = {
        host: values.host,
        port: num("port", 65535),
        http: values.http,
        certPath: values["cert-out"],
        user: values.user,
        password: values.password,
        data: values.data ? (JSON.parse(fs.readFileSync(values.data, "utf8")) as Dataset) : undefined,
        statePath: values.state,
        users: num("users", MAX_SEEDED_USERS),
        latencyMs: num("latency-ms"),
        jitterMs: num("jitter-ms"),
        failRate: num("fail-rate", 1),
        failMethods: values["fail-methods"],
        maxConcurrent: num("max-concurrent"),
        queueLimit: num("queue-limit"),
        queueTimeoutMs: num("queue-timeout-ms"),
        resetRate: num("reset-rate", 1),
        commitResetRate: num("commit-reset-rate", 1),
        hangRate: num("hang-rate", 1),
        unjoinPurgeMs: num("unjoin-purge-ms"),
        acceptSessionCookie: !values["no-session-cookie"],
        seed: num("seed"),
    };
    const pidFile = values["pid-file"];
    startSimulator(options).then((sim) => {
        if (pidFile) fs.writeFileSync(pidFile, `${process.pid}\n`);
        console.log(`listening ${sim.url}`);
        console.log(`user ${sim.user}`);
        console.log(`password ${sim.password}`);
        if (sim.certPath) console.log(`certificate ${sim.certPath}`);
        const stop = () => {
            if (pidFile) fs.rmSync(pidFile, { force: true });
            sim.close().then(() => process.exit(0));
        };
        // SIGHUP too: the terminal it was started from closed.
        for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, stop);
    }, fail);
}

function fail(e: unknown): void {
    console.error(`cuc-sim: ${(e as Error).message}`);
    process.exit(2);
}

try {
    main();
} catch (e) {
    fail(e);
}
