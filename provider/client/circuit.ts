/**
 * Fails fast when the server cannot be reached. A refused connection or an unknown host that
 * lasts a couple of seconds (a restarting process is back sooner; an outage is not), or a
 * certificate that does not verify (at once), will not get better within one `pulumi up`: from
 * then on every queued and later request of this client fails at once, without being sent, so a
 * program of any size fails in seconds instead of minutes of back-off. The cause is told once,
 * by the failure that made the client give up (final: not retried); the requests not sent after
 * it say so in a short line each, not the cause again. A new run (a new process) tries again.
 */
import { CupiError } from "./cupi-error";
import { pathOf, type Send } from "./transport";

/** How long the server may stay unreachable (no answer to any request) before the client stops trying. */
export const UNREACHABLE_WINDOW_MS = 2000;

export function withCircuit(next: Send, origin: string): Send {
    let since: number | undefined; // first failure of the current unreachable streak
    let open: CupiError | undefined;
    return async (req) => {
        if (open) {
            throw new CupiError({
                kind: open.kind,
                method: req.method,
                path: pathOf(req),
                notSent: true,
                network: open.network,
                message: `not sent: ${origin} ${open.kind === "tls" ? "failed TLS verification" : "could not be reached"} earlier in this run (the first error about it says why)`,
            });
        }
        try {
            const res = await next(req);
            since = undefined;
            return res;
        } catch (e) {
            // A certificate that does not verify is final as it is (never retried).
            if (e instanceof CupiError && e.kind === "tls") open = e;
            else if (e instanceof CupiError && e.unreachable) {
                since ??= Date.now();
                if (Date.now() - since >= UNREACHABLE_WINDOW_MS) {
                    open = e;
                    throw new CupiError({
                        kind: e.kind, method: e.method, path: e.path, network: e.network, final: true,
                        message: `${reason(e)}; no answer for ${UNREACHABLE_WINDOW_MS / 1000} s, so nothing more is sent to it in this run`,
                    });
                }
            } else if (e instanceof CupiError && e.kind !== "timeout") since = undefined; // something answered
            throw e;
        }
    };
}

/** The cause without the method and path of the request that met it. */
// Stryker disable next-line Regex: the message starts with its method and path: the first match is there, anchored or not
const reason = (e: CupiError) => e.message.replace(/^[A-Z]+ \/\S*: /, "");
