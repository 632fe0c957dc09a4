/**
 * The settings table: every key is honoured from a resource's `connection`, from the stack's
 * `cuc:*` configuration and from the `CUC_*` variables, and precedence is connection > cuc:* > CUC_*.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { checkSettings, mergeSettings, resolveSettings, SETTINGS, settingsFromConfig, settingsFromEnv, type ResolvedSettings, type SettingName } from "../../provider/client";
import { settingFlag, unknownSettings } from "../../provider/client/settings";
import { readCommandLine, USAGE } from "../../provider/import/cli";
import { providerInputs } from "../../sdk/runtime/native";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBsample\n-----END CERTIFICATE-----";
const names = Object.keys(SETTINGS) as SettingName[];

/** A valid value for each setting that differs from its default. */
function sample(name: SettingName): string | number | boolean {
    const s = SETTINGS[name] as { type: string; default?: unknown; values?: readonly string[] };
    if (name === "server") return "cuc-sample.example.com:8443";
    if (name === "caCert") return PEM;
    if (s.values) return s.values.find((v) => v !== s.default)!;
    if (s.type === "boolean") return !s.default;
    if (s.type === "number") return Number(s.default ?? 0) + 7;
    return `${name}-sample`;
}
const raw = (v: unknown) => String(v);

/** Where each setting lands in the resolved settings. */
function resolvedValue(r: ResolvedSettings, name: SettingName): unknown {
    if (name === "server") return r.origin;
    if (name === "caCert") return r.ca;
    return (r as unknown as Record<string, unknown>)[name];
}
const expected = (name: SettingName) => (name === "server" ? "https://cuc-sample.example.com:8443" : sample(name));

