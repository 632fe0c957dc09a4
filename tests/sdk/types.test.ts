/**
 * The SDK's argument types, as a user's TypeScript program sees them: the built package
 * (`pulumi-cuc` and `pulumi-cuc/native`, their .d.ts) compiled with the TypeScript compiler under
 * Pulumi's template options. An object that already exists (adopted, imported) may leave out each
 * input only a create needs, the write-only secrets first: the types must accept that, as check does.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { RESOURCES, isRequired, type ResourceDef } from "../../provider/resources";
import type { Field } from "../../provider/specs/types";
import { ROOT } from "../helpers";

/** Inside the repository: `pulumi-cuc` resolves to the built package (node_modules/pulumi-cuc). */
const DIR = path.join(ROOT, ".test-output", "types");
const GUID = "035853ce-f4e6-4de2-bda2-84acf827a555";

/** Write-only, and not revealed another way: what CUPI never returns (worked out here, not taken from the code under test). */
const neverReturned = (def: ResourceDef, f: Field) => f.access === "wo" && !def.readBack?.[f.name];

/** The inputs a program always gives (mandatory ones with their examples), less `without`. */
function args(def: ResourceDef, without: (f: Field) => boolean): string {
    const entries = def.inputs.filter((f) => isRequired(def, f) && !without(f)).map((f) => `${f.name}: ${JSON.stringify(f.name === def.parent?.input ? GUID : f.example)}`);
    for (const x of def.extraInputs ?? []) if (x.mandatory) entries.push(`${x.name}: ${JSON.stringify(x.guid ? GUID : "x")}`);
    return `{ ${entries.join(", ")} }`;
}

/** The TypeScript errors of a program, as `tsc` under Pulumi's template would print them. */
function compile(name: string, source: string): string[] {
    fs.mkdirSync(DIR, { recursive: true });
    const file = path.join(DIR, `${name}.ts`);
    fs.writeFileSync(file, source);
    const program = ts.createProgram([file], {
        strict: true, target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
        noEmit: true, skipLibCheck: true, types: [],
    });
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? path.basename(d.file.fileName) : ""} TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

describe("SDK types: what an existing object may leave out", function () {
    this.timeout(120_000);
    const cases = Object.values(RESOURCES).flatMap((def) => def.inputs.filter((f) => isRequired(def, f) && neverReturned(def, f)).map((f) => ({ def, f })));

    it("every write-only secret a create needs is among the cases (servicePassword, remotePassword)", () => {
        const secrets = cases.filter(({ f }) => f.secret).map(({ def, f }) => `${def.kind}.${f.name}`);
        expect(secrets).to.include.members(["ExternalService.servicePassword", "HttpsLink.remotePassword"]);
        // The optional ones (ccmAxlPassword, clientSecret) are optional in the types already; the program below leaves them out too.
        const optional = Object.values(RESOURCES).flatMap((def) => def.inputs.filter((f) => f.secret && !isRequired(def, f)).map((f) => `${def.kind}.${f.name}`));
        expect(optional).to.include.members(["AxlServer.ccmAxlPassword", "ExternalService.clientSecret"]);
    });

    it("compiles a program that adopts (dynamic) and imports (native) each kind without its write-only inputs", () => {
        const lines = ['import * as dynamic from "pulumi-cuc";', 'import * as native from "pulumi-cuc/native";', ""];
        for (const def of Object.values(RESOURCES)) {
            const a = args(def, (f) => neverReturned(def, f));
            const id = def.parent ? `${GUID}/${GUID}` : GUID;
            lines.push(`new dynamic.${def.kind}("adopted-${def.kind}", { ...${a}, adopt: ${JSON.stringify(id)} });`);
            lines.push(`new native.${def.kind}("imported-${def.kind}", ${a}, { import: ${JSON.stringify(id)} });`);
        }
        const errors = compile("existing", lines.join("\n") + "\n");
        expect(errors, lines.join("\n")).to.deep.equal([]);
    });

    it("the same compile fails when an input every program must give is left out (the check above can fail)", () => {
        const def = RESOURCES.ExternalService;
        const a = args(def, (f) => neverReturned(def, f) || f.name === "serviceAlias");
        const errors = compile("missing", `import * as native from "pulumi-cuc/native";\nnew native.ExternalService("x", ${a});\n`);
        expect(errors.join("\n")).to.match(/TS2345: .*serviceAlias/);
    });
});
