/**
 * CUPI wire format <-> normalized objects. XML and JSON decode to the same shape: collections are
 * always arrays, `total` is a number, empty elements are "", and values are typed from the field
 * table (CUPI's JSON sends every scalar as a string and a one-member collection as an object).
 * The simulator renders with the same encoder, so both sides agree on one definition of the format.
 */
import { XMLBuilder, XMLParser, XMLValidator } from "fast-xml-parser";
import type { Field, ObjectSpec, Scalar } from "../specs/types";

export type Format = "xml" | "json";
/** One CUPI object keyed by CUPI field names. */
export type CupiRecord = Record<string, Scalar>;

export interface Collection {
    total: number;
    items: CupiRecord[];
}

export class CodecError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "CodecError";
    }
}

const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    parseTagValue: false, // types come from the field table, never from guessing
    parseAttributeValue: false,
    trimValues: true,
    processEntities: true,
    ignoreDeclaration: true,
});

const builder = new XMLBuilder({
    ignoreAttributes: false,
    attributeNamePrefix: "@",
    suppressEmptyNode: true, // CUPI writes empty strings as <MwiOnCode/>
    format: false,
});

const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** Converts a wire value to the field's type; `undefined` when it does not fit. */
export function coerce(f: Pick<Field, "type">, raw: unknown): Scalar | undefined {
    if (f.type === "string") {
        if (typeof raw === "string") return raw;
        if (typeof raw === "number" || typeof raw === "boolean") return String(raw);
        return undefined;
    }
    if (f.type === "boolean") {
        if (typeof raw === "boolean") return raw;
        const s = String(raw).trim().toLowerCase();
        if (s === "true" || s === "1") return true;
        if (s === "false" || s === "0") return false;
        return undefined;
    }
    if (typeof raw === "number") return Number.isSafeInteger(raw) ? raw : undefined;
    if (typeof raw !== "string" || !/^-?\d+$/.test(raw.trim())) return undefined;
    const n = Number(raw.trim());
    return Number.isSafeInteger(n) ? n : undefined;
}

/** Types each known field of a raw object; unknown fields are kept as strings (new releases add fields). */
export function typeRecord(spec: ObjectSpec | undefined, raw: Record<string, unknown>): CupiRecord {
    const out: CupiRecord = {};
    for (const [key, value] of Object.entries(raw)) {
        if (key.startsWith("@")) continue;
        const scalar = value !== null && typeof value === "object" ? flattenText(value) : value;
        if (scalar === undefined || scalar === null) continue;
        const f = spec?.byCupi.get(key);
        const typed = f ? coerce(f, scalar) : undefined;
        out[key] = typed ?? (typeof scalar === "string" ? scalar : String(scalar));
    }
    return out;
}

function flattenText(value: object): string | undefined {
    const text = (value as Record<string, unknown>)["#text"];
    return typeof text === "string" ? text : undefined;
}

/** Parses a CUPI XML document into its root element name and content. */
export function parseXml(text: string): { root: string; value: unknown } {
    const trimmed = text.trim();
    if (!trimmed.startsWith("<")) throw new CodecError("expected an XML document");
    // Validate first, separately: the parser alone accepts truncated documents, and its built-in
    // validation pass costs several times as much on large listings (npm run bench).
    const valid = XMLValidator.validate(trimmed);
    if (valid !== true) throw new CodecError(`malformed XML: ${valid.err.msg} (line ${valid.err.line})`);
    const doc = parser.parse(trimmed) as Record<string, unknown>;
    const roots = Object.keys(doc).filter((k) => !k.startsWith("?") && !k.startsWith("!"));
    if (roots.length !== 1) throw new CodecError("expected exactly one XML root element");
    return { root: roots[0], value: doc[roots[0]] };
}

/** Parses a request or response body into a flat raw object, for either format. */
export function parseObjectBody(text: string, format: Format, element: string): Record<string, unknown> {
    if (format === "xml") {
        const { root, value } = parseXml(text);
        if (root !== element) throw new CodecError(`expected <${element}>, got <${root}>`);
        return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
    }
    const value = parseJson(text);
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new CodecError("expected a JSON object");
    // The .NET SDK strips a `"<Type>":` wrapper when present, so tolerate both shapes.
    const wrapped = (value as Record<string, unknown>)[element];
    if (wrapped && typeof wrapped === "object" && !Array.isArray(wrapped) && Object.keys(value).length === 1) {
        return wrapped as Record<string, unknown>;
    }
    return value as Record<string, unknown>;
}

function parseJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new CodecError(`malformed JSON: ${(e as Error).message}`);
    }
}

/** Decodes one object. */
export function decodeObject(spec: ObjectSpec, text: string, format: Format): CupiRecord {
    return typeRecord(spec, parseObjectBody(text, format, spec.element));
}

