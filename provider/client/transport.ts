/**
 * The only module that performs HTTP: axios over keep-alive agents, one connection pool per
 * server. It never throws for an HTTP status (the errors layer decides); network failures
 * become CupiErrors without the axios error, which holds the request's credentials.
 */
import * as http from "node:http";
import * as https from "node:https";
import axios, { type AxiosInstance } from "axios";
import { CupiError, networkFailure } from "./cupi-error";
import { anotherCluster, configKey } from "./package";
import { settingLabel, SETTINGS, type ResolvedSettings } from "./settings";

export type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface CupiRequest {
    method: Method;
    /** Path below the origin, with its query string, e.g. `/vmrest/phonesystems?rowsPerPage=5`. */
    path: string;
    headers: Record<string, string>;
    body?: string;
    timeoutMs?: number;
}

export interface CupiResponse {
    status: number;
    headers: Record<string, string | string[] | undefined>;
    body: string;
}

/** Every layer has this signature, so retry, limit, session and errors wrap one another. */
export type Send = (req: CupiRequest) => Promise<CupiResponse>;

/** Path without the query string, for messages and stats. */
export const pathOf = (req: CupiRequest) => req.path.split("?")[0];

export function createTransport(settings: ResolvedSettings): { send: Send; close(): void } {
    const agentOptions = { keepAlive: true, maxSockets: settings.maxConcurrent, maxFreeSockets: settings.maxConcurrent };
    const httpsAgent = new https.Agent({ ...agentOptions, ca: settings.ca, rejectUnauthorized: !settings.insecure });
    const httpAgent = new http.Agent(agentOptions);
    const instance: AxiosInstance = axios.create({
        baseURL: settings.origin,
        httpsAgent,
        httpAgent,
        timeout: settings.timeoutMs,
        maxRedirects: 0,
        proxy: false,
        responseType: "text",
        transformResponse: [(data: unknown) => data], // bodies are decoded by the codec
        validateStatus: () => true,
    });
    const send: Send = async (req) => {
        try {
            const res = await instance.request<string>({
                method: req.method,
                url: req.path,
                headers: req.headers,
                data: req.body,
                timeout: req.timeoutMs ?? settings.timeoutMs,
            });
            return { status: res.status, headers: res.headers as CupiResponse["headers"], body: typeof res.data === "string" ? res.data : "" };
        } catch (e) {
            throw networkError(e, req, req.timeoutMs ?? settings.timeoutMs, settings.origin);
        }
    };
    return {
        send,
        close: () => {
            httpsAgent.destroy();
            httpAgent.destroy();
        },
    };
}

const UNREACHABLE_HINTS: Record<string, string> = {
    ECONNREFUSED: "nothing accepts connections at that address and port",
    ENOTFOUND: "the host name does not resolve",
    EAI_AGAIN: "the host name could not be resolved (DNS did not answer)",
};

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|DEPTH_ZERO|UNABLE_TO_GET_ISSUER/;

/** A failed request without an answer as a CupiError: its kind, and its class in RETRYABLE_NETWORK (cupi-error.ts). */
export function networkError(e: unknown, req: CupiRequest, timeoutMs: number, origin: string): CupiError {
    const err = e as { code?: string; message?: string };
    const code = err.code ?? "";
    const network = networkFailure(code, err.message ?? "");
    const base = { method: req.method, path: pathOf(req), network };
    const ambiguous = req.method === "POST";
    if (network === "timeout") {
        return new CupiError({
            ...base,
            cause: e,
            kind: ambiguous ? "ambiguous" : "timeout",
            message: `no answer from ${origin} within ${timeoutMs} ms (timeout; raise timeoutMs if the server is slow)` +
                (ambiguous ? "; the server may or may not have created the object" : ""),
        });
    }
    if (TLS_CODES.test(code)) {
        return new CupiError({
            ...base,
            cause: e,
            kind: "tls",
            message: `TLS certificate of ${origin} could not be verified (${code}); set ${settingLabel("caCert")} to the ` +
                `server's CA certificate (PEM text or file; ${anotherCluster("the caCert")}); ` +
                `for a lab only, ${configKey("insecure")}=true (${SETTINGS.insecure.env}=true)`,
        });
    }
    const reset = network === "dropped";
    if (network === "unreachable") {
        return new CupiError({ ...base, kind: "transport", cause: e, message: `cannot reach ${origin} (${code}: ${UNREACHABLE_HINTS[code] ?? "no route to the server"}); check ${settingLabel("server")} and that the server is up` });
    }
    return new CupiError({
        ...base,
        kind: ambiguous && reset ? "ambiguous" : "transport",
        cause: e,
        message: `${code || "network error"} talking to ${origin}: ${(err.message ?? "").slice(0, 200)}` +
            (ambiguous && reset ? "; the connection dropped after the request was sent, so the object may or may not exist" : ""),
    });
}
