export * as specs from "./specs";
export * from "./client";
export { makeProvider, UNKNOWN } from "./engine";
export type { Provider } from "./engine";
export { RESOURCES } from "./resources";
export type { ResourceDef } from "./resources";
export { shim } from "./shim";

import { makeProvider, type Provider } from "./engine";
import { RESOURCES } from "./resources";

/** One provider per resource kind; the serialized shims look them up here by name. */
export const providers: Readonly<Record<string, Provider>> = Object.fromEntries(
    Object.entries(RESOURCES).map(([kind, def]) => [kind, makeProvider(def)]),
);
