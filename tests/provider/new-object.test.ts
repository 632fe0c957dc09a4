/**
 * Issue 18's done-criterion: a new sub-collection object under a parent that is no resource needs
 * only its spec, its definition and their index lines. This file declares a throwaway
 * PortGroupServer (a Cisco Unified CM server of a port group, `/vmrest/portgroups/{id}/portgroupservers`;
 * PortGroup is a spec but no resource), adds both with the functions the index lines call
 * (addSpec, addResource) and takes the object through what serves every object: the simulator's
 * routes, check and CRUD in Pulumi's dynamic-provider host, adoption, cuc-import's scan and render,
 * the package schema, the generated SDK and its page in docs/. Nothing outside this file names it.
 *
 * The host is a process of its own that loads the package by name, as a user's does: it preloads
 * this file (NODE_OPTIONS --require), which there runs only the declarations and the index lines.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { CupiClient, resolveSettings } from "../../provider/client";
import type { CupiRecord } from "../../provider/client/codec";
import { buildSchema, requiredOutputs, token } from "../../provider/hosts/native/schema";
import { render as renderProgram, scan } from "../../provider/import/importer";
import { addResource, requiredInputs, RESOURCES } from "../../provider/resources";
import { defineResource } from "../../provider/resources/types";
import { addSpec, SPECS } from "../../provider/specs";
import { creatableFields, defineObject, field, OBJECT_ID, URI } from "../../provider/specs/types";
import type { Simulator } from "../../simulator";
import { render, renderNative, renderReadme, renderTypes } from "../../scripts/gen-sdk";
import { docsDrift, INDEX_PAGE, readDocs, renderDocs, resourcePage } from "../../scripts/gen-docs";
import { raw, ROOT, sim } from "../helpers";
import { Host, type Props } from "../host";

const KIND = "PortGroupServer";
/** Set in the host's process: there this file only declares the object. */
const DECLARE_ONLY = "CUC_TEST_NEW_OBJECT_DECLARE_ONLY";

/** provider/specs/portgroupserver.ts, as a new object's field table would be written. */
const spec = () => defineObject({
    kind: KIND,
    path: "portgroups/{parent}/portgroupservers",
    parent: { kind: "PortGroup", field: "MediaPortGroupObjectId" },
    operations: ["list", "get", "create", "update", "delete"],
    element: "PortGroupServer",
    collection: "PortGroupServers",
    noun: "portgroupserver",
    fields: [
        OBJECT_ID,
        URI("/vmrest/portgroups/035853ce-f4e6-4de2-bda2-84acf827a555/portgroupservers/8e1f4a4e-2f6c-4b1a-9a43-0f6d5e7c2b11"),
        field("MediaPortGroupObjectId", "string", "rw", { doc: "ObjectId of the port group the server belongs to.", name: "portGroupId", createOnly: true, replace: true }),
        field("HostOrIPAddress", "string", "rw", {
            doc: "Host name or IP address of the Cisco Unified CM server.",
            mandatory: true, format: "host", maxLength: 255, queryable: true, example: "cucm-sub.example.com",
        }),
        field("Port", "integer", "rw", { default: 2000, min: 0, max: 65535, example: 2000, doc: "SCCP port of the server." }),
        field("Precedence", "integer", "rw", { default: 0, min: 0, max: 100, example: 1, doc: "Order in which the port group tries its servers; 0 first." }),
    ],
});

/** provider/resources/portgroupserver.ts: what the spec cannot know (the summary, how to name one). */
const definition = (s: ReturnType<typeof spec>) => defineResource({
    kind: KIND,
    summary: "A Cisco Unified CM server of a port group (CUPI `/vmrest/portgroups/{id}/portgroupservers`).",
    spec: s,
    inputs: creatableFields(s),
    recordName: (r) => String(r.HostOrIPAddress ?? r.ObjectId),
    import: { word: "portgroupservers", label: (r, parentLabel) => `${parentLabel} server ${String(r.HostOrIPAddress)}` },
});

/** The index lines (provider/specs/index.ts, provider/resources/index.ts); returns what takes them out again. */
function declare(): () => void {
    const s = spec();
    const removeSpec = addSpec(s);
    const removeResource = addResource(definition(s));
    return () => {
        removeResource();
        removeSpec();
    };
}

