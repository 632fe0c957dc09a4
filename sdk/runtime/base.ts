/**
 * The base of every resource class: a `pulumi.dynamic.Resource` whose provider is the thin shim,
 * with readable type tokens (`cuc:<Kind>`), secret passwords and a clear refusal of `import`.
 */
import * as pulumi from "@pulumi/pulumi";
import { configKey, dynamicToken, PACKAGE } from "../../provider/client/package";
import { unknownSettings } from "../../provider/client/settings";
import { RESOURCES, type ResourceDef } from "../../provider/resources";
import { shim } from "../../provider/hosts/dynamic/shim";
import type { DataConnection } from "../generated/types";

// One shim object per kind, so Pulumi serializes each provider once per program.
const shims = new Map<string, pulumi.dynamic.ResourceProvider>();
function providerFor(kind: string): pulumi.dynamic.ResourceProvider {
    let p = shims.get(kind);
    if (!p) shims.set(kind, (p = shim(kind)));
    return p;
}

/** Every output name of a kind (the definition's outputs), and the dynamic resources' own connection. */
const outputNames = (def: ResourceDef, connection: boolean) => [...def.outputs.map((o) => o.name), ...(connection ? ["connection"] : [])];

/** The organization, where the backend has one (older engines and mocks may not say). */
function organization(): string {
    try {
        return pulumi.getOrganization();
    } catch {
        return "";
    }
}

/** The configuration checked last, and the error it gave (one object: Pulumi reports an error once). */
let checkedConfig: { keys: string; error?: pulumi.RunError } | undefined;

/**
 * Every `cuc:*` key of the stack configuration must be a setting: a misspelt one (`cuc:serverr`)
 * would be ignored, and the program would fail later with "no Connection server configured".
 * Called by the dynamic resources and the data functions before anything is sent; the native
 * provider's CheckConfig reports the same keys the same way.
 */
export function checkStackConfig(): void {
    // A project named `cuc` keeps its own keys in the same namespace: nothing to tell apart.
    if (pulumi.getProject() === PACKAGE) return;
    const keys = Object.keys(pulumi.runtime.allConfig()).filter((k) => k.startsWith(configKey(""))).map((k) => k.slice(configKey("").length));
    const joined = keys.join("\n");
    if (checkedConfig?.keys !== joined) {
        const problem = unknownSettings(keys);
        const error = problem ? new pulumi.RunError(`pulumi-cuc: ${problem}`) : undefined;
        if (error) error.stack = String(error); // never shown for a RunError; no frames for Pulumi to inspect
        checkedConfig = { keys: joined, error };
    }
    if (checkedConfig.error) throw checkedConfig.error;
}

/**
 * Pulumi's SDK records a stack trace for every promise it makes (for its report of leaked
 * promises), and its program runner maps each through source maps: with a resource's dozens of
 * outputs, that cost more than the rest of a 5,000-user program together. No trace is taken while
 * the SDK builds our resources (the engine's source position of a resource sets its own limit);
 * the limit is restored before the constructor returns.
 */
export function quietTraces(): () => void {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    return () => void (Error.stackTraceLimit = limit);
}

export abstract class CucResource extends pulumi.dynamic.Resource {
    /** The Connection server the object lives on (its origin URL); read, update and delete refuse another. */
    // `declare`: a class field would overwrite the output the base constructor registered.
    public declare readonly cucServer: pulumi.Output<string>;
    /** The resource's own connection, if it has one (secret). */
    public declare readonly connection: pulumi.Output<DataConnection | undefined>;

    protected constructor(kind: string, name: string, args: object, opts: pulumi.CustomResourceOptions = {}) {
        if (opts.import !== undefined) {
            // A RunError: Pulumi prints its message alone, not "unhandled exception" and the frames.
            throw new pulumi.RunError(
                `${dynamicToken(kind)} '${name}': the 'import' resource option cannot work with dynamic providers ` +
                    "(pulumi/pulumi#16175: the engine's import has no serialized provider to read with). " +
                    `To take over an existing object, give its id to the 'adopt' input; to reference it read-only, use ${kind}.get(name, id), ` +
                    "or use the native provider (pulumi-cuc/native), which can import.",
            );
        }
        checkStackConfig();
        const { def, props, secretInputs } = resourceProps(kind, name, args, opts, true);
        const restore = quietTraces();
        try {
            super(providerFor(kind), name, props, {
                ...opts,
                additionalSecretOutputs: [...(opts.additionalSecretOutputs ?? []), ...secretInputs, "connection"],
            }, PACKAGE, kind);
        } finally {
            restore();
        }
        objectIdFromId(this, def);
    }
}

/**
 * A resource's properties for the engine: every output name (so the class exposes them), the
 * arguments with secrets wrapped, and for auto-names the resource name and the stack's scope.
 */
export function resourceProps(kind: string, name: string, args: object, opts: pulumi.CustomResourceOptions, connection: boolean) {
    const def = RESOURCES[kind];
    const secretInputs = def.inputs.filter((f) => f.secret).map((f) => f.name);
    const props: Record<string, unknown> = Object.fromEntries(outputNames(def, connection).map((n) => [n, undefined]));
    for (const [key, value] of Object.entries(args)) {
        if (value === undefined) continue;
        props[key] = secretInputs.includes(key) || key === "connection" ? pulumi.secret(value) : value;
    }
    if (opts.id === undefined) {
        // For auto-names that are the same in preview and up, and differ between stacks.
        props.__cucName = name;
        props.__cucScope = `${organization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
    }
    return { def, props, secretInputs };
}

/**
 * The ObjectId is part of the resource id, which the engine knows in a preview of an in-place
 * update (the dynamic host leaves every output unknown there): a child that references
 * `parent.objectId` then previews as unchanged instead of replaced. (Where the id is not known,
 * e.g. under setMocks, the provider's output stands.)
 */
export function objectIdFromId(resource: pulumi.CustomResource, def: ResourceDef): void {
    const reported = (resource as unknown as { objectId: pulumi.Output<string> }).objectId;
    const idKnown = (resource.id as unknown as { isKnown: Promise<boolean> }).isKnown;
    const objectId = pulumi.output(idKnown).apply((known) => (known ? resource.id.apply((id) => def.parseId(id)?.objectId ?? id) : reported));
    Object.defineProperty(resource, "objectId", { value: objectId, enumerable: true });
}
