/**
 * The call flow of an audio-text application as voice engineers draw it by hand: from each entry
 * point to its handler; which greeting plays when (open, closed, holiday, alternate, busy); the
 * transfer a rule makes first; the keys and what each leads to (another handler, a user's mailbox,
 * a transfer, a message, hang up); shared targets merged, loops marked. Built from a FlowSource
 * (a live server or a stack's state, sources.ts), in CUPI's own field names, so that both give the
 * same graph; drawn as Mermaid or Graphviz DOT.
 */
import type { CupiRecord } from "../client/codec";
import { ACTIONS, CONVERSATIONS } from "../specs";
import { ENABLED } from "../resources/callhandler";

/** A handler with its fixed children, keyed by CUPI's keys (`Off Hours`, `1`, `*`). */
export interface HandlerData {
    record: CupiRecord;
    greetings: Record<string, CupiRecord>;
    transferOptions: Record<string, CupiRecord>;
    menuEntries: Record<string, CupiRecord>;
}

/** What a flow is read from. Every answer may be undefined: an object the source does not know. */
export interface FlowSource {
    /** Where it reads from, for the picture's title: a server's origin, or a stack. */
    readonly origin: string;
    /** The handlers an entry names: an extension, or a display name (case-insensitive). */
    findEntry(entry: string): Promise<CupiRecord | undefined>;
    /** The entry points when none is named: handlers with an extension that are not a user's or built in. */
    defaultEntries(): Promise<CupiRecord[]>;
    /** A handler's own record (a user's primary handler too). */
    handler(id: string): Promise<CupiRecord | undefined>;
    /** Its children, for a handler that is drawn with its greetings and keys. */
    children(id: string): Promise<Omit<HandlerData, "record">>;
    /** A schedule set's name and the names of the schedules it includes and the holidays it excludes. */
    scheduleSet(id: string): Promise<{ name: string; schedules: string[]; holidays: string[] } | undefined>;
    /** The name of a user or a distribution list (a message's recipient). */
    recipient(kind: "User" | "DistributionList", id: string): Promise<string | undefined>;
}

export type NodeKind = "entry" | "handler" | "system" | "mailbox" | "greeting" | "transfer" | "message" | "end" | "note" | "outside";
export interface FlowNode { id: string; kind: NodeKind; label: string }
export interface FlowEdge { from: string; to: string; label: string; loop?: boolean }
export interface Flow { title: string; nodes: FlowNode[]; edges: FlowEdge[] }

const isOn = (r: CupiRecord | undefined) => r !== undefined && ENABLED[0].decode(r) === true;
const short = (id: string) => id.toLowerCase().replace(/[^0-9a-z]/g, "").slice(0, 12);
const GREETING_WORDS: Record<string, string> = { "Off Hours": "off-hours", Standard: "standard", Alternate: "alternate", Busy: "busy", Internal: "internal", Holiday: "holiday", Error: "error" };

