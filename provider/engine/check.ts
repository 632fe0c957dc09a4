/**
 * check: pure validation of a resource's inputs against its definition, before any request.
 * Every failure names the input and the fix; unknown values (preview) pass through. Auto-named
 * resources get their DisplayName from naming.ts as the last step.
 */
import { registerSecret } from "../client/cupi-error";
import { checkSettings, registerSecretSettings } from "../client/settings";
import { autoNameField, isRequired, onlyToCreate, shapeNames, type ChildSet, type ChildShape, type ExtraInput, type ResourceDef, type RowList } from "../resources";
import { appliesTo, FORMATS, GUID_RE, type Field } from "../specs/types";
import { autoName, sdkNaming, type Naming } from "./naming";
import { BOOKKEEPING, COMMON_INPUTS, isUnknown, type Failure, type Props } from "./values";

const ADOPT_MODES = ["verify", "overwrite"];

/** How a program gives a secret from the stack configuration, in a TypeScript program and in Pulumi YAML alike. */
const fromConfig = (f: Field) => `set it from a config secret (\`pulumi config set --secret ${f.name} ...\`, then ` +
    `\`config.requireSecret("${f.name}")\` in TypeScript, \`\${${f.name}}\` in Pulumi YAML)`;

/** What an object that exists may do with an input only a create needs (onlyToCreate). */
const keepExisting = (f: Field) => `on an object that already exists (adopted or imported), leave ${f.name} out to keep the ${/password/i.test(f.name) ? "password" : "value"} the server has`;

/** Why an empty write-only secret is refused: CUPI would store it, and nothing could show it afterwards. */
function emptySecret(f: Field): string {
    // Stryker disable next-line Regex: no secret has "pin" inside its name but not at its start
    const what = /password/i.test(f.name) ? "password" : /^pin/i.test(f.name) ? "PIN" : "secret";
    return `${f.name} is empty: CUPI would store an empty ${what} (CUPI field ${f.cupi}). ${fromConfig(f).replace(/^s/, "S")}, or, ${keepExisting(f)}`;
}

/** The value passes the field's declared pattern or format (a field that declares neither has no shape to fit). */
const fitsShape = (f: Field, v: string) => Boolean(f.pattern?.test(v) || (f.format && FORMATS[f.format].test(v)));

