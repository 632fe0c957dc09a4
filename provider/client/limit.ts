/** At most `max` requests in flight; the rest wait in FIFO order. */
import type { Send } from "./transport";

export interface Limiter {
    <T>(fn: () => Promise<T>): Promise<T>;
    readonly active: number;
    readonly waiting: number;
}

export function createLimiter(max: number): Limiter {
    let active = 0;
    const queue: (() => void)[] = [];
    const run = async <T>(fn: () => Promise<T>): Promise<T> => {
        if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
        active++;
        try {
            return await fn();
        } finally {
            active--;
            queue.shift()?.();
        }
    };
    return Object.defineProperties(run, {
        active: { get: () => active },
        waiting: { get: () => queue.length },
    }) as Limiter;
}

export const withLimit = (next: Send, limiter: Limiter): Send => (req) => limiter(() => next(req));
