/**
 * The Pulumi package name, declared once, and the names built from it: the stack's configuration
 * keys (`cuc:server`), the dynamic resources' type names (`cuc:PhoneSystem`, also the prefix of
 * the engine's messages) and the native type tokens (`cuc:index:PhoneSystem`). The client is the
 * lowest layer that needs it (its settings are read from `cuc:*` keys); every layer above and the
 * SDK take it from here.
 */
export const PACKAGE = "cuc";

/** A key of the stack's configuration: `cuc:server`. */
export const configKey = (name: string): string => `${PACKAGE}:${name}`;

/**
 * Where else a program gives a server's settings, in words that fit both hosts: the client does
 * not know whether they come from an explicit provider (native mode) or a resource's `connection`
 * (dynamic mode); the engine names which where it knows (provider.ts REFUSED_HINT).
 */
export const anotherCluster = (what = "the ones"): string => `or, for another cluster, ${what} the program gives it`;

/** A dynamic resource's type name in this package, as messages name it: `cuc:PhoneSystem`. */
export const dynamicToken = (kind: string): string => `${PACKAGE}:${kind}`;

/** The type Pulumi gives a dynamic resource of this package (previews, state, `pulumi stack export`): `pulumi-nodejs:dynamic/cuc:PhoneSystem`. */
export const dynamicTypeToken = (kind: string): string => `pulumi-nodejs:dynamic/${dynamicToken(kind)}`;

/** The type token of a native resource, type or function: `cuc:index:PhoneSystem`. */
export const nativeToken = (name: string): string => `${PACKAGE}:index:${name}`;
