/**
 * The native mode's base classes: resources of type `cuc:index:<Kind>` served by the
 * `pulumi-resource-cuc` plugin (provider/native), explicit providers, and provider functions.
 * The arguments and outputs are those of the dynamic classes, less `connection`: a second
 * cluster is a second `Provider`.
 */
import * as pulumi from "@pulumi/pulumi";
import { nativeToken, PACKAGE } from "../../provider/client/package";
import { SECRET_SETTINGS } from "../../provider/client/settings";
import { objectIdFromId, quietTraces, resourceProps } from "./base";
import { lookupError } from "./errors";
import type { ConnectionArgs } from "../generated/types";

/**
 * The plugin version these classes were generated with: the engine loads exactly this
 * `pulumi-resource-cuc` (installed by `pulumi plugin install resource cuc <version> --file ...`).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const PLUGIN_VERSION: string = require("../../../package.json").version;

export abstract class NativeResource extends pulumi.CustomResource {
    /** The Connection server the object lives on (its origin URL). */
    public declare readonly cucServer: pulumi.Output<string>;

    protected constructor(kind: string, name: string, args: object, opts: pulumi.CustomResourceOptions = {}) {
        const { def, props, secretInputs } = resourceProps(kind, name, args, opts, false);
        const restore = quietTraces(); // as the dynamic classes do: see base.ts
        try {
            super(nativeToken(kind), name, props, {
                version: PLUGIN_VERSION,
                ...opts,
                additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secretInputs],
            });
        } finally {
            restore();
        }
        objectIdFromId(this, def);
    }
}

/** Settings of an explicit provider: the `cuc:*` keys, each an Input. */
export type ProviderArgs = ConnectionArgs;

/**
 * A Connection server and the account that manages it. Without one, resources use the default
 * provider, configured by the stack's `cuc:*` keys. A new password is an update of the provider,
 * never a replacement of its resources; another server replaces them.
 */
export class Provider extends pulumi.ProviderResource {
    constructor(name: string, args: ProviderArgs = {}, opts: pulumi.ResourceOptions = {}) {
        super(PACKAGE, name, providerInputs(args), { version: PLUGIN_VERSION, ...opts });
    }
}

/** An explicit provider's inputs: the settings as given, the secret ones (SETTINGS' `secret`) as secrets. */
export function providerInputs(args: ProviderArgs): pulumi.Inputs {
    const props: pulumi.Inputs = { ...args };
    for (const name of SECRET_SETTINGS) if (args[name] !== undefined) props[name] = pulumi.secret(args[name]);
    return props;
}

/**
 * A provider function (`cuc:index:<name>`), run by the plugin. Its failure (the engine's
 * "invocation of ... returned an error: <the provider's message>") ends the program in one line,
 * as a RunError; a gRPC error (the engine shutting down) is left to Pulumi.
 */
export async function invoke<R>(name: string, args: object | undefined, opts?: pulumi.InvokeOptions): Promise<R> {
    try {
        return (await pulumi.runtime.invoke(nativeToken(name), (args ?? {}) as pulumi.Inputs, { version: PLUGIN_VERSION, ...opts })) as R;
    } catch (e) {
        throw typeof (e as { code?: unknown }).code === "number" ? e : lookupError(e);
    }
}

/** The `...Output` variant: Inputs in, an Output out. */
export function invokeOutput<R>(name: string, args: object | undefined, opts?: pulumi.InvokeOptions): pulumi.Output<R> {
    return pulumi.output(args ?? {}).apply((a) => invoke<R>(name, a as object, opts));
}