describe("settings table", () => {
    const all = Object.fromEntries(names.map((n) => [n, sample(n)]));

    for (const name of names) {
        it(`${name}: from connection, from cuc:${name} and from ${SETTINGS[name].env}`, () => {
            const fromConnection = resolveSettings(all, {});
            expect(resolvedValue(fromConnection, name)).to.deep.equal(expected(name));
            const config = settingsFromConfig((key) => (key.startsWith("cuc:") ? raw(all[key.slice(4)]) : undefined));
            expect(resolvedValue(resolveSettings(config, {}), name)).to.deep.equal(expected(name));
            const env = Object.fromEntries(names.map((n) => [SETTINGS[n].env, raw(all[n])]));
            expect(resolvedValue(resolveSettings({}, env), name)).to.deep.equal(expected(name));
            expect(resolvedValue(resolveSettings(settingsFromEnv(env), {}), name)).to.deep.equal(expected(name));
        });
    }

    it("a connection with every key passes the check a resource applies; unknown keys and wrong types are named", () => {
        expect(checkSettings(all)).to.deep.equal([]);
        const problems = checkSettings({ ...all, pageSize: "big", server: "ftp://x", colour: "red" });
        expect(problems.map((p) => p.key).sort()).to.deep.equal(["colour", "pageSize", "server"]);
        expect(problems.find((p) => p.key === "colour")!.reason).to.contain("pageSize");
        expect(problems.find((p) => p.key === "server")!.reason).to.contain("connection.server");
        expect(checkSettings({ retries: 1.5 })[0].reason).to.contain("connection.retries must be a whole number");
    });

    it("a true/false setting takes true/yes/1 or false/no/0; another word is named, never read as false", () => {
        const read = (raw: string) => settingsFromConfig((k) => (k === "cuc:insecure" ? raw : undefined)).insecure;
        for (const raw of ["true", "Yes", "1"]) expect(read(raw), raw).to.equal(true);
        for (const raw of ["false", "NO", "0"]) expect(read(raw), raw).to.equal(false);
        const problems = checkSettings({ insecure: read("maybe") }, undefined, (k) => `cuc:${k}`);
        expect(problems.map((p) => p.reason)).to.deep.equal(['cuc:insecure must be a boolean, got "maybe"']);
    });

    it("a stack configuration key that is not a setting is named with the closest setting and the list", () => {
        expect(unknownSettings(names)).to.equal(undefined);
        const suggested = (key: string) => /did you mean cuc:(\w+)\?/.exec(unknownSettings([key]) ?? "")?.[1];
        for (const [key, meant] of [["serverr", "server"], ["Server", "server"], ["pasword", "password"], ["user", "username"], ["timeout", "timeoutMs"], ["cacert", "caCert"], ["maxConcurent", "maxConcurrent"]]) {
            expect(suggested(key), key).to.equal(meant);
        }
        expect(suggested("colour"), "nothing close").to.equal(undefined);
        const message = unknownSettings(["server", "serverr", "colour"])!;
        expect(message).to.match(/^cuc:serverr is not a setting of this provider \(did you mean cuc:server\?\); cuc:colour is not a setting of this provider; the settings are cuc:server, cuc:username, /);
        expect(message).to.contain(names.map((n) => `cuc:${n}`).join(", "));
    });

    it("a server value carrying credentials is never quoted with them, whatever else is wrong with it", () => {
        const secret = "Server-Url-Secret-9";
        const values = [`https://admin:${secret}@cuc example.com`, `admin:${secret}@cuc:99999`, `https://admin:${secret}@cuc.example.com`, `admin:${secret}@cuc`,
            `ftp://admin:${secret}@cuc`, `https://admin:${secret}/x@cuc example.com`, `https://admin:p@${secret}@cuc example.com`];
        for (const server of values) {
            const messages: string[] = [];
            const capture = (fn: () => unknown) => {
                try {
                    fn();
                    messages.push("no error");
                } catch (e) {
                    messages.push((e as Error).message);
                }
            };
            // The stack configuration (both hosts), a resource's connection, and CUC_SERVER.
            capture(() => resolveSettings({ server, username: "admin", password: "x" }, {}));
            capture(() => resolveSettings({ username: "admin", password: "x" }, { CUC_SERVER: server }));
            messages.push(...checkSettings({ server }).map((p) => p.reason));
            expect(messages.length, server).to.equal(3);
            for (const m of messages) {
                expect(m, server).to.match(/cuc:server|connection\.server/);
                expect(m, server).not.to.contain(secret).and.not.to.contain("admin:");
            }
        }
        // What is quoted keeps the rest, to show what is wrong with it.
        expect(() => resolveSettings({ server: `https://admin:${secret}@cuc example.com`, username: "a", password: "b" }, {})).to.throw("'https://***@cuc example.com' is not a host name");
    });

    it("precedence: connection over cuc:* over CUC_*, key by key", () => {
        const env = { CUC_SERVER: "env-host", CUC_USERNAME: "env-user", CUC_PASSWORD: "env-pass", CUC_RETRIES: "1" };
        const stack = settingsFromConfig((k) => ({ "cuc:username": "stack-user", "cuc:retries": "2" })[k]);
        const r = resolveSettings(mergeSettings(stack, { retries: 3 }), env);
        expect(r).to.include({ origin: "https://env-host", username: "stack-user", password: "env-pass", retries: 3 });
    });

    describe("everything else follows the table", () => {
        it("resolveSettings returns every setting by its name (server as origin, caCert as ca)", () => {
            const resolved = resolveSettings(all, {});
            const expectedKeys: string[] = [...names.filter((n) => n !== "server" && n !== "caCert"), "origin", "ca"];
            expect(Object.keys(resolved).sort()).to.deep.equal(expectedKeys.sort());
            for (const name of names) expect(resolvedValue(resolved, name), name).to.deep.equal(expected(name));
        });

        for (const name of names) {
            const s = SETTINGS[name] as { type: string; env: string; default?: unknown };
            const flag = settingFlag(name);
            it(`cuc-import takes ${name} as --${flag}, and its usage names the flag and ${s.env}`, () => {
                const args = s.type === "boolean" ? [sample(name) ? `--${flag}` : `--no-${flag}`] : [`--${flag}=${raw(sample(name))}`]; // = keeps a PEM (leading dashes) a value
                const { settings } = readCommandLine(args);
                expect(settings, args.join(" ")).to.deep.equal({ [name]: sample(name) });
                expect(resolvedValue(resolveSettings({ ...all, ...settings }, {}), name)).to.deep.equal(expected(name));
                const line = USAGE.split("\n").findIndex((l) => l.trimStart().startsWith(s.type === "boolean" ? `--[no-]${flag}` : `--${flag} `));
                expect(line, `--${flag} in the usage`).to.be.greaterThan(-1);
                expect(USAGE.split("\n").slice(line, line + 6).join(" ").replace(/\s+/g, " ")).to.contain(s.env);
            });
        }

        it("a true/false flag and its --no- form together are refused", () => {
            const booleans = names.filter((n) => SETTINGS[n].type === "boolean");
            expect(booleans).not.to.deep.equal([]);
            for (const n of booleans) expect(() => readCommandLine([`--${settingFlag(n)}`, `--no-${settingFlag(n)}`]), n).to.throw(/contradict/);
        });

        it("the native Provider's inputs: exactly the secret settings are secrets, every value kept", async () => {
            const inputs = providerInputs(all);
            const secret: string[] = [];
            for (const name of names) {
                const v = inputs[name];
                if (!pulumi.Output.isInstance(v)) {
                    expect(v, name).to.deep.equal(all[name]);
                    continue;
                }
                if (await pulumi.isSecret(v)) secret.push(name);
                expect(await new Promise((resolve) => v.apply(resolve)), name).to.deep.equal(all[name]);
            }
            expect(secret).to.deep.equal(names.filter((n) => (SETTINGS[n] as { secret?: boolean }).secret));
            expect(secret, "the table has a secret setting").not.to.deep.equal([]);
        });
    });
});
