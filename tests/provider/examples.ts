/**
 * Inputs built from the field tables' example values, so every resource is tested minimally,
 * with all fields, and with a one-field update — in one loop, as new fields are added — and the
 * objects they hang off, found or made from what each definition declares.
 */
import { isIP } from "node:net";
import { makeCheck } from "../../provider/engine/check";
import { SPECS } from "../../provider/specs";
import { makeProvider } from "../../provider/engine/provider";
import { isAutoNamed, RESOURCES, type ResourceDef } from "../../provider/resources";
import { appliesTo, FORMATS, isMandatory, type Field, type Scalar } from "../../provider/specs/types";
import type { Simulator } from "../../simulator";
import { FIRST_PHONE_SYSTEM_ID, FIRST_PORT_GROUP_ID } from "../../simulator/dataset";

export type Props = Record<string, unknown>;

/** ObjectIds of the objects resources hang off, by CUPI object kind (`PhoneSystem`, `PortGroup`). */
export type Context = Readonly<Record<string, string>>;

/** What contextOf gives on the default dataset (examples.test.ts holds it to that): for tests that need ids before a simulator runs. */
export const DATASET_CONTEXT: Context = { PhoneSystem: FIRST_PHONE_SYSTEM_ID, PortGroup: FIRST_PORT_GROUP_ID };

/** An input naming another object: the parent the resource lives under, or the existing object it manages. */
export interface Anchor {
    input: string;
    /** The CUPI object kind (a key of SPECS). */
    kind: string;
    /** The resource that creates such objects; none for objects CUPI cannot create (port groups). */
    maker?: ResourceDef;
}

/** What a definition hangs off, as it declares it (`parent`, `existing`). */
export function anchorsOf(def: ResourceDef): Anchor[] {
    const out: Anchor[] = [];
    if (def.parent) {
        const maker = RESOURCES[def.parent.kind];
        out.push({ input: def.parent.input, kind: maker?.spec.kind ?? def.parent.kind, maker });
    }
    if (def.existing) out.push({ input: def.existing.input, kind: def.spec.kind });
    return out;
}

/**
 * `suffix` makes the object one of many: it is appended to every free-text value that can take it
 * (names, hosts, accounts, aliases), an extension gets digits of its own; an address stays an
 * address, and enums, secrets and what a pattern would refuse are left.
 */
function unique(f: Field, v: Scalar, suffix: string): Scalar {
    // A create parameter names another object (a template): it stays as it is.
    if (!suffix || typeof v !== "string" || f.secret || f.enum || f.param || isIP(v)) return v;
    if (f.pattern && !f.pattern.test(`${v}${suffix}`)) return v;
    // An extension stays digits, one of its own per suffix: extensions are unique within a partition across kinds.
    if (f.format === "extension") return `${v}${[...suffix].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100_000, 7)}`.slice(0, f.maxLength ?? 40);
    const s = `${v}${suffix}`;
    if ((f.maxLength !== undefined && s.length > f.maxLength) || (f.format && !FORMATS[f.format].test(s))) return v;
    return s;
}

/** Enum keys handed out so far, by kind: one object of many takes the next (an alternate extension's IdIndex is unique per user). */
const keysGiven = new Map<string, number>();
function nextKey(def: ResourceDef, f: Field): number {
    const values = Object.keys(f.enum!).map(Number);
    const n = keysGiven.get(def.kind) ?? 0;
    keysGiven.set(def.kind, n + 1);
    return values[n % values.length];
}

/**
 * `minimal`: only what CUPI requires; `full`: every input with an example value. `discriminator`
 * chooses another kind than the example's (e.g. ServerType 5 for Office 365 fields).
 */
export function exampleInputs(def: ResourceDef, mode: "minimal" | "full", ctx: Context, suffix = "", discriminator?: number): Props {
    const out: Props = { __cucName: `${def.kind.toLowerCase()}${suffix}` };
    const disc = def.spec.discriminator ? def.spec.byCupi.get(def.spec.discriminator) : undefined;
    const discValue = disc ? discriminator ?? (disc.example as number) : undefined;
    for (const f of def.inputs) {
        const wanted = mode === "full" ? f.example !== undefined && appliesTo(f, discValue) : isMandatory(f, discValue);
        if (!wanted || (isAutoNamed(def, f) && mode === "minimal")) continue;
        const v = f === disc ? discValue : f.example;
        if (v === undefined) throw new Error(`${def.kind}.${f.name} is mandatory but has no example value`);
        out[f.name] = f.cupi === def.spec.key && f.enum && suffix ? nextKey(def, f) : unique(f, v, suffix);
    }
    for (const a of anchorsOf(def)) {
        const id = ctx[a.kind];
        if (!id) throw new Error(`${def.kind}.${a.input} names a ${a.kind}, and the context has none: build it with contextOf`);
        out[a.input] = id;
    }
    for (const x of def.extraInputs ?? []) {
        if (x.mandatory && out[x.name] === undefined) throw new Error(`${def.kind}.${x.name} is mandatory but has no example value`);
    }
    return out;
}