/** Builds the flow from the entries (extensions or handler names; none: the source's default entries). */
export async function buildFlow(src: FlowSource, entries: readonly string[] = []): Promise<Flow> {
    const nodes = new Map<string, FlowNode>();
    const edges: FlowEdge[] = [];
    const node = (id: string, kind: NodeKind, label: string) => {
        if (!nodes.has(id)) nodes.set(id, { id, kind, label });
        return id;
    };
    /** One edge per pair: a second condition to the same place joins the first one's label. */
    const edge = (from: string, to: string, label: string, loop = false) => {
        const same = edges.find((e) => e.from === from && e.to === to);
        if (same) {
            if (!same.label.split(" / ").includes(label)) same.label = `${same.label} / ${label}`;
            same.loop ||= loop;
        } else edges.push({ from, to, label, ...(loop ? { loop } : {}) });
    };
    const visited = new Set<string>();

    /** The node a handler is, drawn out (greetings, keys) unless it is a user's or built in. `path`: the handlers above it. */
    async function handlerNode(id: string, path: readonly string[]): Promise<string> {
        const key = `h_${short(id)}`;
        if (visited.has(id)) return key;
        visited.add(id);
        const record = await src.handler(id);
        if (!record) return node(key, "outside", `handler ${id} (not known here)`);
        const name = String(record.DisplayName ?? id);
        if (record.IsPrimary === true) {
            node(key, "mailbox", `mailbox of ${name}`);
            await drawPersonal(id, key);
            return key;
        }
        const ext = record.DtmfAccessId ? ` · ${String(record.DtmfAccessId)}` : "";
        // Opening Greeting, Operator, Goodbye: every voice engineer knows what they do.
        if (record.Undeletable === true) return node(key, "system", `${name}${ext} (system handler)`);
        node(key, "handler", `${name}${ext}`);
        await drawHandler(id, key, record, [...path, id]);
        return key;
    }

    /** Where an action goes: a node, and how the edge reads; undefined for "ignore". */
    async function target(action: number, conversation: unknown, handlerId: unknown, number: unknown, from: { id: string; key: string; record: CupiRecord; path: readonly string[] }): Promise<{ to: string; label?: string; loop?: boolean } | undefined> {
        switch (action) {
            case 0: return undefined;
            case 1: return { to: node("end_hangup", "end", "hang up") };
            case 2: {
                const conv = String(conversation ?? "");
                if ((conv === "PHTransfer" || conv === "PHGreeting") && typeof handlerId === "string" && handlerId) {
                    const loop = from.path.includes(handlerId);
                    const to = await handlerNode(handlerId, from.path);
                    return { to, label: conv === "PHGreeting" ? "its greeting" : undefined, loop };
                }
                return { to: node(`conv_${short(conv)}`, "outside", (CONVERSATIONS as Record<string, string>)[conv] ?? conv) };
            }
            case 3: return { to: node(`g_${short(from.id)}_error`, "greeting", "error greeting") };
            case 4: case 5: return { to: await messageNode(from.id, from.record) };
            case 6: return { to: from.key, label: "again", loop: true };
            case 7: return { to: node(`x_${short(String(number))}`, "transfer", `transfer to ${String(number)}`) };
            default: return { to: node(`end_a${action}`, "end", (ACTIONS as Record<number, string>)[action] ?? `action ${action}`) };
        }
    }

    async function messageNode(id: string, record: CupiRecord): Promise<string> {
        const user = record.RecipientSubscriberObjectId, list = record.RecipientDistributionListObjectId;
        const who = typeof user === "string" && user ? await src.recipient("User", user) ?? user
            : typeof list === "string" && list ? await src.recipient("DistributionList", list) ?? list : undefined;
        // One node per recipient: handlers whose messages go to the same list meet there.
        const to = typeof user === "string" && user ? user : typeof list === "string" && list ? list : `of_${id}`;
        return node(`m_${short(to)}`, "message", who ? `message for ${who}` : "message (no recipient named)");
    }

    /**
     * A user's own rules, beside their mailbox: a transfer their rules make first (their hours are
     * theirs: not named), and the greetings they turned on (a busy greeting, an alternate one).
     */
    async function drawPersonal(id: string, key: string): Promise<void> {
        const { greetings, transferOptions: rules } = await src.children(id);
        const ring = (type: string, when: string) => {
            const rule = rules[type];
            if (!isOn(rule) || rule?.Action !== 1) return;
            edge(key, node(`t_${short(id)}_${short(type)}`, "transfer", `ring ${String(rule.Extension ?? "")}`), when);
        };
        if (isOn(rules.Alternate)) ring("Alternate", "alternate rule on");
        else {
            ring("Standard", "their open hours");
            ring("Off Hours", "their closed hours");
        }
        for (const type of ["Alternate", "Busy", "Internal"]) {
            if (isOn(greetings[type])) edge(key, node(`g_${short(id)}_${short(type)}`, "greeting", `${GREETING_WORDS[type]} greeting`), type === "Busy" ? "on the phone" : type === "Internal" ? "internal caller" : "alternate on");
        }
    }

    async function drawHandler(id: string, key: string, record: CupiRecord, path: readonly string[]): Promise<void> {
        const { greetings, transferOptions: rules, menuEntries } = await src.children(id);
        const setId = typeof record.ScheduleSetObjectId === "string" && record.ScheduleSetObjectId ? record.ScheduleSetObjectId : undefined;
        const set = setId ? await src.scheduleSet(setId) : undefined;
        const on = (type: string) => isOn(greetings[type]);
        const ruleOn = (type: string) => isOn(rules[type]);
        // What plays when: Alternate above all, then Busy, Internal, Holiday, Off Hours, Standard (EVERYDAY.md §7.4).
        const closedGreeting = on("Off Hours") ? "Off Hours" : "Standard";
        const closedRule = ruleOn("Off Hours") ? "Off Hours" : "Standard";
        const conditions: { when: string; greeting: string; rule: string }[] = [];
        if (on("Alternate")) conditions.push({ when: "always (alternate greeting on)", greeting: "Alternate", rule: ruleOn("Alternate") ? "Alternate" : "Standard" });
        else {
            if (on("Busy")) conditions.push({ when: "extension busy", greeting: "Busy", rule: "Standard" });
            if (on("Internal")) conditions.push({ when: "internal caller", greeting: "Internal", rule: "Standard" });
            conditions.push({ when: set ? `open (${set.name})` : "always", greeting: "Standard", rule: ruleOn("Alternate") ? "Alternate" : "Standard" });
            if (set) {
                conditions.push({ when: `closed (${set.name})`, greeting: closedGreeting, rule: closedRule });
                if (set.holidays.length) conditions.push({ when: `holiday (${set.holidays.join(", ")})`, greeting: on("Holiday") ? "Holiday" : closedGreeting, rule: closedRule });
                else edge(key, node(`note_${short(id)}_noholidays`, "note", "no holidays"), "holidays");
            }
        }
        const drawn: string[] = [];
        /** The greeting's node, once a caller can reach it. */
        const greetingNode = (type: string) => {
            if (!drawn.includes(type)) drawn.push(type);
            return node(`g_${short(id)}_${short(type)}`, "greeting", `${GREETING_WORDS[type] ?? type} greeting`);
        };
        const routes = conditions.map((c) => {
            const rule = rules[c.rule] ?? {};
            if (rule.Action !== 1) return { ...c, to: greetingNode(c.greeting) };
            const to = rule.UsePrimaryExtension === true ? String(record.DtmfAccessId ?? "its extension") : String(rule.Extension ?? "");
            const supervised = rule.TransferType === 1;
            const t = node(`t_${short(id)}_${short(c.rule)}`, "transfer", `ring ${to}${supervised ? ` (${String(rule.TransferRings ?? 4)} rings)` : ""}`);
            // A released transfer is the phone system's from then on; a supervised one comes back unanswered.
            if (supervised) edge(t, greetingNode(c.greeting), "no answer");
            return { ...c, to: t };
        });
        // Open, closed and holidays alike: said once.
        const anyTime = routes.length > 1 && routes.every((r) => r.to === routes[0].to);
        for (const r of anyTime ? [{ ...routes[0], when: "any time" }] : routes) edge(key, r.to, r.when);
        const from = { id, key, record, path };
        // The keys callers press during a greeting that hears them.
        if (drawn.some((type) => greetings[type]?.IgnoreDigits !== true)) {
            for (const k of Object.keys(menuEntries).sort(keyOrder)) {
                const m = menuEntries[k];
                const t = await target(Number(m.Action ?? 0), m.TargetConversation, m.TargetHandlerObjectId, m.TransferNumber, from);
                if (t) edge(key, t.to, `press ${k}${t.label ? ` (${t.label})` : ""}`, t.loop);
            }
        }
        for (const type of drawn) {
            const gr = greetings[type] ?? {};
            const g = `g_${short(id)}_${short(type)}`;
            const t = await target(Number(gr.AfterGreetingAction ?? 4), gr.AfterGreetingTargetConversation, gr.AfterGreetingTargetHandlerObjectId, undefined, { ...from, key: g });
            if (t) edge(g, t.to, `after the greeting${t.label ? ` (${t.label})` : ""}`, t.loop);
        }
    }

    const starts = entries.length ? await Promise.all(entries.map(async (e) => ({ e, r: await src.findEntry(e) }))) : (await src.defaultEntries()).map((r) => ({ e: String(r.DtmfAccessId ?? r.DisplayName), r }));
    const missing = starts.filter((s) => !s.r).map((s) => s.e);
    if (missing.length) throw new Error(`no call handler has the extension or name ${missing.map((m) => JSON.stringify(m)).join(", ")} on ${src.origin}`);
    for (const { e, r } of starts) {
        const entry = node(`entry_${short(e)}`, "entry", /^\d+$/.test(e) ? `call ${e}` : e);
        edge(entry, await handlerNode(String(r!.ObjectId), []), "");
    }
    return { title: `call flow on ${src.origin}`, nodes: [...nodes.values()], edges };
}

