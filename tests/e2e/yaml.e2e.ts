/**
 * Pulumi YAML: examples/yaml/Pulumi.yaml through the CLI with the YAML language host, against
 * the simulator. No SDK of ours in between: the plugin alone (installed the Pulumi way) serves
 * resources, a provider function and auto-names taken from what the engine gives.
 */
import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { CupiClient, resolveSettings } from "../../provider/client";
import { AxlServer, CallHandler, DistributionList, DistributionListMember, ExternalService, MenuEntry, Partition, PhoneSystem, PortGroup, SearchSpace, User, UserPin, UserTemplate, type ObjectSpec } from "../../provider/specs";
import { startSimulator, type Simulator } from "../../simulator";
import { ROOT } from "../helpers";
import { UserWorkspace, type UserProject } from "./user-project";

const PASSWORDS = { admin: "Yaml-Admin-Pass-1", axl: "Yaml-Axl-Secret-2", o365: "Yaml-O365-Secret-3", defaultPin: "3905718264", existingPin: "4827160395" };

describe("Pulumi YAML (runtime: yaml) through the plugin", function () {
    this.timeout(600_000);
    let ws: UserWorkspace;
    let s: Simulator;
    let client: CupiClient;
    let p: UserProject;
    const secrets = { axlPassword: PASSWORDS.axl, o365Password: PASSWORDS.o365, defaultPin: PASSWORDS.defaultPin };
    const sim = () => ({ url: s.url, user: s.user, password: PASSWORDS.admin, certPath: s.certPath });

    before(async function () {
        this.timeout(20 * 60_000);
        ws = new UserWorkspace();
        await ws.init(["yaml"]);
        s = await startSimulator({ password: PASSWORDS.admin, seed: 93 });
        client = new CupiClient(resolveSettings({ server: s.url, username: s.user, password: PASSWORDS.admin, caCert: s.ca }, {}));
        // A YAML user gets the plugin from the npm package, installed anywhere.
        const source = ws.project("plugin-source", "export {};\n");
        await source.installPlugin();
        p = ws.yamlProject("cuc-yaml", fs.readFileSync(path.join(ROOT, "examples", "yaml", "Pulumi.yaml"), "utf8"));
    });
    after(async () => {
        client?.close();
        expect(ws.secretLeaks(Object.values(PASSWORDS))).to.deep.equal([]);
        await s?.close();
        ws?.dispose();
    });

    it("preview, up (provider functions feed resources), a preview with no changes", async () => {
        await p.stack(sim(), secrets);
        expect(await p.previewChanges()).to.deep.equal({ create: 10 });
        s.resetStats();
        await p.ok("up", "--yes", "--skip-preview");
        // A phone system, an AXL server, a service; a partition, a search space and its 2 members, a template, a user, a list and its member.
        expect(s.stats().byMethod.POST).to.equal(11);
        const out = await p.outputs();
        // Auto-named by the provider from the engine's resource name and stack: no SDK sent hidden inputs.
        expect(out.phoneSystem).to.match(/^cucm-[0-9a-f]{7}$/);
        expect(out.portGroup).to.equal("PhoneSystem-1");
        const axl = await client.list(AxlServer, { parentId: String(out.phoneSystemId) });
        expect(axl.map((a) => a.HostOrIPAddress)).to.deep.equal(["cucm-pub.example.com"]);
        const groups = await client.list(PortGroup, { query: { column: "DisplayName", op: "is", value: "PhoneSystem-1" } });
        expect(groups[0].MwiOnCode).to.equal("*99");
        // The directory: the search order, the user made from the template (its partition and first PIN), the list.
        const defaultPartition = (await client.list(Partition, { query: { column: "Name", op: "is", value: "cuc-install-55 Partition" } }))[0].ObjectId;
        expect(out.searchOrder).to.deep.equal([out.partitionId, defaultPartition]);
        const user = await client.get(User, String(out.userId));
        expect(user).to.include({ Alias: "jdoe-dev", PartitionObjectId: out.partitionId, SearchByNameSearchSpaceObjectId: out.searchSpaceId });
        expect(s.store.snapshot().UserPin!.find((r) => r.UserObjectId === out.userId)?.Credentials, "the template's PIN").to.equal(PASSWORDS.defaultPin);
        expect((await client.list(DistributionListMember, { parentId: String(out.teamId) })).map((m) => m.MemberUserObjectId)).to.deep.equal([out.userId]);
        expect(await p.previewChanges()).to.deep.equal({});
        // The PIN is a secret: in the exported stack only as ciphertext.
        const exported = await p.ok("stack", "export");
        expect(exported).not.to.contain(PASSWORDS.defaultPin);
        const template = (JSON.parse(exported) as { deployment: { resources: { type: string; inputs?: Record<string, unknown> }[] } }).deployment.resources.find((r) => r.type === "cuc:index:UserTemplate")!;
        expect(template.inputs?.pin).to.have.property("ciphertext");
    });

    it("an in-place change shows in preview --diff and is one PUT; refresh finds drift", async () => {
        await p.ok("config", "set", "mwiAlwaysUpdate", "false", "--type", "bool");
        const diff = await p.ok("preview", "--diff");
        expect(diff).to.contain("~ cuc:index:PhoneSystem: (update)");
        expect(diff).to.match(/~ mwiAlwaysUpdate\s*: true => false/);
        s.resetStats();
        await p.ok("up", "--yes", "--skip-preview");
        expect(s.stats().byMethod.PUT).to.equal(1);
        const id = String((await p.outputs()).phoneSystemId);
        expect((await client.get(PhoneSystem, id)).MwiAlwaysUpdate).to.equal(false);
        await client.update(PhoneSystem, id, { MwiAlwaysUpdate: true });
        await p.ok("refresh", "--yes", "--skip-preview");
        expect(await p.previewChanges()).to.deep.equal({ update: 1 });
    });

    it("a second stack of the same program gets other auto-names: no collision on CUC's unique names", async () => {
        const first = String((await p.outputs()).phoneSystem);
        await p.stack(sim(), secrets, "second");
        await p.ok("up", "--yes", "--skip-preview");
        const second = String((await p.outputs()).phoneSystem);
        expect(second).to.match(/^cucm-[0-9a-f]{7}$/).and.not.equal(first);
        await p.ok("destroy", "--yes", "--skip-preview");
        await p.ok("stack", "select", "dev");
    });

    it("pulumi import writes YAML (Pulumi's own generator) without the password or the PIN it cannot read: no change; an empty password fails by name, nothing sent; a secret one is one update", async () => {
        const id = await client.create(ExternalService, { DisplayName: "Imported Exchange", ServerType: 4, Server: "mail.example.com", ServiceAlias: "corp\\svc", ServicePassword: "Svc-Existing-1", AuthenticationMode: 3, ExchServerType: 1, SecurityTransportType: 1 });
        const user = await client.create(User, { templateAlias: "voicemailusertemplate", Alias: "jsmith", DtmfAccessId: "6099", DisplayName: "John Smith" });
        await client.update(UserPin, "", { Credentials: PASSWORDS.existingPin }, user);
        const imp = ws.yamlProject("cuc-yaml-import", "name: cuc-yaml-import\nruntime: yaml\n");
        await imp.stack(sim());
        imp.write("import.json", JSON.stringify({ resources: [{ type: "cuc:index:ExternalService", name: "exchange", id }, { type: "cuc:index:User", name: "jsmith", id: user }] }));
        s.resetStats();
        await imp.ok("import", "--file", "import.json", "--yes", "--protect=false", "--out", "imported.yaml");
        expect(Object.keys(s.stats().byMethod)).to.deep.equal(["GET"]);
        const generated = imp.read("imported.yaml");
        expect(generated).to.match(/^ {4}type: cuc:(index:)?ExternalService$/m);
        expect(generated).to.contain("displayName: Imported Exchange");
        expect(generated).to.match(/^ {4}type: cuc:(index:)?User$/m);
        expect(generated).to.contain("alias: jsmith").and.to.contain("displayName: John Smith");
        // CUPI never returns the password or the PIN, and the schema requires them of no existing
        // object: not written; nor the template the user was made from (it shapes only a create).
        for (const field of ["servicePassword", "pin", "webPassword", "templateAlias"]) expect(generated, field).not.to.match(new RegExp(`^ +${field}:`, "m"));
        imp.write("Pulumi.yaml", `name: cuc-yaml-import\nruntime: yaml\n${generated}`);
        s.resetStats();
        expect(await imp.previewChanges(), "pasted as written").to.deep.equal({});
        expect(Object.keys(s.stats().byMethod).filter((m) => m !== "GET")).to.deep.equal([]);
        // An empty password is refused by name, with the YAML way to set it; nothing is sent.
        const withProperty = (value: string) => generated.replace(/^( +)serviceAlias: .*$/m, (line, indent: string) => `${line}\n${indent}servicePassword: ${value}`);
        imp.write("Pulumi.yaml", `name: cuc-yaml-import\nruntime: yaml\n${withProperty('""')}`);
        s.resetStats();
        const pasted = await imp.pulumi("preview");
        expect(pasted.code).to.not.equal(0);
        expect(pasted.stdout + pasted.stderr).to.contain("servicePassword is empty");
        expect(pasted.stdout + pasted.stderr).to.contain("pulumi config set --secret").and.to.contain("${servicePassword}");
        expect(s.stats().requests).to.equal(0);
        // Set from a config secret as the message says: one update (a password no read can compare).
        imp.write("Pulumi.yaml", `name: cuc-yaml-import\nruntime: yaml\nconfig:\n  svcPassword:\n    type: string\n    secret: true\n${withProperty("${svcPassword}")}`);
        await imp.ok("config", "set", "--secret", "svcPassword", PASSWORDS.o365);
        expect(await imp.previewChanges()).to.deep.equal({ update: 1 }); // the password, which no read can compare
        await imp.ok("destroy", "--yes", "--skip-preview");
    });

    it("examples/yaml-auto-attendant: schedules, holidays and a handler's keys; one key changed is one PUT; destroy leaves the server as it was", async () => {
        const before = JSON.stringify(s.store.snapshot());
        const aa = ws.yamlProject("cuc-yaml-auto-attendant", fs.readFileSync(path.join(ROOT, "examples", "yaml-auto-attendant", "Pulumi.yaml"), "utf8"));
        await aa.stack(sim());
        expect(await aa.previewChanges()).to.deep.equal({ create: 6 });
        s.resetStats();
        const first = await aa.ok("up", "--yes", "--skip-preview");
        expect(first, "no number taken for digits").not.to.contain("came as a number");
        const out = await aa.outputs();
        const key = (k: string) => client.get(MenuEntry, k, String(out.mainId));
        expect(await key("1")).to.include({ Action: 2, TargetConversation: "PHTransfer", TargetHandlerObjectId: out.salesId, Locked: false });
        expect(await key("0")).to.include({ TargetHandlerObjectId: out.operatorId, Locked: true });
        expect((await client.get(CallHandler, String(out.operatorId))).IsPrimary).to.equal(false);
        expect(await aa.previewChanges()).to.deep.equal({});
        await aa.ok("config", "set", "lockSalesKey", "true", "--type", "bool");
        s.resetStats();
        await aa.ok("up", "--yes", "--skip-preview");
        expect(Object.fromEntries(Object.entries(s.stats().byRoute).filter(([r]) => !r.startsWith("GET ")))).to.deep.equal({ "PUT /vmrest/handlers/callhandlers/{id}/menuentries/{id}": 1 });
        expect((await key("1")).Locked).to.equal(true);
        await aa.ok("destroy", "--yes", "--skip-preview");
        s.store.purgeUnjoined();
        expect(JSON.stringify(s.store.snapshot())).to.equal(before);
    });

    it("destroy deletes what the stack holds; the built-in template it looked up stays", async () => {
        const out = await p.outputs();
        await p.ok("destroy", "--yes", "--skip-preview");
        const gone = (spec: ObjectSpec, id: unknown) => client.get(spec, String(id)).then(() => "present", (e: { kind?: string }) => e.kind);
        const objects: [ObjectSpec, unknown][] = [[PhoneSystem, out.phoneSystemId], [Partition, out.partitionId], [SearchSpace, out.searchSpaceId], [UserTemplate, out.templateId], [User, out.userId], [DistributionList, out.teamId]];
        for (const [spec, id] of objects) expect(await gone(spec, id), spec.kind).to.equal("not-found");
        expect(await client.list(UserTemplate, { query: { column: "Alias", op: "is", value: "voicemailusertemplate" } })).to.have.length(1);
    });
});
