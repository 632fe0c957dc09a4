/**
 * A failed lookup as users see it: `pulumi preview` in a project directory (the CLI and its
 * Node language host, not an inline program), in both modes, with a wrong `cuc:password` and
 * with a lookup that matches nothing. Each error is one line with its cause, in the progress
 * and once under Diagnostics: no stack trace, no ANSI escapes, no PromiseRejectionHandledWarning.
 */
import { expect } from "chai";
import { startSimulator, type Simulator } from "../../simulator";
import { readmeProgram, UserWorkspace, type CliResult, type UserProject } from "./user-project";

const PASSWORD = "Lookup-Admin-Pass-1";

/** One lookup that finds nothing, used by a resource and exported. */
const noMatchProgram = (module: string) => `import * as cuc from "${module}";

const cucm = new cuc.PhoneSystem("cucm-cluster", {});
const group = cuc.getPortGroupOutput({ displayName: "No-Such-Group" });
new cuc.PortGroupMwi("mwi", { portGroupId: group.objectId, mwiOnCode: "*99", mwiOffCode: "#99" });

export const phoneSystem = cucm.displayName;
export const groupName = group.displayName;
`;

const lines = (text: string, part: string) => text.split("\n").filter((l) => l.includes(part));

/** A failed preview whose every error is one line with `cause`: `errors` of them. */
function expectOneLineErrors(r: CliResult, cause: string, errors: number): void {
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.code, out).not.to.equal(0);
    expect(out).to.contain(cause);
    expect(out, "a warning of late-handled rejections").not.to.contain("PromiseRejectionHandledWarning");
    expect(out, "a stack trace").not.to.contain("    at ");
    expect(out, "ANSI escapes").not.to.contain("\x1b[");
    const diagnostics = r.stdout.slice(r.stdout.indexOf("\nDiagnostics:"));
    expect(lines(diagnostics, cause), diagnostics).to.have.length(errors);
    // Each error once more, in the progress.
    expect(lines(out, cause), out).to.have.length(2 * errors);
}

describe("failed lookups in a user's project: one line per error", function () {
    this.timeout(600_000);
    let ws: UserWorkspace;
    let s: Simulator;
    const sim = (password: string) => ({ url: s.url, user: s.user, password, certPath: s.certPath });
    /** `pulumi preview`, timed: the figure is printed, never asserted. */
    const preview = async (p: UserProject, label: string) => {
        const started = Date.now();
        const r = await p.pulumi("preview");
        console.log(`      ${label}: preview exited ${r.code} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return r;
    };

    before(async function () {
        this.timeout(20 * 60_000);
        ws = new UserWorkspace();
        await ws.init();
        s = await startSimulator({ password: PASSWORD, seed: 97 });
    });
    after(async () => {
        expect(ws.secretLeaks([PASSWORD])).to.deep.equal([]);
        await s?.close();
        ws?.dispose();
    });

    for (const mode of ["dynamic", "native"] as const) {
        describe(`${mode} mode`, () => {
            let p: UserProject;
            const module = mode === "native" ? "pulumi-cuc/native" : "pulumi-cuc";

            before(async () => {
                p = ws.project(`lookups-${mode}`, readmeProgram(module));
                if (mode === "native") await p.installPlugin();
                await p.stack(sim("Wrong-Password-9"), { [`lookups-${mode}:axlPassword`]: "Axl-Secret-2", [`lookups-${mode}:o365Password`]: "O365-Secret-3" });
            });

            it("a wrong cuc:password: both lookups fail, each in one line that says to check the credentials", async () => {
                expectOneLineErrors(await preview(p, "wrong password"), "check cuc:username / cuc:password", 2);
            });

            it("a lookup that matches nothing: one line that names what was looked for", async () => {
                await p.config({ "cuc:password": { secret: PASSWORD } });
                p.write("index.ts", noMatchProgram(module));
                expectOneLineErrors(await preview(p, "no match"), "getPortGroup: no PortGroup named 'No-Such-Group'", 1);
            });

            it("the same project with the right password previews (the figure to compare with)", async () => {
                p.write("index.ts", readmeProgram(module));
                const r = await preview(p, "working");
                expect(r.code, r.stdout + r.stderr).to.equal(0);
            });
        });
    }
});