/** 1-9, then 0, *, # (the keypad's order). */
const keyOrder = (a: string, b: string) => "1234567890*#".indexOf(a) - "1234567890*#".indexOf(b);

// ------------------------------------------------------------------ drawings

const MERMAID_SHAPES: Record<NodeKind, [string, string]> = {
    entry: ["([", "])"], handler: ["[", "]"], system: ["[[", "]]"], mailbox: ["[(", ")]"], greeting: ["(", ")"],
    transfer: ["{{", "}}"], message: ["[/", "/]"], end: ["((", "))"], note: [">", "]"], outside: ["[", "]"],
};
const mermaidText = (s: string) => `"${s.replace(/"/g, "#quot;")}"`;

/** Mermaid (renders on GitHub and GitLab): a flowchart left to right; loops dotted. */
export function toMermaid(flow: Flow): string {
    const lines = ["flowchart LR", `    %% ${flow.title}`];
    for (const n of flow.nodes) lines.push(`    ${n.id}${MERMAID_SHAPES[n.kind][0]}${mermaidText(n.label)}${MERMAID_SHAPES[n.kind][1]}`);
    for (const e of flow.edges) {
        const label = e.loop ? `↺ ${e.label}`.trim() : e.label;
        lines.push(`    ${e.from} ${e.loop ? "-.->" : "-->"}${label ? `|${mermaidText(label)}|` : ""} ${e.to}`);
    }
    return `${lines.join("\n")}\n`;
}

