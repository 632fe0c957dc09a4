/**
 * The process-wide clients: one per server and account, so every resource of a deployment shares
 * one connection pool, one session cookie and one rate limit.
 */
import { createHash } from "node:crypto";
import { CupiClient, type ClientEvents } from "./client";
import { resolveSettings, type ConnectionSettings, type ResolvedSettings } from "./settings";

const clients = new Map<string, CupiClient>();

/** The shared client for these settings (one pool and session per server and account). */
export function getClient(settings: ConnectionSettings | ResolvedSettings = {}, events: ClientEvents = {}): CupiClient {
    const resolved = "origin" in settings ? (settings as ResolvedSettings) : resolveSettings(settings);
    const key = createHash("sha256").update(JSON.stringify(resolved)).digest("hex");
    let client = clients.get(key);
    if (!client) {
        client = new CupiClient(resolved, events);
        clients.set(key, client);
    }
    return client;
}

/** Closes every shared client's connections (tests, CLI exit). */
export function closeClients(): void {
    for (const c of clients.values()) c.close();
    clients.clear();
}
