/**
 * scripts/pulumi-engine's progress during the one-time CLI build, with a one-second interval and
 * fake commands. The fake commands finish only once the progress lines they wait for are on
 * stderr, so nothing here depends on timing.
 */
import { expect } from "chai";
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ROOT } from "../helpers";

const PROGRESS = path.join(ROOT, "scripts", "pulumi-engine-progress");
const ENGINE = path.join(ROOT, "scripts", "pulumi-engine");
const LINE = /^pulumi-engine: still (.+) \((\d+m)?\d+s, (.+)\)$/;

/** Runs a script with stderr in a file (which the fake commands watch); stdout is collected. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, errFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const err = fs.openSync(errFile, "w");
    return new Promise((resolve, reject) => {
        const child = spawn(cmd, args, { env, stdio: ["ignore", "pipe", err] });
        let stdout = "";
        child.stdout!.on("data", (c) => (stdout += c));
        child.on("error", reject);
        child.on("close", (code) => {
            fs.closeSync(err);
            resolve({ code, stdout, stderr: fs.readFileSync(errFile, "utf8") });
        });
    });
}

/** A shell loop that returns once `file` has `n` lines containing `text`. */
const waitFor = (file: string, text: string, n = 1) => `until [ "$(grep -cF '${text}' '${file}')" -ge ${n} ]; do sleep 0.1; done`;

