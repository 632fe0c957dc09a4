/** One engine provider per resource kind, shared by both hosts (the dynamic shims look them up by kind). */
import { RESOURCES, type ResourceDef } from "../resources";
import { makeProvider, type Provider } from "./provider";

const made = new Map<ResourceDef, Provider>();

/** The provider of a kind, made the first time it is asked for. */
function providerOf(kind: string): Provider | undefined {
    const def = RESOURCES[kind];
    if (!def) return undefined;
    let p = made.get(def);
    if (!p) made.set(def, (p = makeProvider(def)));
    return p;
}

/**
 * The providers by kind, over RESOURCES as it is when asked (a definition added after this module
 * loaded is served too). The shims in every stack's state read `providers[kind]`: keep that shape.
 */
export const providers: Readonly<Record<string, Provider>> = new Proxy({} as Record<string, Provider>, {
    get: (_, kind) => (typeof kind === "string" ? providerOf(kind) : undefined),
    has: (_, kind) => typeof kind === "string" && kind in RESOURCES,
    ownKeys: () => Object.keys(RESOURCES),
    getOwnPropertyDescriptor: (_, kind) => {
        const value = typeof kind === "string" ? providerOf(kind) : undefined;
        return value && { value, enumerable: true, configurable: true, writable: false };
    },
});
