// Stryker reporter plugin "cuc-summary": writes summary.md beside the HTML/JSON reports, with the
// score per file, every mutant marked equivalent in the source (`// Stryker disable ...: <reason>`,
// listed with its reason) and every survivor. The HTML report is the place to study one mutant;
// this file is what a review or an issue note quotes, and what `npm run mutate` points at.
import fs from "node:fs";
import path from "node:path";
import { commonTokens, declareClassPlugin, PluginKind } from "@stryker-mutator/api/plugin";

const pct = (n) => (Number.isNaN(n) ? "n/a" : `${n.toFixed(2)} %`);
const cell = (s) => String(s).replace(/\s+/g, " ").replace(/\|/g, "\\|").slice(0, 120);

/** Leaves of the metrics tree: one per mutated file, named by its path. */
function files(node, out = []) {
    if (node.file) out.push({ name: node.file.name, metrics: node.metrics });
    for (const child of node.childResults ?? []) files(child, out);
    return out;
}

function mutantRows(report, wanted, last, keep = () => true) {
    const rows = [];
    for (const [file, result] of Object.entries(report.files)) {
        for (const m of result.mutants) {
            if (!wanted.includes(m.status) || !keep(m)) continue;
            const replacement = m.replacement ?? "";
            rows.push(`| ${file}:${m.location.start.line} | ${m.mutatorName} | \`${cell(replacement)}\` | ${cell(last(m))} |`);
        }
    }
    return rows;
}

class SummaryReporter {
    static inject = [commonTokens.logger, commonTokens.options];
    constructor(log, options) {
        this.log = log;
        this.target = path.join(path.dirname(options.jsonReporter?.fileName ?? "reports/mutation/mutation.json"), "summary.md");
    }

    onMutationTestReportReady(report, metricsResult) {
        const row = (name, m) =>
            `| ${name} | ${pct(m.mutationScore)} | ${pct(m.mutationScoreBasedOnCoveredCode)} | ${m.killed} | ${m.timeout} | ${m.survived} | ${m.noCoverage} | ${m.ignored} | ${m.compileErrors} |`;
        // Ignored: marked equivalent in the source, or static (ignoreStatic: code that runs at module load).
        const isStatic = (m) => /^Static mutant/.test(m.statusReason ?? "");
        const equivalents = mutantRows(report, ["Ignored"], (m) => m.statusReason ?? "", (m) => !isStatic(m));
        const statics = Object.values(report.files).flatMap((f) => f.mutants).filter((m) => m.status === "Ignored" && isStatic(m)).length;
        const survivors = mutantRows(report, ["Survived", "NoCoverage"], (m) => m.status);
        const text = [
            "# Mutation testing summary",
            "",
            `Written by \`npm run mutate\` (stryker/summary-reporter.mjs). Score = detected / (detected + undetected);`,
            "mutants marked equivalent (ignored) and those that do not type-check (compile errors) are not counted.",
            "",
            "| file | score | score of covered code | killed | timed out | survived | no coverage | ignored (equivalent or static) | compile errors |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
            ...files(metricsResult.systemUnderTestMetrics).map((f) => row(f.name, f.metrics)),
            row("**all**", metricsResult.systemUnderTestMetrics.metrics),
            "",
            `## Equivalent mutants (${equivalents.length})`,
            "",
            "Marked where they live with `// Stryker disable next-line <mutator>: <reason>`; no test can tell them apart from the original.",
            `(Not run either: ${statics} static mutants, in code that runs once at module load — ignoreStatic.)`,
            "",
            "| where | mutator | replacement | reason |",
            "| --- | --- | --- | --- |",
            ...equivalents,
            "",
            `## Survivors (${survivors.length})`,
            "",
            "| where | mutator | replacement | status |",
            "| --- | --- | --- | --- |",
            ...survivors,
            "",
        ].join("\n");
        fs.mkdirSync(path.dirname(this.target), { recursive: true });
        fs.writeFileSync(this.target, text);
        this.log.info("Scores per file, equivalent mutants with their reasons and survivors: %s", this.target);
    }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, "cuc-summary", SummaryReporter)];
