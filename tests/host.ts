/**
 * Drives Pulumi's own dynamic-provider host (`@pulumi/pulumi/cmd/dynamic-provider`) over gRPC
 * exactly as the engine does: Configure, then Check / Diff / Create / Read / Update / Delete with
 * the provider serialized the way `pulumi.dynamic.Resource` serializes it (`__provider`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import { shim } from "../provider/hosts/dynamic/shim";

/* eslint-disable @typescript-eslint/no-require-imports */
const structproto = require("google-protobuf/google/protobuf/struct_pb");
const provproto = require("@pulumi/pulumi/proto/provider_pb");
const provrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
const statusproto = require("@pulumi/pulumi/proto/status_pb");
/* eslint-enable @typescript-eslint/no-require-imports */

export type Props = Record<string, unknown>;

const serialized = new Map<string, Promise<string>>();
/** The `__provider` value pulumi.dynamic.Resource would store for this kind. */
export function serializedProvider(kind: string): Promise<string> {
    let p = serialized.get(kind);
    if (!p) {
        const provider = shim(kind);
        p = pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((sf) => sf.text);
        serialized.set(kind, p);
    }
    return p;
}

const struct = (v: Props) => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(v))); // drops undefined, as the engine does
const urn = (kind: string, name: string) => `urn:pulumi:test::pulumi-cuc::pulumi-nodejs:dynamic/cuc:${kind}::${name}`;

export class Host {
    /** Everything the host wrote to stdout and stderr (for secret scans). */
    readonly output: string[] = [];
    private constructor(private readonly child: ChildProcess, private readonly client: grpc.Client & Record<string, Function>) {}

    static async start(env: NodeJS.ProcessEnv = {}): Promise<Host> {
        const entry = require.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
        const child = spawn(process.execPath, [entry, "127.0.0.1:1"], {
            cwd: path.resolve(__dirname, "..", ".."),
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        const output: string[] = [];
        child.stderr!.on("data", (c: Buffer) => output.push(c.toString()));
        const port = await new Promise<string>((resolve, reject) => {
            const rl = readline.createInterface({ input: child.stdout! });
            rl.once("line", (line) => {
                rl.on("line", (l) => output.push(l));
                resolve(line.trim());
            });
            child.once("exit", (code) => reject(new Error(`dynamic-provider host exited with ${code}: ${output.join("")}`)));
        });
        const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const host = new Host(child, client);
        host.output.push(...output);
        child.stderr!.removeAllListeners("data");
        child.stderr!.on("data", (c: Buffer) => host.output.push(c.toString()));
        return host;
    }

    private call<T>(method: string, req: unknown): Promise<T> {
        return new Promise((resolve, reject) => {
            this.client[method](req, (err: grpc.ServiceError | null, res: T) => (err ? reject(hostError(err)) : resolve(res)));
        });
    }

    async configure(config: Record<string, string>): Promise<void> {
        const req = new provproto.ConfigureRequest();
        req.setArgs(struct(config));
        await this.call("configure", req);
    }

    private async withProvider(kind: string, props: Props): Promise<Props> {
        return { __provider: await serializedProvider(kind), ...props };
    }

    async check(kind: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }> {
        const req = new provproto.CheckRequest();
        req.setUrn(urn(kind, "r"));
        req.setOlds(struct(Object.keys(olds).length ? await this.withProvider(kind, olds) : {}));
        req.setNews(struct(await this.withProvider(kind, news)));
        const res = await this.call<{ getInputs(): { toJavaScript(): Props }; getFailuresList(): { getProperty(): string; getReason(): string }[] }>("check", req);
        const inputs = res.getInputs().toJavaScript();
        delete inputs.__provider;
        return { inputs, failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })) };
    }

    async diff(kind: string, id: string, olds: Props, news: Props): Promise<{ changes: "none" | "some" | "unknown"; replaces: string[]; deleteBeforeReplace: boolean }> {
        const req = new provproto.DiffRequest();
        req.setId(id);
        req.setUrn(urn(kind, "r"));
        req.setOlds(struct(await this.withProvider(kind, olds)));
        req.setNews(struct(await this.withProvider(kind, news)));
        const res = await this.call<{ getChanges(): number; getReplacesList(): string[]; getDeletebeforereplace(): boolean }>("diff", req);
        const changes = ({ 0: "unknown", 1: "none", 2: "some" } as const)[res.getChanges() as 0 | 1 | 2];
        return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
    }

    async create(kind: string, inputs: Props): Promise<{ id: string; outs: Props }> {
        const req = new provproto.CreateRequest();
        req.setUrn(urn(kind, "r"));
        req.setProperties(struct(await this.withProvider(kind, inputs)));
        const res = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props } }>("create", req);
        return { id: res.getId(), outs: strip(res.getProperties().toJavaScript()) };
    }

    async read(kind: string, id: string, props: Props): Promise<{ id: string; outs: Props; inputs: Props }> {
        const req = new provproto.ReadRequest();
        req.setId(id);
        req.setUrn(urn(kind, "r"));
        req.setProperties(struct(await this.withProvider(kind, props)));
        const res = await this.call<{ getId(): string; getProperties(): { toJavaScript(): Props } | undefined; getInputs(): { toJavaScript(): Props } | undefined }>("read", req);
        return { id: res.getId(), outs: strip(res.getProperties()?.toJavaScript() ?? {}), inputs: strip(res.getInputs()?.toJavaScript() ?? {}) };
    }

    async update(kind: string, id: string, olds: Props, news: Props): Promise<Props> {
        const req = new provproto.UpdateRequest();
        req.setId(id);
        req.setUrn(urn(kind, "r"));
        req.setOlds(struct(await this.withProvider(kind, olds)));
        req.setNews(struct(await this.withProvider(kind, news)));
        const res = await this.call<{ getProperties(): { toJavaScript(): Props } }>("update", req);
        return strip(res.getProperties().toJavaScript());
    }

    async delete(kind: string, id: string, props: Props): Promise<void> {
        const req = new provproto.DeleteRequest();
        req.setId(id);
        req.setUrn(urn(kind, "r"));
        req.setProperties(struct(await this.withProvider(kind, props)));
        await this.call("delete", req);
    }

    async close(): Promise<void> {
        this.client.close();
        const exited = new Promise((r) => this.child.once("exit", r));
        this.child.kill("SIGTERM");
        await exited;
    }
}

/** A create that made the object but failed after: the error carries its id and outputs. */
export interface InitFailed extends Error {
    id?: string;
    properties?: Props;
}

/** The gRPC error as the engine reads it, including ErrorResourceInitFailed details. */
function hostError(err: grpc.ServiceError): InitFailed {
    const e: InitFailed = new Error(err.details || err.message);
    const bin = err.metadata?.get("grpc-status-details-bin")?.[0];
    if (bin) {
        const status = statusproto.Status.deserializeBinary(bin as Buffer);
        for (const any of status.getDetailsList()) {
            if (!String(any.getTypeUrl()).endsWith("pulumirpc.ErrorResourceInitFailed")) continue;
            const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
            e.id = detail.getId();
            e.properties = strip(detail.getProperties()?.toJavaScript() ?? {});
        }
    }
    return e;
}

function strip(p: Props): Props {
    const { __provider: _ignored, ...rest } = p;
    return rest;
}
