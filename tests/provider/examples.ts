/**
 * Inputs built from the field tables' example values, so every resource is tested minimally,
 * with all fields, and with a one-field update — in one loop, as new fields are added.
 */
import type { ResourceDef } from "../../provider/resources";
import { appliesTo, isMandatory, type Field, type Scalar } from "../../provider/specs/types";

export type Props = Record<string, unknown>;

/** Values a resource cannot take from the tables: the objects it hangs off. */
export interface Context {
    phoneSystemId: string;
    portGroupId: string;
}

function example(f: Field): Scalar | undefined {
    return f.example;
}

/**
 * `minimal`: only what CUPI requires; `full`: every input with an example value. `discriminator`
 * chooses another kind than the example's (e.g. ServerType 5 for Office 365 fields).
 */
export function exampleInputs(def: ResourceDef, mode: "minimal" | "full", ctx: Context, suffix = "", discriminator?: number): Props {
    const out: Props = { __cucName: `${def.kind.toLowerCase()}${suffix}` };
    const disc = def.spec.discriminator ? def.spec.byCupi.get(def.spec.discriminator) : undefined;
    const discValue = disc ? discriminator ?? (example(disc) as number) : undefined;
    for (const f of def.inputs) {
        const wanted = mode === "full" ? example(f) !== undefined && appliesTo(f, discValue) : isMandatory(f, discValue);
        if (!wanted || (def.autoName && f.cupi === "DisplayName" && mode === "minimal")) continue;
        let v = f === disc ? discValue : example(f);
        if (v === undefined) throw new Error(`${def.kind}.${f.name} is mandatory but has no example value`);
        if (typeof v === "string" && (f.cupi === "DisplayName" || f.cupi === "RemoteServer")) v = `${v}${suffix}`;
        out[f.name] = v;
    }
    if (def.parent) out[def.parent.input] = ctx.phoneSystemId;
    for (const x of def.extraInputs ?? []) if (x.name === "portGroupId") out[x.name] = ctx.portGroupId;
    return out;
}

/** A one-field change that stays valid: a boolean flipped, or a string extended. */
export function oneChange(def: ResourceDef, inputs: Props): { key: string; value: Scalar } {
    const candidates = def.inputs.filter((f) => f.access === "rw" && !f.replace && !f.createOnly && !def.ignoreChanges?.includes(f.name));
    const set = candidates.filter((f) => inputs[f.name] !== undefined);
    const bool = set.find((f) => f.type === "boolean" && f.cupi !== "SyncDistributionLists" && f.cupi !== "UseSSL");
    if (bool) return { key: bool.name, value: !inputs[bool.name] };
    const str = set.find((f) => f.type === "string" && (!f.pattern || f.pattern.test(`${inputs[f.name]}9`)));
    if (str) return { key: str.name, value: `${inputs[str.name]}9` };
    // Nothing managed yet that can change: start managing a field with its example value.
    const unset = candidates.find((f) => inputs[f.name] === undefined && f.example !== undefined);
    if (unset) return { key: unset.name, value: unset.example! };
    throw new Error(`${def.kind}: no field to change in ${JSON.stringify(inputs)}`);
}
