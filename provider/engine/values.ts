/** What the engine's parts share about input values. */

/** What an unknown input looks like to a dynamic provider during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
export const isUnknown = (v: unknown) => v === UNKNOWN;

export type Props = Record<string, unknown>;

export interface Failure {
    property: string;
    reason: string;
}

/** Inputs every resource accepts besides its fields (`__cuc*`: set by the SDK, for auto-naming). */
export const COMMON_INPUTS = ["connection", "__cucName", "__cucScope", "adopt", "adoptMode"];
/** Bookkeeping check keeps in the inputs (an auto-named DisplayName). */
export const BOOKKEEPING = ["__autoNamed"];

/** Structural equality of input values (objects key-order independent). */
export function same(a: unknown, b: unknown): boolean {
    if (a === b) return true;
    if (typeof a === "string" && typeof b === "string") return a === b;
    if (a && b && typeof a === "object" && typeof b === "object") {
        const ka = Object.keys(a as Props).filter((k) => (a as Props)[k] !== undefined);
        const kb = Object.keys(b as Props).filter((k) => (b as Props)[k] !== undefined);
        return ka.length === kb.length && ka.every((k) => same((a as Props)[k], (b as Props)[k]));
    }
    return false;
}

/** Equality of two values as text, ignoring case: how CUPI compares names and ids. */
export const sameText = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();
