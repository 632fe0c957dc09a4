// Root hooks for the Stryker mocha runner (mochaOptions.require). Two things Stryker's in-process
// mocha runner does not do for code that runs in CHILD processes (the dynamic-provider host that
// tests/host.ts spawns, import-cli, cuc-sim):
//  1. Activate the mutant there: the instrumented code reads __STRYKER_ACTIVE_MUTANT__ from the
//     environment at load time, but the mocha runner only sets a global in the test process.
//     We copy the active mutant into process.env before any suite hook spawns a child.
//  2. Report coverage from there (dry run, coverageAnalysis perTest): child-bridge.cjs (loaded in
//     every node child via NODE_OPTIONS) writes what the child covered before each gRPC reply and
//     at exit; here it is merged into the current test's coverage, so Stryker selects e.g.
//     tests/provider/host.test.ts for mutants the engine only runs inside the host.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ENV = "__STRYKER_ACTIVE_MUTANT__";
const COV_ENV = "STRYKER_CHILD_COVERAGE_DIR";
const ns = () => globalThis.__stryker__ || (globalThis.__stryker__ = {});
// Made only in the dry run (Stryker SIGKILLs workers on timeouts, so an exit handler alone would
// leave one directory per worker behind), and removed when the dry run's worker exits normally.
let covDir;
function coverageDir() {
    if (!covDir) {
        covDir = fs.mkdtempSync(path.join(os.tmpdir(), "stryker-child-cov-"));
        process.on("exit", () => fs.rmSync(covDir, { recursive: true, force: true }));
    }
    return covDir;
}
const bridge = path.join(__dirname, "child-bridge.cjs");
if (!(process.env.NODE_OPTIONS || "").includes(bridge)) {
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS || ""} --require ${bridge}`.trim();
}

function syncEnv() {
    const active = ns().activeMutant;
    if (active === undefined) {
        // dry run: no mutant; children record their coverage
        delete process.env[ENV];
        process.env[COV_ENV] = coverageDir();
    } else {
        process.env[ENV] = String(active);
        delete process.env[COV_ENV];
    }
}

function drain(testId) {
    if (!covDir) return;
    let files;
    try {
        files = fs.readdirSync(covDir).sort();
    } catch {
        return;
    }
    if (!files.length) return;
    const n = ns();
    const cov = n.mutantCoverage || (n.mutantCoverage = { static: {}, perTest: {} });
    const target = testId !== undefined && n.activeMutant === undefined ? (cov.perTest[testId] = cov.perTest[testId] || {}) : undefined;
    for (const f of files) {
        const file = path.join(covDir, f);
        let hits = {};
        try {
            hits = JSON.parse(fs.readFileSync(file, "utf8"));
        } catch {
            // a child killed mid-write: skip
        }
        fs.rmSync(file, { force: true });
        if (!target) continue;
        for (const [id, count] of Object.entries(hits)) target[id] = (target[id] || 0) + count;
    }
}

exports.mochaHooks = {
    beforeAll() {
        syncEnv();
        drain(undefined);
    },
    beforeEach() {
        syncEnv();
        // what children covered in suite hooks (host start, Configure) counts for the next test
        drain(this.currentTest && this.currentTest.fullTitle());
    },
    afterEach() {
        drain(this.currentTest && this.currentTest.fullTitle());
    },
};
