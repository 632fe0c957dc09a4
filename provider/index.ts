/**
 * `pulumi-cuc/provider`: the public API of the provider layers (the CUPI client, the object
 * tables, the resource definitions and the engine). `providers` is what the serialized dynamic
 * provider in every stack's state loads by package name: keep it exported here.
 */
export * as specs from "./specs";
export * from "./client";
export { makeProvider, UNKNOWN } from "./engine/provider";
export type { Provider } from "./engine/provider";
export { providers } from "./engine/registry";
export { RESOURCES } from "./resources";
export type { ResourceDef } from "./resources";
export { shim } from "./hosts/dynamic/shim";
