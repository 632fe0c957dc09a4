/**
 * Builders for CUPI's `query=(<column> is|startswith <value>)` and `sort=(<column> asc|desc)`.
 * Columns are checked against the field table's queryable / sortable flags, because CUPI
 * only searches indexed and boolean columns and refuses the rest.
 */
import { CupiError } from "./cupi-error";
import type { ObjectSpec, Scalar } from "../specs/types";

export interface QueryFilter {
    /** CUPI column or TypeScript field name, e.g. `DisplayName` or `displayName`. */
    column: string;
    op?: "is" | "startswith";
    value: Scalar;
}

export interface SortOrder {
    column: string;
    direction?: "asc" | "desc";
}

const bad = (message: string) => new CupiError({ kind: "validation", message });

function column(spec: ObjectSpec, name: string, flag: "queryable" | "sortable") {
    const f = spec.byCupiLower.get(name.toLowerCase()) ?? spec.byName.get(name);
    const allowed = spec.fields.filter((x) => x[flag]).map((x) => x.cupi);
    if (!f) throw bad(`${spec.collection} has no column '${name}'; ${flag === "queryable" ? "searchable" : "sortable"} columns: ${allowed.join(", ")}`);
    if (!f[flag]) {
        throw bad(`${spec.collection} cannot be ${flag === "queryable" ? "searched" : "sorted"} by ${f.cupi}; use one of ${allowed.join(", ")}`);
    }
    return f;
}

/** `{column: "displayName", value: "Site A"}` -> `(DisplayName is Site A)`. */
export function buildQuery(spec: ObjectSpec, filter: QueryFilter): string {
    const f = column(spec, filter.column, "queryable");
    const op = filter.op ?? "is";
    if (op !== "is" && op !== "startswith") throw bad(`query operator must be 'is' or 'startswith', not '${op}'`);
    let value: string;
    if (f.type === "boolean") {
        // CUPI queries booleans as 1/0.
        const b = filter.value === true || filter.value === 1 || /^(true|1)$/i.test(String(filter.value)) ? "1"
            : filter.value === false || filter.value === 0 || /^(false|0)$/i.test(String(filter.value)) ? "0" : undefined;
        if (b === undefined) throw bad(`${f.cupi} is a boolean column: query it with true or false, not '${filter.value}'`);
        value = b;
    } else {
        value = String(filter.value).trim();
        if (f.type === "integer" && !/^-?\d+$/.test(value)) throw bad(`${f.cupi} is an integer column: '${value}' is not a number`);
    }
    if (value === "") throw bad(`query on ${f.cupi} needs a value`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(value)) throw bad(`query value for ${f.cupi} contains control characters`);
    if (value.length > 255) throw bad(`query value for ${f.cupi} is longer than 255 characters`);
    return `(${f.cupi} ${op} ${value})`;
}

/** `{column: "displayName", direction: "desc"}` -> `(DisplayName desc)`. */
export function buildSort(spec: ObjectSpec, order: SortOrder): string {
    const f = column(spec, order.column, "sortable");
    const dir = order.direction ?? "asc";
    if (dir !== "asc" && dir !== "desc") throw bad(`sort direction must be 'asc' or 'desc', not '${dir}'`);
    return `(${f.cupi} ${dir})`;
}

/** Encodes query parameters the way CUPI documents them (spaces as %20, not '+'). */
export function queryString(params: Record<string, string | number | undefined>): string {
    const parts = Object.entries(params)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
    return parts.length ? `?${parts.join("&")}` : "";
}
