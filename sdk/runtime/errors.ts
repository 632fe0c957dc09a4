/**
 * How a failed lookup (a data function, or a native provider function) ends a Pulumi program:
 * one line per error, its message, reported once.
 */
import * as pulumi from "@pulumi/pulumi";

/** The errors made here: their rejections are reported already. */
const reported = new WeakSet<object>();
let listening = false;

/**
 * The error to throw: a RunError (Pulumi logs its message alone), without stack frames. Pulumi
 * also util.inspect()s, in colour, every error it reports (a tracing event, even for RunErrors);
 * Node 20.20 loops there until "Invalid string length", ~20 s of CPU and GC per error
 * (nodejs/node#64011), on a frame whose path ends in a scope with no further directory, and
 * every error thrown in an apply has one: `node_modules/@pulumi/output.ts` (the SDK's source
 * maps point one directory up). A RunError's stack is never shown, so nothing is lost.
 */
export function lookupError(e: unknown): pulumi.RunError {
    const err = pulumi.RunError.isInstance(e) ? e : new pulumi.RunError(e instanceof Error ? e.message : String(e));
    err.stack = String(err);
    reported.add(err);
    quietLateHandlers();
    return err;
}

/**
 * Pulumi reports a failed Output when Node finds its rejection unhandled, then attaches handlers
 * to it later (serializing the stack's outputs): Node would print a PromiseRejectionHandledWarning
 * for each such promise, after the error itself. A `rejectionHandled` listener replaces Node's
 * warning: none for our errors, the same warning for any other rejection.
 */
function quietLateHandlers(): void {
    if (listening) return;
    listening = true;
    process.on("rejectionHandled", (promise: Promise<unknown>) => {
        promise.catch((reason: unknown) => {
            if (typeof reason === "object" && reason !== null && reported.has(reason)) return;
            process.emitWarning("Promise rejection was handled asynchronously", "PromiseRejectionHandledWarning");
        });
    });
}
