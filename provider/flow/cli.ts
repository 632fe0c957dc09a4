#!/usr/bin/env node
/**
 * `cuc-flow`: draws the call flow of a Connection server's audio-text application, from the
 * server itself (GETs only, one login) or from a stack's state (`pulumi stack export`), as Mermaid
 * or SVG (or DOT, or the graph as JSON).
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { CupiClient } from "../client/client";
import { resolveSettings, SETTING_NAMES, settingsFromFlags } from "../client/settings";
import { flagHint, SETTING_OPTIONS, settingUsage } from "../import/cli";
import { buildFlow, toDot, toMermaid, toSvg, type Flow } from "./graph";
import { serverSource, stateSource } from "./sources";

const FORMATS = ["mermaid", "svg", "dot", "json"] as const;
type Format = (typeof FORMATS)[number];

export const USAGE = `Usage: cuc-flow [--entry EXT|NAME ...] [--state FILE|-] [--format ${FORMATS.join("|")}] [--out FILE]
Draws the call flow of Connection's audio-text application: from each entry point (an extension,
or a call handler's name) to its handler, which greeting plays when (open, closed, holiday,
alternate), the transfers the rules make, the keys and where each leads (another handler, a user's
mailbox, a transfer, a message, hang up), shared targets merged and loops marked.

Source (one of):
  --state FILE           a stack's state as \`pulumi stack export\` writes it ("-": standard input);
                         no server needed. What the stack does not manage of a handler is taken as a
                         fresh system template's; an object outside the stack is known by its id
  (otherwise)            the server the connection settings below name: GETs only, one login

Drawing:
  --entry EXT|NAME       where calls come in: repeat it for several (default: every call handler
                         with an extension that is neither a user's nor built in)
  --format FORMAT        mermaid (renders on GitHub and GitLab), svg (Graphviz, built in), dot, or
                         json (the graph's nodes and edges) (default: mermaid, or the --out file's extension)
  --out FILE             where to write it (default: standard output)

Connection:
${SETTING_NAMES.map(settingUsage).join("\n")}
  --help`;

const OPTIONS = { ...SETTING_OPTIONS, entry: { type: "string", multiple: true }, state: { type: "string" }, format: { type: "string" }, out: { type: "string" }, help: { type: "boolean" } } as const;

/** The format asked for, or the one the --out file's extension says. */
function formatOf(format: string | undefined, out: string | undefined): Format {
    const f = format ?? ({ mmd: "mermaid", md: "mermaid", svg: "svg", dot: "dot", gv: "dot", json: "json" } as Record<string, Format>)[out?.split(".").pop()?.toLowerCase() ?? ""] ?? "mermaid";
    if (!(FORMATS as readonly string[]).includes(f)) throw new Error(`--format must be one of ${FORMATS.join(", ")}, not ${JSON.stringify(f)}`);
    return f as Format;
}

export async function render(flow: Flow, format: Format): Promise<string> {
    if (format === "svg") return toSvg(flow);
    if (format === "dot") return toDot(flow);
    if (format === "json") return `${JSON.stringify(flow, null, 2)}\n`;
    return toMermaid(flow);
}

async function main(): Promise<number> {
    const { values } = parseArgs({ args: process.argv.slice(2), options: OPTIONS, strict: true });
    if (values.help) {
        console.log(USAGE);
        return 0;
    }
    const format = formatOf(values.format as string | undefined, values.out as string | undefined);
    const entries = (values.entry as string[] | undefined) ?? [];
    let flow: Flow;
    if (values.state !== undefined) {
        const file = String(values.state);
        const text = fs.readFileSync(file === "-" ? 0 : file, "utf8");
        let parsed: unknown;
        try {
            parsed = JSON.parse(text);
        } catch {
            throw new Error(`--state ${file} is not JSON: give what \`pulumi stack export\` writes`);
        }
        flow = await buildFlow(stateSource(parsed, file === "-" ? "the stack's state" : file), entries);
    } else {
        const client = new CupiClient(resolveSettings(settingsFromFlags({ ...values, entry: undefined })), { onWarning: (m) => console.error(`warning: ${m}`) });
        try {
            flow = await buildFlow(serverSource(client), entries);
        } finally {
            client.close();
        }
    }
    const text = await render(flow, format);
    if (values.out) fs.writeFileSync(String(values.out), text);
    else process.stdout.write(text);
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e: Error) => {
            console.error(`cuc-flow: ${e.message}`);
            const hint = flagHint(e.message);
            if (hint) console.error(`cuc-flow: ${hint}`);
            process.exit(2);
        },
    );
}
