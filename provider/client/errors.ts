/** Turns non-2xx answers into CupiErrors with CUPI's code and message from the body. */
import { decodeErrors, formatOf } from "./codec";
import { CupiError, kindOfStatus } from "./cupi-error";
import { anotherCluster, configKey } from "./package";
import { parseRetryAfter } from "./retry";
import { pathOf, type Send } from "./transport";

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export const withErrors = (next: Send): Send => async (req) => {
    const res = await next(req);
    if (res.status >= 200 && res.status < 300) return res;
    const kind = kindOfStatus(res.status, req.method);
    const format = formatOf(header(res.headers["content-type"]));
    const entries = format ? decodeErrors(res.body, format) : [];
    const text = entries.length
        ? entries.map((e) => e.message || e.code).join("; ")
        : describeBody(res.body, header(res.headers["content-type"]));
    throw new CupiError({
        kind,
        method: req.method,
        path: pathOf(req),
        status: res.status,
        code: entries[0]?.code || undefined,
        message: hint(res.status, text) + (kind === "ambiguous" ? "; the server may or may not have created the object" : ""),
        retryAfterMs: parseRetryAfter(res.headers["retry-after"]),
    });
};

/** A short, safe rendering of a non-CUPI body (HTML error page, plain text). */
function describeBody(body: string, contentType: string | undefined): string {
    if (!body.trim()) return "(empty body)";
    if (/html/i.test(contentType ?? "") || /^\s*<(!doctype|html)/i.test(body)) {
        const title = /<title>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
        return `HTML page${title ? ` "${title}"` : ""} instead of a CUPI answer (a proxy or the web server answered)`;
    }
    return body.trim().replace(/\s+/g, " ").slice(0, 200);
}

function hint(status: number, text: string): string {
    switch (status) {
        case 401:
            return `${text} - the username or password was rejected; check ${configKey("username")} / ${configKey("password")} (${anotherCluster()}); not retried: CUC locks accounts after repeated failures`;
        case 403:
            return `${text} - the account needs the System Administrator role`;
        case 415:
            return `${text} - the request body needs Content-Type application/xml or application/json`;
        case 503:
            return `${text} - the server is throttling requests (CUC serves 5 at once); lower maxConcurrent or retry later`;
        default:
            return text;
    }
}