describe("pulumi-engine progress", function () {
    let dir: string;
    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-engine-test-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("says on stderr what a long command is doing, never on stdout, and keeps its exit status", async () => {
        const errFile = path.join(dir, "stderr");
        const log = path.join(dir, "build.log");
        const script = [
            "echo 'go: downloading github.com/pulumi/esc v0.9.1' >&2", waitFor(errFile, "downloading github.com/pulumi/esc v0.9.1)"),
            "echo github.com/pulumi/pulumi/pkg/v3/engine", waitFor(errFile, "compiling github.com/pulumi/pulumi/pkg/v3/engine)"),
            "exit 3",
        ].join("; ");
        const res = await run(PROGRESS, ["building the Pulumi CLI vX", log, "bash", "-c", script], { ...process.env, PULUMI_ENGINE_PROGRESS_SECONDS: "1" }, errFile);
        expect(res.code).to.equal(3);
        expect(res.stdout).to.equal("");
        const lines = res.stderr.trim().split("\n");
        expect(lines.length).to.be.at.least(2);
        for (const line of lines) {
            expect(line).to.match(LINE);
            expect(line.length).to.be.at.most(160);
            expect(LINE.exec(line)![1]).to.equal("building the Pulumi CLI vX");
        }
        const doing = lines.map((l) => LINE.exec(l)![3]);
        expect(doing).to.include("downloading github.com/pulumi/esc v0.9.1");
        expect(doing[doing.length - 1]).to.equal("compiling github.com/pulumi/pulumi/pkg/v3/engine");
        // The command's own output went to the log.
        expect(fs.readFileSync(log, "utf8")).to.equal("go: downloading github.com/pulumi/esc v0.9.1\ngithub.com/pulumi/pulumi/pkg/v3/engine\n");
    });

    it("pulumi-language-host: a build says what it does in its own name, with its own estimate; only the host's path on stdout", async () => {
        const errFile = path.join(dir, "stderr");
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        for (const tool of ["bash", "dirname", "readlink", "mktemp", "sed", "cp", "chmod", "tail", "tr", "grep", "rm", "mkdir", "mv", "sleep", "env"]) {
            fs.symlinkSync(execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), path.join(bin, tool));
        }
        // A CLI without language hosts beside it (as a source build is), and a fake `go install`
        // that finishes once a progress line is out.
        const cli = path.join(dir, "cli", "pulumi");
        fs.mkdirSync(path.dirname(cli));
        fs.writeFileSync(cli, "#!/bin/sh\necho v3.0.0-fake\n", { mode: 0o755 });
        fs.writeFileSync(path.join(bin, "go"), `#!/usr/bin/env bash
[ "$1" = install ] || exit 1
echo github.com/pulumi/pulumi-yaml/pkg/pulumiyaml >&2
${waitFor(errFile, "compiling github.com/pulumi/pulumi-yaml/pkg/pulumiyaml)")}
mkdir -p "$GOBIN" && printf '#!/bin/sh\\n' > "$GOBIN/pulumi-language-yaml" && chmod +x "$GOBIN/pulumi-language-yaml"
`, { mode: 0o755 });
        const cache = path.join(dir, "cache");
        const env = { HOME: dir, PATH: bin, PULUMI_CLI: cli, PULUMI_CUC_CACHE: cache, PULUMI_ENGINE_PROGRESS_SECONDS: "1" };
        const res = await run(path.join(ROOT, "scripts", "pulumi-language-host"), ["yaml"], env, errFile);
        expect(res.code, res.stderr).to.equal(0);
        expect(res.stdout).to.equal(`${path.join(cache, "language-yaml-v1.25.0", "pulumi-language-yaml")}\n`);
        expect(res.stderr).to.contain("pulumi-language-host: building pulumi-language-yaml v1.25.0 from the Go module proxy (one time, about 2 minutes;");
        expect(res.stderr).to.match(/^pulumi-language-host: still building pulumi-language-yaml v1\.25\.0 \(\d+s, compiling github\.com\/pulumi\/pulumi-yaml\/pkg\/pulumiyaml\)$/m);
        expect(res.stderr, "another script's name").not.to.contain("pulumi-engine:");
    });

    it("pulumi-engine: a build from the module proxy prints progress on stderr and only the CLI path on stdout", async () => {
        const errFile = path.join(dir, "stderr");
        const bin = path.join(dir, "bin");
        fs.mkdirSync(bin);
        // Only the tools the script needs, so no pulumi installed on this machine is found first.
        for (const tool of ["bash", "dirname", "mktemp", "sed", "cp", "chmod", "tail", "tr", "grep", "rm", "mkdir", "mv", "sleep", "env"]) {
            fs.symlinkSync(execFileSync("bash", ["-c", `command -v ${tool}`], { encoding: "utf8" }).trim(), path.join(bin, tool));
        }
        const moduleDir = path.join(dir, "module");
        fs.mkdirSync(moduleDir);
        // A fake `go`: the download answers like `go mod download -json`; the build waits for a
        // progress line naming the package it compiles, then writes a CLI that answers `version`.
        fs.writeFileSync(path.join(bin, "go"), `#!/usr/bin/env bash
case "$1 $2" in
  "mod download") if [ "$3" = "-json" ]; then printf '{\\n\\t"Dir": "%s",\\n\\t"Sum": "h1:x"\\n}\\n' '${moduleDir}'; fi ;;
  "mod edit") ;;
  build*)
    while [ $# -gt 0 ]; do [ "$1" = "-o" ] && out="$2"; shift; done
    echo github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2
    ${waitFor(errFile, "compiling github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)")}
    printf '#!/bin/sh\\necho v3.0.0-fake\\n' > "$out" && chmod +x "$out" ;;
esac
`, { mode: 0o755 });
        const cache = path.join(dir, "cache");
        const env = { HOME: dir, PATH: bin, PULUMI_CUC_CACHE: cache, PULUMI_ENGINE_PROGRESS_SECONDS: "1" };
        const res = await run(ENGINE, [], env, errFile);
        expect(res.code, res.stderr).to.equal(0);
        expect(res.stdout).to.equal(`${path.join(cache, "pulumi-v3.259.0", "pulumi")}\n`);
        expect(res.stderr).to.contain("pulumi-engine: building the Pulumi CLI v3.259.0 from the Go module proxy");
        expect(res.stderr).to.match(/^pulumi-engine: still building the Pulumi CLI v3\.259\.0 \(\d+s, compiling github\.com\/pulumi\/pulumi\/pkg\/v3\/cmd\/pulumi\)$/m);
        expect(res.stderr).to.match(/^pulumi-engine: built the Pulumi CLI v3\.259\.0 in \d+m\d+s: /m);
    });
});