if (process.env[DECLARE_ONLY] === "1") declare();
else {
    describe("a new sub-collection object under a parent that is no resource (issue 18)", function () {
        this.timeout(60_000);
        const PASSWORD = "New-Object-Pass-18";
        let undeclare: () => void = () => undefined;
        let s: Simulator;
        let host: Host;
        let client: CupiClient;
        let groups: CupiRecord[];

        before(async () => {
            expect(SPECS[KIND], "declared by this test only").to.equal(undefined);
            undeclare = declare();
            s = await sim({ password: PASSWORD });
            host = await Host.start({
                CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "",
                [DECLARE_ONLY]: "1",
                NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --require ${JSON.stringify(__filename)}`.trim(),
            });
            await host.configure({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": PASSWORD });
            client = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORD }, {}));
            groups = await client.list(SPECS.PortGroup);
        });
        after(async () => {
            // Other suites loop over SPECS and RESOURCES: the throwaway object leaves with this one.
            undeclare();
            expect(host.output.join("")).not.to.contain(PASSWORD);
            client?.close();
            await host?.close();
            await s?.close();
        });

        it("derives its parent, id and required inputs from the spec", () => {
            const def = RESOURCES[KIND];
            expect(def.parent).to.deep.equal({ kind: "PortGroup", input: "portGroupId", phrase: "port group" });
            expect(RESOURCES.PortGroup, "the parent is no resource").to.equal(undefined);
            expect(def.phrase).to.equal("port group server");
            expect(def.idFormat).to.equal("`<portGroupId>/<portGroupServerObjectId>` (a port group server is addressed under its port group)");
            expect(requiredInputs(def)).to.deep.equal(["hostOrIpAddress"]);
            expect(def.outputs.map((o) => o.name)).to.deep.equal(["objectId", "uri", "portGroupId", "hostOrIpAddress", "port", "precedence", "cucServer"]);
        });

        it("is served by the simulator from its spec, under its parent only", async () => {
            const [a, b] = groups.map((g) => String(g.ObjectId));
            const list = await raw(s, "GET", `/vmrest/portgroups/${a}/portgroupservers`);
            expect(list.status, list.body).to.equal(200);
            expect(list.body).to.contain("<PortGroupServers total=\"0\"");
            const created = await raw(s, "POST", `/vmrest/portgroups/${a}/portgroupservers`, { body: "<PortGroupServer><HostOrIPAddress>10.1.1.5</HostOrIPAddress></PortGroupServer>" });
            expect(created.status, created.body).to.equal(201);
            const uri = created.body.trim();
            expect(uri).to.match(new RegExp(`^/vmrest/portgroups/${a}/portgroupservers/[0-9a-f-]{36}$`));
            const got = await raw(s, "GET", uri, { accept: "application/json" });
            expect(JSON.parse(got.body)).to.include({ URI: uri, MediaPortGroupObjectId: a, HostOrIPAddress: "10.1.1.5", Port: "2000", Precedence: "0" });
            expect((await raw(s, "GET", uri.replace(a, b))).status, "not under another port group").to.equal(404);
            const missing = await raw(s, "POST", "/vmrest/portgroups/00000000-0000-4000-8000-000000000000/portgroupservers", { body: "<PortGroupServer><HostOrIPAddress>h</HostOrIPAddress></PortGroupServer>" });
            expect(missing.status, "no such port group").to.equal(404);
            expect((await raw(s, "DELETE", uri)).status).to.equal(204);
        });

        it("check names the parent and the required inputs, and sends no request", async () => {
            const requests = s.stats().requests;
            const ok = await host.check(KIND, {}, { portGroupId: String(groups[0].ObjectId).toUpperCase(), hostOrIpAddress: "cucm-sub.example.com" });
            expect(ok.failures).to.deep.equal([]);
            expect(ok.inputs.portGroupId, "a parent ObjectId in lower case").to.equal(String(groups[0].ObjectId));
            const bad = await host.check(KIND, {}, { portGroupId: "PhoneSystem-1", port: 70000 });
            expect(bad.failures).to.deep.include.members([
                { property: "portGroupId", reason: "portGroupId 'PhoneSystem-1' is not a port group ObjectId (a GUID); pass its objectId" },
                { property: "hostOrIpAddress", reason: "hostOrIpAddress is required: Host name or IP address of the Cisco Unified CM server. (CUPI field HostOrIPAddress)" },
                { property: "port", reason: "port must be between 0 and 65535, got 70000 (CUPI field Port)" },
            ]);
            const orphan = await host.check(KIND, {}, { hostOrIpAddress: "cucm-sub" });
            expect(orphan.failures).to.deep.equal([{ property: "portGroupId", reason: "portGroupId is required: the ObjectId of the port group this PortGroupServer belongs to" }]);
            expect(s.stats().requests).to.equal(requests);
        });

        it("create, read, diff, update, replace and delete through the dynamic-provider host", async () => {
            const [a, b] = groups.map((g) => String(g.ObjectId));
            const program = { portGroupId: a, hostOrIpAddress: "cucm-sub.example.com", port: 2000 };
            const checked = await host.check(KIND, {}, program);
            const { id, outs } = await host.create(KIND, checked.inputs);
            const objectId = String(outs.objectId);
            expect(id).to.equal(`${a}/${objectId}`);
            expect(outs).to.include({ portGroupId: a, hostOrIpAddress: "cucm-sub.example.com", port: 2000, precedence: 0, cucServer: s.url });
            expect(await client.get(SPECS[KIND], objectId, a)).to.include({ HostOrIPAddress: "cucm-sub.example.com", MediaPortGroupObjectId: a });

            const refreshed = await host.read(KIND, id, outs);
            expect(refreshed.outs).to.deep.equal(outs);
            expect(await host.diff(KIND, id, refreshed.outs, (await host.check(KIND, refreshed.inputs, program)).inputs)).to.include({ changes: "none" });

            const news = (await host.check(KIND, outs, { ...program, precedence: 2 })).inputs;
            expect(await host.diff(KIND, id, outs, news)).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
            s.resetStats();
            const updated = await host.update(KIND, id, outs, news);
            expect(updated.precedence).to.equal(2);
            expect(s.stats().byMethod).to.deep.equal({ PUT: 1, GET: 1 });

            const moved = (await host.check(KIND, updated, { ...program, portGroupId: b })).inputs;
            expect((await host.diff(KIND, id, updated, moved)).replaces, "another port group is another object").to.deep.equal(["portGroupId"]);

            await host.delete(KIND, id, updated);
            expect((await host.read(KIND, id, updated)).id, "gone").to.equal("");
        });

        it("adopts an existing one by `<portGroupId>/<objectId>` with GETs only, and refuses one that differs", async () => {
            const a = String(groups[0].ObjectId);
            const [differs, same] = [
                await client.create(SPECS[KIND], { HostOrIPAddress: "10.9.9.8", Precedence: 3 }, a),
                await client.create(SPECS[KIND], { HostOrIPAddress: "10.9.9.9", Precedence: 3 }, a),
            ];
            try {
                s.resetStats();
                const refusedInputs = (await host.check(KIND, {}, { adopt: `${a}/${differs}`, hostOrIpAddress: "10.9.9.8", precedence: 4 })).inputs;
                const refused = await host.create(KIND, refusedInputs).then(() => "adopted", (e: Error) => e.message);
                expect(refused).to.contain(`adopt: ${KIND} 10.9.9.8 (${differs}) differs from the program in 1 field(s)`).and.to.contain("precedence: program 4, server 3");

                const checked = await host.check(KIND, {}, { adopt: `${a}/${same}`, hostOrIpAddress: "10.9.9.9", precedence: 3 });
                expect(checked.inputs.portGroupId, "the parent from the adopt id").to.equal(a);
                const adopted = await host.create(KIND, checked.inputs);
                expect(adopted.id).to.equal(`${a}/${same}`);
                expect(adopted.outs).to.include({ portGroupId: a, hostOrIpAddress: "10.9.9.9", precedence: 3 });
                expect(host.output.join("")).to.contain(`adopted ${KIND} 10.9.9.9 (${same})`);
                expect(Object.keys(s.stats().byMethod), "nothing written").to.deep.equal(["GET"]);
                await host.delete(KIND, adopted.id, adopted.outs);
            } finally {
                await client.delete(SPECS[KIND], differs, a);
            }
        });

        it("cuc-import scans it under every port group and writes it with its parent's ObjectId", async () => {
            const [a, b] = groups;
            const ids = [
                await client.create(SPECS[KIND], { HostOrIPAddress: "cucm-a.example.com", Port: 2000 }, String(a.ObjectId)),
                await client.create(SPECS[KIND], { HostOrIPAddress: "cucm-b.example.com", Precedence: 1 }, String(b.ObjectId)),
            ];
            try {
                const found = await scan(client);
                expect(found.get(KIND)?.map((x) => [String(x.record.ObjectId), x.parentId, x.parentName])).to.deep.equal([
                    [ids[0], a.ObjectId, a.DisplayName],
                    [ids[1], b.ObjectId, b.DisplayName],
                ]);
                const only = await scan(client, { kinds: ["portgroupservers"], filter: String(a.DisplayName) });
                expect(only.get(KIND)?.map((x) => String(x.record.ObjectId)), "the filter keeps the parent, its children go with it").to.deep.equal([ids[0]]);

                const generated = renderProgram(found);
                const index = generated.files["index.ts"];
                expect(index).to.contain(`new cuc.${KIND}("${String(a.DisplayName).toLowerCase()}-server-cucm-a-example-com", {\n` +
                    `    adopt: "${a.ObjectId}/${ids[0]}",\n` +
                    `    portGroupId: "${a.ObjectId}", // port group "${a.DisplayName}"\n` +
                    "    hostOrIpAddress: \"cucm-a.example.com\",\n    port: 2000,\n    precedence: 0,\n}, adopted);");
                expect(generated.counts[KIND]).to.equal(2);
                const imports = (JSON.parse(generated.files["import.json"]) as { resources: { type: string; id: string }[] }).resources;
                expect(imports.filter((r) => r.type === token(KIND)).map((r) => r.id)).to.deep.equal([`${a.ObjectId}/${ids[0]}`, `${b.ObjectId}/${ids[1]}`]);
            } finally {
                for (const [i, g] of [a, b].entries()) await client.delete(SPECS[KIND], ids[i], String(g.ObjectId));
            }
        });

        it("is in the package schema, with its parent's ObjectId a required output", () => {
            const schema = buildSchema("0.0.0") as { resources: Record<string, { required: string[]; requiredInputs: string[]; properties: Record<string, unknown>; inputProperties: Record<string, unknown> }>; types: Record<string, unknown> };
            const r = schema.resources[token(KIND)];
            expect(r, "a resource of the schema").to.not.equal(undefined);
            expect(Object.keys(r.properties)).to.deep.equal(RESOURCES[KIND].outputs.map((o) => o.name));
            expect(r.required).to.deep.equal(requiredOutputs(RESOURCES[KIND]));
            expect(r.required).to.include.members(["portGroupId", "objectId", "uri", "cucServer", "hostOrIpAddress"]);
            expect(r.requiredInputs).to.deep.equal(["hostOrIpAddress"]);
            expect(r.inputProperties.portGroupId).to.deep.include({ type: "string", replaceOnChanges: true });
            expect(schema.types).to.have.property(token(`${KIND}Info`));
        });

        it("gets its classes in both modes, its outputs declared once, from gen-sdk's render functions", () => {
            const types = renderTypes();
            expect(types).to.contain(`export interface ${KIND}Outputs {`);
            expect(types).to.contain("    readonly precedence: pulumi.Output<number>;");
            const dynamic = render();
            expect(dynamic).to.contain(`export interface ${KIND}Args {`);
            expect(dynamic).to.contain("    hostOrIpAddress: pulumi.Input<string>;").and.to.contain("    portGroupId?: pulumi.Input<string>;");
            expect(dynamic).to.contain(`export class ${KIND} extends CucResource {`).and.to.contain(`export interface ${KIND} extends ${KIND}Outputs {}`);
            const native = renderNative();
            expect(native).to.contain(`export class ${KIND} extends NativeResource {`).and.to.contain(`export interface ${KIND} extends types.${KIND}Outputs {}`);
            for (const text of [dynamic, native]) expect(text, "outputs are declared in types.ts only").not.to.contain("readonly precedence");
            // The committed SDK does not know it: it exists only while this test declares it.
            expect(fs.readFileSync(path.join(ROOT, "sdk", "generated", "resources.ts"), "utf8")).not.to.contain(KIND);
        });

        it("gets its page in docs/, and its line in the index and the README, from gen-docs' render functions", () => {
            const docs = renderDocs();
            const page = docs.get(resourcePage(KIND));
            expect(page, "a page of its own").to.be.a("string");
            expect(page).to.contain(`# ${KIND}\n\n${RESOURCES[KIND].summary}\n`).and.to.contain(`\`pulumi-nodejs:dynamic/cuc:${KIND}\``).and.to.contain(`\`cuc:index:${KIND}\``);
            expect(page).to.contain("| `hostOrIpAddress` | string | `HostOrIPAddress` | **required**; DNS name, IPv4 or IPv6 address; at most 255 characters | Host name or IP address of the Cisco Unified CM server. |");
            expect(page).to.contain("| `portGroupId` | string | `MediaPortGroupObjectId` | ObjectId of the [PortGroup](../functions/getPortGroups.md) it lives under; **replaces** |");
            expect(page).to.contain("| `port` | number | `Port` | 0 to 65535; server default `2000` | SCCP port of the server. |");
            // Its example: the parent, which no resource makes, looked up by its key's example value.
            expect(page).to.contain('const portGroup = cuc.getPortGroupOutput({ displayName: "PhoneSystem-1" });').and.to.contain("    portGroupId: portGroup.objectId,\n");
            expect(page).to.contain(`    type: cuc:index:${KIND}\n    properties:\n      portGroupId: \${portGroup.objectId}\n      hostOrIpAddress: "cucm-sub.example.com"\n`);
            expect(docs.get(INDEX_PAGE)).to.contain(`| [${KIND}](resources/${KIND}.md) | ${RESOURCES[KIND].summary} |`);
            const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
            expect(renderReadme(readme)).to.contain(`| [${KIND}](docs/resources/${KIND}.md) |`);
            // The committed docs do not know it: the docs test would name its page until gen runs.
            expect(docsDrift(readDocs(), docs)).to.deep.equal([`${resourcePage(KIND)} is missing`, `${INDEX_PAGE} is out of date`]);
        });
    });
}