export function makeCheck(def: ResourceDef): (olds: Props, news: Props, naming?: Naming) => { inputs: Props; failures: Failure[]; warnings: string[] } {
    const inputFields = new Map(def.inputs.map((f) => [f.name, f] as const));
    const extras = new Map((def.extraInputs ?? []).map((x) => [x.name, x] as const));
    const lists = new Map((def.members ?? []).map((m) => [m.name, m] as const));
    const childSets = new Map((def.children ?? []).map((c) => [c.name, c] as const));
    const rowLists = new Map((def.rows ?? []).map((r) => [r.name, r] as const));
    const known = new Set([...inputFields.keys(), ...extras.keys(), ...lists.keys(), ...childSets.keys(), ...rowLists.keys(), ...COMMON_INPUTS, ...BOOKKEEPING]);
    /** What the current check (synchronous, one at a time) has to say that is no failure. */
    let warnings: string[] = [];

    /** Checks one field's value; `path` names it where it is nested (`greetings.offHours.reprompts`). */
    function checkField(f: Field, value: unknown, failures: Failure[], path = f.name): unknown {
        const fail = (reason: string) => void failures.push({ property: path, reason });
        const where = `(CUPI field ${f.cupi})`;
        if (f.type === "boolean") {
            if (typeof value !== "boolean") return fail(`${path} must be true or false, got ${JSON.stringify(value)} ${where}`), value;
            return value;
        }
        if (f.type === "integer") {
            let v = value;
            const alias = typeof v === "string" ? def.aliases?.[f.name]?.[v.trim().toLowerCase()] : undefined;
            if (alias !== undefined) v = alias;
            const allowed = f.enum ? Object.entries(f.enum).map(([n, label]) => `${n} (${label})`).join(", ") : "";
            if (typeof v !== "number" || !Number.isInteger(v)) {
                return fail(`${path} must be ${f.enum ? `one of ${allowed}` : "a whole number"}, got ${JSON.stringify(value)} ${where}`), value;
            }
            if (f.enum && !(String(v) in f.enum)) return fail(`${path} must be one of ${allowed}, got ${v} ${where}`), value;
            if ((f.min !== undefined && v < f.min) || (f.max !== undefined && v > f.max)) {
                return fail(`${path} must be between ${f.min} and ${f.max}, got ${v} ${where}`), value;
            }
            const invalid = f.validate?.(v);
            if (invalid) return fail(`${path} ${invalid}, got ${v} ${where}`), value;
            return v;
        }
        // Pulumi YAML hands the program a config value of digits as a number, even one declared
        // `type: string` (pulumi/pulumi-yaml#577; one with a leading zero stays a string): where
        // the field's declared shape admits those digits (a PIN, an extension), a whole number
        // stands for them. Other fields (names, passwords) still refuse a number.
        if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && fitsShape(f, String(value))) {
            const digits = String(value);
            if (f.secret) registerSecret(digits);
            // The number may not be what the program says: an unquoted 012345 in YAML is read as
            // octal (5349), and 0123 loses its zero. Nothing here can tell, so the user is told.
            warnings.push(
                `${f.name} came as a number and is taken as the digits ${f.secret ? "it shows" : JSON.stringify(digits)}; if the program writes it unquoted, ` +
                    `quote it: Pulumi YAML reads a number with a leading zero as octal (012345 is 5349) or drops the zero`,
            );
            value = digits;
        }
        // A secret of another type is not registered for redaction: its type, never its value.
        if (typeof value !== "string") return fail(`${path} must be a string, got ${f.secret ? `a ${typeof value}` : JSON.stringify(value)} ${where}`), value;
        const trimmed = f.secret ? value : value.trim();
        // An ObjectId in lower case, as CUPI returns it: another spelling would be a change at every plan.
        const v = f.format === "guid" ? trimmed.toLowerCase() : trimmed;
        // A secret is named, never quoted: the engine prints failures.
        const shown = f.secret ? `the value of ${path}` : `${path} ${JSON.stringify(v)}`;
        if (f.maxLength !== undefined && v.length > f.maxLength) fail(`${path} is ${v.length} characters long; CUPI accepts at most ${f.maxLength} ${where}`);
        // eslint-disable-next-line no-control-regex
        else if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v)) fail(`${path} contains control characters, which CUPI refuses ${where}`);
        else if (/\uFFFD/.test(v)) fail(`${path} contains a replacement character (U+FFFD): the text was not valid UTF-8 ${where}`);
        else if (f.mandatory === true && v === "" && !f.secret) fail(`${path} must not be empty ${where}`);
        // Before its pattern: an empty secret is a missing one (pulumi import's zero value), not a malformed one.
        else if (f.secret && f.access === "wo" && v.trim() === "") fail(emptySecret(f));
        else if (f.enum && v !== "" && !(v in f.enum)) fail(`${shown} is not one of ${Object.entries(f.enum).map(([n, label]) => (n === label ? n : `${n} (${label})`)).join(", ")} ${where}`);
        else if (f.pattern && !f.pattern.test(v)) fail(`${shown} is not valid: ${f.expected ? `expected ${f.expected}` : f.doc} ${where}`);
        else if (f.format && v !== "" && !FORMATS[f.format].test(v)) fail(`${shown} is not ${FORMATS[f.format].expected} ${where}`);
        else if (f.validate?.(v)) fail(`${path} ${f.validate(v)} ${where}`);

        return v;
    }

    function checkExtra(x: ExtraInput, value: unknown, failures: Failure[]): unknown {
        if (x.type === "boolean" && typeof value !== "boolean") failures.push({ property: x.name, reason: `${x.name} must be true or false, got ${JSON.stringify(value)}` });
        if (x.type === "string" && typeof value !== "string") failures.push({ property: x.name, reason: `${x.name} must be a string, got ${JSON.stringify(value)}` });
        else if (x.guid && typeof value === "string" && !GUID_RE.test(value.trim())) {
            failures.push({ property: x.name, reason: `${x.name} '${value}' is not an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555)` });
        }
        return typeof value === "string" ? value.trim().toLowerCase() : value;
    }

    /** What the program writes of one child (or row): the shape's fields and codecs, each checked, then the child's own rules. */
    function checkShape(shape: ChildShape, value: unknown, failures: Failure[], path: string, key: string): unknown {
        const fields = new Map(shape.fields.map((f) => [f.name, f] as const));
        const codecs = new Map((shape.codecs ?? []).map((c) => [c.name, c] as const));
        const names = [...fields.keys(), ...codecs.keys()];
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            failures.push({ property: path, reason: `${path} must be an object with some of ${names.join(", ")}, got ${JSON.stringify(value)}` });
            return value;
        }
        const out: Props = {};
        for (const [k, v] of Object.entries(value as Props)) {
            if (v === undefined || v === null) continue;
            const f = fields.get(k);
            const c = codecs.get(k);
            if (isUnknown(v)) out[k] = v;
            else if (f) out[k] = checkField(f, v, failures, `${path}.${k}`);
            else if (c) {
                const typed = c.type === "string[]" ? Array.isArray(v) && v.every((x) => typeof x === "string") : c.type === "integer" ? Number.isInteger(v) : typeof v === c.type;
                const reason = !typed ? `must be ${c.type === "string[]" ? "a list of strings" : c.type === "integer" ? "a whole number" : `a ${c.type}`}, got ${JSON.stringify(v)}` : c.check?.(v) && `${c.check(v)}, got ${JSON.stringify(v)}`;
                if (reason) failures.push({ property: `${path}.${k}`, reason: `${path}.${k} ${reason}` });
                out[k] = !reason && c.normalize ? c.normalize(v) : v;
            } else {
                const hint = names.find((n) => n.toLowerCase() === k.toLowerCase());
                failures.push({ property: `${path}.${k}`, reason: `${path} has no ${k}${hint ? `; did you mean ${hint}?` : `; it takes ${names.join(", ")}`}` });
            }
        }
        for (const reason of shape.rules?.(out, key, isUnknown) ?? []) failures.push({ property: path, reason: `${path}: ${reason}` });
        return out;
    }

    /** Fixed children by the program's keys: each key one the set has. */
    function checkChildren(set: ChildSet, value: unknown, failures: Failure[]): unknown {
        const keys = Object.keys(set.keys);
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
            failures.push({ property: set.name, reason: `${set.name} must be an object keyed by ${keys.join(", ")}` });
            return value;
        }
        const out: Props = {};
        for (const [k, child] of Object.entries(value as Props)) {
            if (child === undefined || child === null) continue;
            if (!keys.includes(k)) failures.push({ property: `${set.name}.${k}`, reason: `${set.name} has no ${k}; its keys are ${keys.join(", ")}` });
            else out[k] = isUnknown(child) ? child : checkShape(set.shape, child, failures, `${set.name}.${k}`, k);
        }
        return out;
    }

    /** A list of rows: each checked; with a key, each key once. */
    function checkRows(list: RowList, value: unknown, failures: Failure[]): unknown {
        if (!Array.isArray(value)) {
            failures.push({ property: list.name, reason: `${list.name} must be a list of objects with some of ${shapeNames(list.shape).join(", ")}` });
            return value;
        }
        const out = value.map((row, i) => (isUnknown(row) ? row : checkShape(list.shape, row, failures, `${list.name}[${i}]`, String(i))));
        if (list.key) {
            const seen = new Set<string>();
            for (const row of out as Props[]) {
                const k = row?.[list.key];
                if (k === undefined || isUnknown(k)) continue;
                if (seen.has(String(k))) failures.push({ property: list.name, reason: `${list.name} has two rows with ${list.key} ${JSON.stringify(k)}; each ${list.key} once` });
                seen.add(String(k));
            }
        }
        return out;
    }

    /** A member list: ObjectIds, each once; unknown ones (preview) pass. */
    function checkMembers(name: string, value: unknown, failures: Failure[]): unknown {
        const fail = (reason: string) => void failures.push({ property: name, reason });
        if (!Array.isArray(value)) return fail(`${name} must be a list of ObjectIds, got ${JSON.stringify(value)}`), value;
        const seen = new Set<string>();
        const out: unknown[] = [];
        for (const [i, item] of value.entries()) {
            if (isUnknown(item)) {
                out.push(item);
                continue;
            }
            // Stryker disable next-line StringLiteral: any text that is no GUID stands for a non-string
            const id = typeof item === "string" ? item.trim().toLowerCase() : "";
            if (!GUID_RE.test(id)) {
                fail(`${name}[${i}] ${JSON.stringify(item)} is not an ObjectId (a GUID like 035853ce-f4e6-4de2-bda2-84acf827a555): pass the other resource's objectId`);
                continue;
            }
            if (seen.has(id)) fail(`${name} lists ${id} twice; each member once`);
            seen.add(id);
            out.push(id);
        }
        return out;
    }

    function checkConnection(value: unknown, failures: Failure[]): unknown {
        if (!value || typeof value !== "object" || Array.isArray(value)) {
            failures.push({ property: "connection", reason: "connection must be an object like { server, username, password }" });
            return value;
        }
        // Registered before the checks: a reason may quote a value (a password inside a server URL).
        // Stryker disable next-line MethodExpression: registering the unknown-value marker too only masks that marker, which no message quotes
        registerSecretSettings(Object.fromEntries(Object.entries(value).filter(([, v]) => !isUnknown(v))));
        for (const { key, reason } of checkSettings(value as Props, isUnknown)) failures.push({ property: `connection.${key}`, reason });
        return value;
    }

    /** Fills in what an adopt id implies (the parent, the existing object's input) and checks it agrees. */
    function checkAdopt(inputs: Props, failures: Failure[]): void {
        const parsed = typeof inputs.adopt === "string" ? def.parseId(inputs.adopt.trim()) : undefined;
        if (!parsed) {
            failures.push({ property: "adopt", reason: `adopt '${String(inputs.adopt)}' is not the id of an existing ${def.kind}: expected ${def.idFormat}` });
            return;
        }
        inputs.adopt = def.makeId(parsed.objectId, parsed.parentId);
        const parent = def.parent?.input;
        if (parent && parsed.parentId) {
            if (inputs[parent] === undefined) inputs[parent] = parsed.parentId;
            else if (typeof inputs[parent] === "string" && !isUnknown(inputs[parent]) && String(inputs[parent]).toLowerCase() !== parsed.parentId) {
                failures.push({ property: "adopt", reason: `adopt names ${def.parent!.phrase} ${parsed.parentId}, but ${parent} is ${String(inputs[parent])}` });
            }
        }
        if (def.existing && inputs[def.existing.input] === undefined) inputs[def.existing.input] = parsed.objectId;
    }

    /** Mandatory fields (per discriminator value where CUPI makes them so), and fields that do not apply. */
    function checkPresence(inputs: Props, adopting: boolean, existing: boolean, failures: Failure[]): void {
        const discField = def.spec.discriminator ? def.spec.byCupi.get(def.spec.discriminator) : undefined;
        const disc = discField ? inputs[discField.name] : undefined;
        const discValue = typeof disc === "number" ? disc : undefined;
        const discLabel = discField?.enum && discValue !== undefined ? ` for ${discField.enum[String(discValue)]} (${discField.name} ${discValue})` : "";
        for (const f of def.inputs) {
            if (inputs[f.name] !== undefined) {
                if (discValue !== undefined && !appliesTo(f, discValue)) {
                    failures.push({ property: f.name, reason: `${f.name} does not apply${discLabel}; remove it (CUPI field ${f.cupi})` });
                }
            } else if (f.name === def.parent?.input) {
                failures.push({ property: f.name, reason: `${f.name} is required: the ObjectId of the ${def.parent.phrase} this ${def.kind} belongs to` });
            } else if (existing && onlyToCreate(def, f)) {
                // Needed to create the object; one that exists keeps its own (an import, or
                // `ignoreChanges` on it, leaves it out of the inputs).
                continue;
            } else if (!adopting && isRequired(def, f, discValue)) {
                // (A field required for some kinds only is not required while the kind is unknown: discValue is undefined then.)
                const reason = `${f.name} is required${onlyToCreate(def, f) ? ` to create the ${def.phrase}` : ""}${f.mandatory === true ? "" : discLabel}: ${f.doc} (CUPI field ${f.cupi})`;
                failures.push({ property: f.name, reason: onlyToCreate(def, f) ? `${reason}; ${f.secret ? `${fromConfig(f)}; ` : ""}${keepExisting(f)}` : reason });
            }
        }
        for (const x of extras.values()) {
            if (x.mandatory && inputs[x.name] === undefined) failures.push({ property: x.name, reason: `${x.name} is required: ${x.doc}` });
        }
    }

    return (olds, news, naming = sdkNaming(news)) => {
        const failures: Failure[] = [];
        warnings = [];
        const inputs: Props = {};
        for (const [key, value] of Object.entries(news)) {
            if (key === "__provider" || value === undefined || value === null) continue;
            if (!known.has(key)) {
                const hint = [...known].find((k) => k.toLowerCase() === key.toLowerCase());
                failures.push({ property: key, reason: `${def.kind} has no input '${key}'${hint ? `; did you mean '${hint}'?` : ""}` });
                continue;
            }
            const f = inputFields.get(key);
            const x = extras.get(key);
            if (f?.secret && typeof value === "string") registerSecret(value);
            inputs[key] = isUnknown(value) ? value
                : f ? checkField(f, value, failures)
                : x ? checkExtra(x, value, failures)
                : lists.has(key) ? checkMembers(key, value, failures)
                : childSets.has(key) ? checkChildren(childSets.get(key)!, value, failures)
                : rowLists.has(key) ? checkRows(rowLists.get(key)!, value, failures)
                : key === "connection" ? checkConnection(value, failures)
                : value;
        }
        const adopting = inputs.adopt !== undefined;
        if (adopting && !isUnknown(inputs.adopt)) checkAdopt(inputs, failures);
        if (inputs.adoptMode !== undefined && !isUnknown(inputs.adoptMode) && !ADOPT_MODES.includes(String(inputs.adoptMode))) {
            failures.push({ property: "adoptMode", reason: `adoptMode must be "verify" (fail on any difference) or "overwrite" (PUT the program's values), not ${JSON.stringify(inputs.adoptMode)}` });
        }
        const parent = def.parent?.input;
        if (parent && typeof inputs[parent] === "string" && !isUnknown(inputs[parent])) {
            const v = String(inputs[parent]).trim().toLowerCase();
            if (!GUID_RE.test(v)) failures.push({ property: parent, reason: `${parent} '${inputs[parent]}' is not a ${def.parent!.phrase} ObjectId (a GUID); pass its objectId` });
            inputs[parent] = v;
        }
        checkPresence(inputs, adopting, Object.keys(olds).some((k) => k !== "__provider"), failures);
        if (def.rules) failures.push(...def.rules(inputs, olds, isUnknown));
        const named = def.autoName ? def.spec.byCupi.get(autoNameField(def.spec)) : undefined;
        if (named) autoName(def, named.name, { olds, news, inputs, adopting, naming, failures }, (v) => checkField(named, v, failures));
        return { inputs, failures, warnings };
    };
}