/** Decodes a collection: always an array of items and a numeric total. */
export function decodeCollection(spec: ObjectSpec, text: string, format: Format): Collection {
    let totalRaw: unknown;
    let itemsRaw: unknown;
    if (format === "xml") {
        const { root, value } = parseXml(text);
        if (root !== spec.collection) throw new CodecError(`expected <${spec.collection}>, got <${root}>`);
        const body = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
        totalRaw = body["@total"];
        itemsRaw = body[spec.element];
    } else {
        const body = parseJson(text);
        if (!body || typeof body !== "object" || Array.isArray(body)) throw new CodecError("expected a JSON object");
        totalRaw = (body as Record<string, unknown>)["@total"];
        itemsRaw = (body as Record<string, unknown>)[spec.element];
    }
    const total = coerce({ type: "integer" }, totalRaw ?? "");
    if (typeof total !== "number" || total < 0) throw new CodecError(`collection ${spec.collection} has no valid total`);
    const list = itemsRaw === undefined || itemsRaw === "" ? [] : Array.isArray(itemsRaw) ? itemsRaw : [itemsRaw];
    const items = list.map((item) => {
        if (!item || typeof item !== "object") throw new CodecError(`malformed ${spec.element} item`);
        return typeRecord(spec, item as Record<string, unknown>);
    });
    return { total, items };
}

function wireValue(value: Scalar): string {
    return typeof value === "string" ? value : String(value);
}

function ordered(record: CupiRecord, fieldOrder?: readonly Field[]): [string, string][] {
    const entries = Object.entries(record).filter(([, v]) => v !== undefined && v !== null);
    if (!fieldOrder) return entries.map(([k, v]) => [k, wireValue(v)]);
    const rank = new Map(fieldOrder.map((f, i) => [f.cupi, i]));
    return entries
        .sort(([a], [b]) => (rank.get(a) ?? 1e9) - (rank.get(b) ?? 1e9))
        .map(([k, v]) => [k, wireValue(v)]);
}

/** Serializes one object in CUPI's names, only the fields given; JSON scalars as strings, like CUPI. */
export function encodeObject(spec: ObjectSpec, record: CupiRecord, format: Format): string {
    const body = Object.fromEntries(ordered(record, spec.fields));
    if (format === "json") return JSON.stringify(body);
    return XML_DECL + builder.build({ [spec.element]: body });
}

/** Serializes a collection the way CUPI does (JSON: `@total`, item key singular, one item as an object). */
export function encodeCollection(spec: ObjectSpec, items: CupiRecord[], total: number, format: Format): string {
    const bodies = items.map((r) => Object.fromEntries(ordered(r, spec.fields)));
    if (format === "json") {
        const out: Record<string, unknown> = { "@total": String(total) };
        if (bodies.length === 1) out[spec.element] = bodies[0];
        else if (bodies.length > 1) out[spec.element] = bodies;
        return JSON.stringify(out);
    }
    const content: Record<string, unknown> = { "@total": String(total) };
    if (bodies.length) content[spec.element] = bodies;
    return XML_DECL + builder.build({ [spec.collection]: content });
}

export interface CupiErrorEntry {
    code: string;
    message: string;
}

/** Reads CUPI's `ErrorDetails` (XML or JSON); falls back to any string under `errors`. */
export function decodeErrors(text: string, format: Format): CupiErrorEntry[] {
    let errors: unknown;
    try {
        if (format === "xml") {
            const { root, value } = parseXml(text);
            if (root !== "ErrorDetails") return [];
            errors = (value as Record<string, unknown>)?.errors;
        } else {
            errors = (parseJson(text) as Record<string, unknown>)?.errors;
        }
    } catch {
        return [];
    }
    const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
    return list.flatMap((e): CupiErrorEntry[] => {
        if (typeof e === "string") return [{ code: "", message: e }];
        if (!e || typeof e !== "object") return [];
        const o = e as Record<string, unknown>;
        const message = typeof o.message === "string" ? o.message : Array.isArray(o.error) ? o.error.join("; ") : "";
        return [{ code: typeof o.code === "string" ? o.code : "", message }];
    });
}

/** Renders CUPI's `ErrorDetails` body. */
export function encodeErrors(errors: CupiErrorEntry[], format: Format): string {
    if (format === "json") {
        return JSON.stringify({ errors: errors.length === 1 ? errors[0] : errors });
    }
    return XML_DECL + builder.build({ ErrorDetails: { errors } });
}

/** `application/json` -> json, XML types -> xml, anything else -> undefined. */
export function formatOf(contentType: string | undefined): Format | undefined {
    const ct = (contentType ?? "").split(";")[0].trim().toLowerCase();
    if (ct === "application/json" || ct.endsWith("+json")) return "json";
    if (ct === "application/xml" || ct === "text/xml" || ct.endsWith("+xml")) return "xml";
    return undefined;
}

export const CONTENT_TYPES: Record<Format, string> = {
    xml: "application/xml",
    json: "application/json",
};