const DOT_SHAPES: Record<NodeKind, string> = {
    entry: "shape=oval, style=filled, fillcolor=\"#dbeafe\"", handler: "shape=box, style=\"rounded,filled\", fillcolor=\"#fef3c7\"",
    system: "shape=box, style=\"rounded,filled,bold\", fillcolor=\"#e5e7eb\"", mailbox: "shape=cylinder, style=filled, fillcolor=\"#dcfce7\"",
    greeting: "shape=note", transfer: "shape=hexagon", message: "shape=parallelogram", end: "shape=doublecircle",
    note: "shape=plaintext, fontcolor=\"#6b7280\"", outside: "shape=box, style=dashed",
};
const dotText = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, "\\\"")}"`;

/** Graphviz DOT, for the SVG (and for anyone with Graphviz). */
export function toDot(flow: Flow): string {
    const lines = ["digraph flow {", "    rankdir=LR;", `    label=${dotText(flow.title)}; labelloc=t; fontname="Helvetica";`, "    node [fontname=\"Helvetica\", fontsize=11];", "    edge [fontname=\"Helvetica\", fontsize=10];"];
    for (const n of flow.nodes) lines.push(`    ${n.id} [label=${dotText(n.label)}, ${DOT_SHAPES[n.kind]}];`);
    for (const e of flow.edges) lines.push(`    ${e.from} -> ${e.to} [label=${dotText(e.loop ? `↺ ${e.label}`.trim() : e.label)}${e.loop ? ", style=dashed, constraint=false" : ""}];`);
    lines.push("}");
    return `${lines.join("\n")}\n`;
}

/** SVG, by Graphviz compiled to WebAssembly (@viz-js/viz): nothing to install. */
export async function toSvg(flow: Flow): Promise<string> {
    const { instance } = await import("@viz-js/viz");
    return (await instance()).renderString(toDot(flow), { format: "svg" });
}
