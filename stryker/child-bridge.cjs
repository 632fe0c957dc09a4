// Preloaded (NODE_OPTIONS=--require) in every node process the tests spawn during a Stryker run.
// Only during the dry run (STRYKER_CHILD_COVERAGE_DIR set by mocha-hooks.cjs) it writes the mutant
// ids this process covered into that directory: before every gRPC reply of the dynamic-provider
// host (so the parent has it when its await returns) and at exit (CLIs like import-cli).
const dir = process.env.STRYKER_CHILD_COVERAGE_DIR;
if (dir) {
    const fs = require("node:fs");
    const path = require("node:path");
    let seq = 0;
    const flush = () => {
        const cov = globalThis.__stryker__ && globalThis.__stryker__.mutantCoverage;
        if (!cov || !cov.static || Object.keys(cov.static).length === 0) return;
        const hits = cov.static;
        cov.static = {};
        const file = path.join(dir, `${process.pid}-${String(seq++).padStart(6, "0")}`);
        try {
            fs.writeFileSync(`${file}.tmp`, JSON.stringify(hits));
            fs.renameSync(`${file}.tmp`, `${file}.json`);
        } catch {
            // parent gone
        }
    };
    process.on("exit", flush);
    const main = process.argv[1] || "";
    if (/dynamic-provider/.test(main)) {
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(main)] }));
        const addService = grpc.Server.prototype.addService;
        grpc.Server.prototype.addService = function (service, impl) {
            const wrapped = Object.create(impl);
            for (const [name, def] of Object.entries(service)) {
                for (const key of [name, def.originalName]) {
                    if (!key || typeof impl[key] !== "function") continue;
                    const fn = impl[key];
                    wrapped[key] = function (call, callback) {
                        if (typeof callback !== "function") return fn.call(impl, call, callback);
                        return fn.call(impl, call, (...args) => {
                            flush();
                            callback(...args);
                        });
                    };
                }
            }
            return addService.call(this, service, wrapped);
        };
    }
}
