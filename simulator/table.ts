/**
 * One kind's records with an index of the fields looked up by value, and CUPI's listing grammar
 * (query, sort, paging) over rows: what keeps 20,000 users fast to find, count and page.
 */
import type { CupiRecord } from "../provider/client/codec";
import type { Field, ObjectSpec, Scalar } from "../provider/specs/types";
import { invalid } from "./errors";

/** The index's form of a value: CUPI compares case-insensitively (`query=(alias is JDoe)`). */
export const indexValue = (v: Scalar) => String(v).toLowerCase();

/**
 * The fields a kind's table indexes: what can be searched (`queryable`), its key, its unique
 * fields and their scopes, its references (a delete asks who refers to an object) and its parent.
 */
export function indexedFields(spec: ObjectSpec): string[] {
    const out = new Set<string>();
    for (const f of spec.fields) {
        if (f.queryable || f.ref || f.unique || f.cupi === spec.key) out.add(f.cupi);
        if (f.unique?.scope) out.add(f.unique.scope);
    }
    if (spec.parent) out.add(spec.parent.field);
    return [...out].filter((c) => spec.byCupi.has(c));
}

export class Table {
    readonly rows = new Map<string, CupiRecord>();
    /** Where each row was first inserted: index hits come back in table order, as a scan would give them. */
    private readonly order = new Map<string, number>();
    private next = 0;
    /** field -> value (indexValue) -> the key, or the keys, of the rows holding it. */
    private readonly index = new Map<string, Map<string, string | Set<string>>>();

    constructor(fields: readonly string[]) {
        for (const f of fields) this.index.set(f, new Map());
    }

    get size(): number {
        return this.rows.size;
    }

    get(key: string): CupiRecord | undefined {
        return this.rows.get(key);
    }

    indexes(field: string): boolean {
        return this.index.has(field);
    }

    /** Whether some row holds a value of the (indexed) field. */
    holds(field: string): boolean {
        return (this.index.get(field)?.size ?? 0) > 0;
    }

    set(key: string, record: CupiRecord): void {
        const old = this.rows.get(key);
        if (!old) this.order.set(key, this.next++);
        for (const [field, values] of this.index) {
            if (old && old[field] === record[field]) continue;
            if (old) unlink(values, old[field], key);
            link(values, record[field], key);
        }
        this.rows.set(key, record);
    }

    delete(key: string): void {
        const old = this.rows.get(key);
        if (!old) return;
        for (const [field, values] of this.index) unlink(values, old[field], key);
        this.rows.delete(key);
        this.order.delete(key);
    }

    /** How many rows' indexed `field` equals `value` (case-insensitively). */
    count(field: string, value: Scalar): number {
        const hit = this.index.get(field)?.get(indexValue(value));
        return hit === undefined ? 0 : typeof hit === "string" ? 1 : hit.size;
    }

    /** The keys of the rows whose indexed `field` equals `value` (case-insensitively), in table order. */
    find(field: string, value: Scalar): string[] {
        const hit = this.index.get(field)?.get(indexValue(value));
        if (hit === undefined) return [];
        if (typeof hit === "string") return [hit];
        return [...hit].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    }
}

function link(values: Map<string, string | Set<string>>, v: Scalar | undefined, key: string): void {
    if (v === undefined || v === "") return;
    const k = indexValue(v);
    const hit = values.get(k);
    if (hit === undefined) values.set(k, key);
    else if (typeof hit === "string") values.set(k, new Set([hit, key]));
    else hit.add(key);
}

function unlink(values: Map<string, string | Set<string>>, v: Scalar | undefined, key: string): void {
    if (v === undefined || v === "") return;
    const k = indexValue(v);
    const hit = values.get(k);
    if (hit === key) values.delete(k);
    else if (typeof hit === "object") {
        hit.delete(key);
        if (hit.size === 1) values.set(k, [...hit][0]);
    }
}

/** `query=(column is|startswith value)`, checked against the field table. */
export interface Query {
    field: Field;
    op: "is" | "startswith";
    /** Lower-cased; booleans as `true`/`false` (CUPI takes 1 and 0 too). */
    value: string;
}

export function parseQuery(spec: ObjectSpec, q: URLSearchParams): Query | undefined {
    const query = q.get("query");
    if (query === null) return undefined;
    const m = /^\(\s*(\w+)\s+(is|startswith)\s+(.*?)\s*\)$/is.exec(query.trim());
    if (!m) throw invalid(`Invalid query '${query}': expected (column is|startswith value)`);
    const f = spec.byCupiLower.get(m[1].toLowerCase());
    if (!f || !f.queryable) throw invalid(`Column ${m[1]} cannot be searched on ${spec.collection}`);
    let value = m[3].toLowerCase();
    if (f.type === "boolean") value = value === "1" || value === "true" ? "true" : value === "0" || value === "false" ? "false" : value;
    return { field: f, op: m[2].toLowerCase() as Query["op"], value };
}

const collator = new Intl.Collator("en", { sensitivity: "base" });

/**
 * Filters, sorts and pages rows (1-based `pageNumber`, `rowsPerPage`, 0 for count only) on the
 * field table's queryable / sortable columns; `valueOf` reads a column of a row (a stored value,
 * or one the server computes on read); `matched`: the rows are the query's matches already (found
 * in an index). Returns the page and the total before paging.
 */
export function select(spec: ObjectSpec, rows: CupiRecord[], q: URLSearchParams, valueOf: (r: CupiRecord, f: Field) => Scalar | undefined, matched = false): { items: CupiRecord[]; total: number } {
    let items = rows;
    const query = parseQuery(spec, q);
    if (query && !matched) {
        items = items.filter((r) => {
            const v = valueOf(r, query.field);
            const s = v === undefined ? "" : indexValue(v);
            return query.op === "is" ? s === query.value : s.startsWith(query.value);
        });
    }
    const sort = q.get("sort");
    if (sort !== null) {
        const m = /^\(\s*(\w+)\s+(asc|desc)\s*\)$/i.exec(sort.trim());
        if (!m) throw invalid(`Invalid sort '${sort}': expected (column asc|desc)`);
        const f = spec.byCupiLower.get(m[1].toLowerCase());
        if (!f || !f.sortable) throw invalid(`Column ${m[1]} cannot be sorted on ${spec.collection}`);
        const dir = m[2].toLowerCase() === "desc" ? -1 : 1;
        const keyed = items.map((r) => ({ r, v: valueOf(r, f) }));
        keyed.sort(({ v: x }, { v: y }) => (typeof x === "number" && typeof y === "number" ? x - y : collator.compare(String(x ?? ""), String(y ?? ""))) * dir);
        items = keyed.map((k) => k.r);
    }
    const total = items.length;
    const rowsRaw = q.get("rowsPerPage"), pageRaw = q.get("pageNumber");
    if (rowsRaw === null && pageRaw === null) return { items, total };
    const size = rowsRaw === null ? 2000 : Number(rowsRaw);
    const pageNo = pageRaw === null ? 1 : Number(pageRaw);
    if (!Number.isInteger(size) || size < 0 || !Number.isInteger(pageNo) || pageNo < 0) {
        throw invalid("rowsPerPage and pageNumber must be non-negative integers");
    }
    if (size === 0 || pageNo === 0) return { items: [], total };
    return { items: items.slice((pageNo - 1) * size, pageNo * size), total };
}
