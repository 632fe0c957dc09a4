/** The answers the simulator's rules give: CUPI's status, ErrorDetails code and message. */
import type { ObjectSpec } from "../provider/specs/types";

export class SimError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
    }
}

export const notFound = (spec: ObjectSpec, id: string) =>
    new SimError(404, "NOT_FOUND", `${spec.noun} - ObjectId=${id}`);
export const invalid = (message: string) => new SimError(400, "DATA_EXCEPTION", message);