/** Creates a definition's minimal example on a simulator through the provider, as `pulumi up` would. */
export async function createExample(sim: Simulator, def: ResourceDef, ctx: Context, suffix: string): Promise<{ id: string; objectId: string }> {
    const config: Record<string, string | undefined> = { "cuc:server": sim.url, "cuc:username": sim.user, "cuc:password": sim.password, "cuc:caCert": sim.ca };
    const p = makeProvider(def);
    await p.configure!({ config: { get: (k: string) => config[k] } } as never);
    const checked = await p.check!({}, exampleInputs(def, "minimal", ctx, suffix));
    if (checked.failures?.length) throw new Error(`${def.kind}: its example fails check: ${JSON.stringify(checked.failures)}`);
    const { id, outs } = await p.create(checked.inputs);
    return { id, objectId: String((outs as Props).objectId) };
}

/**
 * The objects the definitions hang off, on a simulator: one of its dataset where there is one
 * (a port group, which no resource creates), else made from its resource's own example, whose own
 * parent comes first, whatever kind it is.
 */
export async function contextOf(sim: Simulator, defs: readonly ResourceDef[] = Object.values(RESOURCES)): Promise<Context> {
    const ctx: Record<string, string> = {};
    const provide = async (def: ResourceDef, chain: readonly string[]): Promise<void> => {
        for (const a of anchorsOf(def)) {
            if (ctx[a.kind]) continue;
            // Not a built-in (Connection's own, which tests must not change): a user of the program's own.
            const flag = SPECS[a.kind]?.undeletable;
            const found = sim.store.list(a.kind).find((r) => !flag || r[flag] !== true);
            if (found) {
                ctx[a.kind] = String(found.ObjectId);
                continue;
            }
            if (!a.maker) throw new Error(`${def.kind}.${a.input} needs a ${a.kind}: the simulator's dataset has none, and no resource creates one (simulator/dataset.ts)`);
            // The chain bounds the recursion: a definition never waits for itself.
            if (chain.includes(a.maker.kind)) throw new Error(`${[...chain, a.maker.kind].join(" -> ")}: the parents form a cycle`);
            await provide(a.maker, [...chain, a.maker.kind]);
            ctx[a.kind] = (await createExample(sim, a.maker, ctx, "-parent")).objectId;
        }
    };
    for (const def of defs) await provide(def, [def.kind]);
    return ctx;
}

/** A one-field change that stays valid (check takes it): a boolean flipped, or a string extended. */
export function oneChange(def: ResourceDef, inputs: Props): { key: string; value: Scalar } {
    const check = makeCheck(def);
    const valid = (key: string, value: Scalar) => !check(inputs, { ...inputs, [key]: value }).failures.length;
    const candidates = def.inputs.filter((f) => f.access === "rw" && !f.replace && !f.createOnly && !def.ignoreChanges?.includes(f.name) && !(f.name in (def.appliesWith ?? {})));
    const set = candidates.filter((f) => inputs[f.name] !== undefined);
    const bool = set.find((f) => f.type === "boolean" && f.cupi !== "SyncDistributionLists" && f.cupi !== "UseSSL" && valid(f.name, !inputs[f.name]));
    if (bool) return { key: bool.name, value: !inputs[bool.name] };
    const str = set.find((f) => f.type === "string" && !f.ref && (!f.pattern || f.pattern.test(`${inputs[f.name]}9`)) && valid(f.name, `${inputs[f.name]}9`));
    if (str) return { key: str.name, value: `${inputs[str.name]}9` };
    // Nothing managed yet that can change: start managing a field with its example value.
    const unset = candidates.find((f) => inputs[f.name] === undefined && f.example !== undefined);
    if (unset) return { key: unset.name, value: unset.example! };
    throw new Error(`${def.kind}: no field to change in ${JSON.stringify(inputs)}`);
}

/**
 * A secret value that check takes for this field and that no log could hold by chance, for scans:
 * twelve digits for a PIN (its pattern takes digits only), else readable text with the tag.
 */
export function secretValue(def: ResourceDef, f: Field, tag: string): string {
    const text = `${def.kind}-${f.name}-${tag}`;
    if (!f.pattern || f.pattern.test(text)) return text;
    let h = 7;
    for (const c of text) h = (h * 131 + c.charCodeAt(0)) % 1_000_000_007;
    return `7${String(h).padStart(11, "3")}`;
}
