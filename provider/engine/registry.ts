/** One engine provider per resource kind, shared by both hosts (the dynamic shims look them up by kind). */
import { RESOURCES } from "../resources";
import { makeProvider, type Provider } from "./provider";

export const providers: Readonly<Record<string, Provider>> = Object.fromEntries(
    Object.entries(RESOURCES).map(([kind, def]) => [kind, makeProvider(def)]),
);
