/**
 * Data sources against the simulator over real HTTP: every function, every filter, both the
 * plain and the Output variant, not-found and ambiguous single lookups, and 3,000 ports across
 * pages returned once each.
 */
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import * as cuc from "../../sdk";
import { closeClients } from "../../provider/client";
import { generateDataset, startSimulator, type Simulator } from "../../simulator";
import { raw, sim, xml } from "../helpers";

const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";
const PG = "035853ce-f4e6-4de2-bda2-84acf827a555";
const TENANT = "fe6541fb-b42c-44f2-8404-ded14cbf7438";

import { registered, value } from "./mocks";
import { ROOT } from "../helpers";
import * as path from "node:path";

describe("data sources", function () {
    this.timeout(30_000);
    let s: Simulator;
    let connection: cuc.DataConnection;

    before(async () => {
        s = await startSimulator({ seed: 5 }); // HTTPS, verified with the simulator's CA
        connection = { server: s.url, username: s.user, password: s.password, caCert: s.ca };
        const c = { body: "", contentType: "application/xml" };
        await raw(s, "POST", `/vmrest/phonesystems/${PS}/axlservers`, { ...c, body: xml("AXLServer", { HostOrIPAddress: "cucm-pub", Precedence: 0 }) });
        await raw(s, "POST", "/vmrest/phonesystems", { ...c, body: xml("PhoneSystem", { DisplayName: "Branch" }) });
        await raw(s, "POST", "/vmrest/phonesystems", { ...c, body: xml("PhoneSystem", { DisplayName: "branch-2" }) });
        await raw(s, "POST", "/vmrest/externalservices", { ...c, body: xml("ExternalService", { DisplayName: "O365", ServerType: 5, ServiceAlias: "svc", ServicePassword: "Svc-Data-Pass", Server: "outlook.office365.com", TenantObjectId: TENANT }) });
        await raw(s, "POST", "/vmrest/externalservices", { ...c, body: xml("ExternalService", { DisplayName: "MP", ServerType: 1, ServiceAlias: "svc", ServicePassword: "Svc-Data-Pass", Server: "mp", TransferExtensionDialString: "11" }) });
        const link = await raw(s, "POST", "/vmrest/httpslinks/operation/autojoin", { ...c, body: xml("HttpsLink", { RemoteServer: "cuc-b.example.com", RemoteUsername: "a", RemotePassword: "p" }) });
        const gone = await raw(s, "POST", "/vmrest/httpslinks/operation/autojoin", { ...c, body: xml("HttpsLink", { RemoteServer: "cuc-c.example.com", RemoteUsername: "a", RemotePassword: "p" }) });
        expect(link.status).to.equal(201);
        await raw(s, "DELETE", `/vmrest/httpslinks/operation/unjoin/${gone.body.split("/").pop()}`);
    });
    after(async () => {
        closeClients();
        await s.close();
    });

    it("getPortGroups: all, by phone system, by query, sorted; and the Output variant", async () => {
        expect((await cuc.getPortGroups({ connection })).portGroups.map((g) => g.displayName)).to.deep.equal(["PhoneSystem-1", "PhoneSystem-2"]);
        const byPs = await cuc.getPortGroups({ connection, phoneSystemId: PS, sort: { column: "displayName", direction: "desc" } });
        expect(byPs.portGroups.map((g) => g.displayName)).to.deep.equal(["PhoneSystem-2", "PhoneSystem-1"]);
        const sip = await cuc.getPortGroups({ connection, phoneSystemId: PS, query: { column: "DisplayName", op: "startswith", value: "PhoneSystem-2" } });
        expect(sip.portGroups).to.have.length(1);
        expect(sip.portGroups[0]).to.include({ telephonyIntegrationMethodEnum: 2, phoneSystemId: PS, portCount: 4, enableMwi: true });
        expect((await cuc.getPortGroups({ connection, phoneSystemId: "11111111-2222-4333-8444-555555555555" })).portGroups).to.deep.equal([]);
        const out = await value(cuc.getPortGroupsOutput({ connection: pulumi.output(connection), query: { column: "EnableMWI", value: true } }));
        expect(out.portGroups).to.have.length(2);
    });

    it("getPortGroup by id or display name; not found and ambiguous are errors", async () => {
        expect((await cuc.getPortGroup({ connection, displayName: "phonesystem-1" })).objectId).to.equal(PG);
        expect((await cuc.getPortGroup({ connection, objectId: PG })).displayName).to.equal("PhoneSystem-1");
        expect((await value(cuc.getPortGroupOutput({ connection, displayName: pulumi.output("PhoneSystem-2") }))).sipTlsModeEnum).to.equal(11);
        const missing = await cuc.getPortGroup({ connection, displayName: "Nope" }).catch((e: Error) => e);
        expect(String(missing)).to.contain("no PortGroup named 'Nope'");
        const both = await cuc.getPortGroup({ connection, displayName: "x", objectId: PG }).catch((e: Error) => e);
        expect(String(both)).to.contain("exactly one of objectId or displayName");
    });

    it("getPorts by port group, by phone system, by both, with query and sort; getPort", async () => {
        const byGroup = await cuc.getPorts({ connection, portGroupId: PG, sort: { column: "portNumInGroup", direction: "desc" } });
        expect(byGroup.ports.map((p) => p.portNumInGroup)).to.deep.equal([4, 3, 2, 1]);
        expect((await cuc.getPorts({ connection, phoneSystemId: PS })).ports).to.have.length(8);
        expect((await cuc.getPorts({ connection, phoneSystemId: PS, portGroupId: PG })).ports).to.have.length(4);
        const q = await cuc.getPorts({ connection, portGroupId: PG, query: { column: "displayName", op: "startswith", value: "PhoneSystem-1-00" } });
        expect(q.ports).to.have.length(4);
        const port = await cuc.getPort({ connection, displayName: "PhoneSystem-1-001" });
        expect(port).to.include({ skinnyDeviceName: "PhoneSystem1-VI1", portGroupId: PG, capMwi: true, vmsServerName: "cuc-install-55" });
        expect((await value(cuc.getPortsOutput({ connection, portGroupId: pulumi.output(PG) }))).ports).to.have.length(4);
        expect((await value(cuc.getPortOutput({ connection, objectId: port.objectId }))).displayName).to.equal("PhoneSystem-1-001");
    });

    it("getPhoneSystems / getPhoneSystem, associations and AXL servers", async () => {
        const all = await cuc.getPhoneSystems({ connection, sort: { column: "DisplayName", direction: "asc" } });
        expect(all.phoneSystems.map((p) => p.displayName)).to.deep.equal(["Branch", "branch-2", "PhoneSystem"]);
        expect((await cuc.getPhoneSystems({ connection, query: { column: "displayName", op: "startswith", value: "branch" } })).phoneSystems).to.have.length(2);
        expect((await cuc.getPhoneSystem({ connection, displayName: "PhoneSystem" })).portCount).to.equal(8);
        expect((await value(cuc.getPhoneSystemsOutput({ connection }))).phoneSystems).to.have.length(3);
        expect((await value(cuc.getPhoneSystemOutput({ connection, objectId: PS }))).defaultTrapSwitch).to.equal(true);
        const users = await cuc.getPhoneSystemAssociations({ connection, phoneSystemId: PS });
        expect(users.associations.map((u) => u.alias)).to.deep.equal(["undeliverablemessagesmailbox", "operator"]);
        expect((await value(cuc.getPhoneSystemAssociationsOutput({ connection, phoneSystemId: PS }))).associations).to.have.length(2);
        const axl = await cuc.getAxlServers({ connection, phoneSystemId: PS });
        expect(axl.axlServers.map((a) => a.hostOrIpAddress)).to.deep.equal(["cucm-pub"]);
        expect(axl.axlServers[0]).not.to.have.property("ccmAxlPassword");
        expect((await value(cuc.getAxlServersOutput({ connection, phoneSystemId: PS }))).axlServers).to.have.length(1);
    });

    it("an ambiguous display name is an error listing the candidates", async () => {
        const dup = await sim({ data: { PhoneSystem: [
            { ObjectId: "11111111-2222-4333-8444-555555555551", DisplayName: "Twin" },
            { ObjectId: "11111111-2222-4333-8444-555555555552", DisplayName: "twin" },
        ] } });
        try {
            const e = await cuc.getPhoneSystem({ connection: { server: dup.url, username: dup.user, password: dup.password }, displayName: "Twin" }).catch((x: Error) => x);
            expect(String(e)).to.contain("2 PhoneSystems are named 'Twin'").and.to.contain("555555555551").and.to.contain("by objectId");
        } finally {
            await dup.close();
        }
    });

    it("getExternalServices with and without a tenant; getTenants; getHttpsLinks without unjoined links", async () => {
        const tenants = await cuc.getTenants({ connection });
        expect(tenants.tenants.map((t) => t.objectId)).to.deep.equal([TENANT]);
        expect((await value(cuc.getTenantsOutput({ connection }))).tenants[0].smtpDomain).to.equal("tenant-a.example.com");
        expect((await cuc.getExternalServices({ connection })).externalServices.map((e) => e.displayName)).to.deep.equal(["O365", "MP"]);
        const byTenant = await cuc.getExternalServices({ connection, tenantObjectId: TENANT });
        expect(byTenant.externalServices.map((e) => e.serverType)).to.deep.equal([5]);
        expect(byTenant.externalServices[0]).not.to.have.property("servicePassword");
        expect((await value(cuc.getExternalServicesOutput({ connection, tenantObjectId: TENANT, query: { column: "DisplayName", value: "O365" } }))).externalServices).to.have.length(1);
        expect((await cuc.getHttpsLinks({ connection })).httpsLinks.map((l) => l.displayName)).to.deep.equal(["cuc-b"]);
        expect((await cuc.getHttpsLinks({ connection, includeDeleted: true })).httpsLinks).to.have.length(2);
        expect((await value(cuc.getHttpsLinksOutput({ connection }))).httpsLinks[0].baseFeedUrl).to.equal("https://cuc-b.example.com/feeder");
    });

    it("takes the connection from the stack configuration, then from CUC_* variables", async () => {
        pulumi.runtime.setAllConfig({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password, "cuc:caCert": s.ca! }, ["cuc:password"]);
        try {
            expect((await cuc.getTenants()).tenants).to.have.length(1);
        } finally {
            pulumi.runtime.setAllConfig({});
        }
        const saved = { ...process.env };
        Object.assign(process.env, { CUC_SERVER: s.url, CUC_USERNAME: s.user, CUC_PASSWORD: s.password, CUC_CA_CERT: s.certPath });
        try {
            expect((await cuc.getPhoneSystems()).phoneSystems).to.have.length(3);
        } finally {
            for (const k of ["CUC_SERVER", "CUC_USERNAME", "CUC_PASSWORD", "CUC_CA_CERT"]) {
                if (saved[k] === undefined) delete process.env[k];
                else process.env[k] = saved[k];
            }
        }
        const none = await cuc.getTenants().catch((e: Error) => e);
        expect(String(none)).to.contain("cuc:server (CUC_SERVER)");
    });

    it("an ...Output lookup without a server configured ends the program at the call, its first words the cause (not under the input it feeds)", async () => {
        const saved = process.env.CUC_SERVER;
        delete process.env.CUC_SERVER;
        pulumi.runtime.setAllConfig({ "cuc:username": "admin" });
        try {
            let thrown: unknown;
            try {
                cuc.getPortGroupOutput({ displayName: "PhoneSystem-1" });
            } catch (e) {
                thrown = e;
            }
            expect(pulumi.RunError.isInstance(thrown), "a RunError thrown at the call").to.equal(true);
            expect((thrown as Error).message).to.match(/^no Connection server configured: set cuc:server \(CUC_SERVER\)/);
            // A lookup given its own connection needs no server in the stack's configuration.
            expect((await value(cuc.getTenantsOutput({ connection }))).tenants).to.have.length(1);
            // A bad value is named at the call too.
            pulumi.runtime.setAllConfig({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password, "cuc:timeoutMs": "-1" }, ["cuc:password"]);
            expect(() => cuc.getTenantsOutput()).to.throw(/^cuc:timeoutMs \(CUC_TIMEOUT_MS\) must be a number >= 1/);
        } finally {
            pulumi.runtime.setAllConfig({});
            if (saved !== undefined) process.env.CUC_SERVER = saved;
        }
    });

    it("lists 3,000 ports across pages, each exactly once", async () => {
        const big = await sim({ data: generateDataset({ portGroupsPerSystem: 2, portsPerGroup: 1500 }) });
        try {
            const bigConnection = { server: big.url, username: big.user, password: big.password };
            const { ports } = await cuc.getPorts({ connection: bigConnection });
            expect(ports).to.have.length(3000);
            expect(new Set(ports.map((p) => p.objectId)).size).to.equal(3000);
            expect(big.stats().byRoute["GET /vmrest/ports"]).to.equal(6); // 500 a page
            const sorted = await cuc.getPorts({ connection: bigConnection, sort: { column: "DisplayName", direction: "desc" } });
            expect(sorted.ports[0].displayName).to.equal("PhoneSystem-2-999"); // CUPI sorts text
            expect(new Set(sorted.ports.map((p) => p.objectId)).size).to.equal(3000);
        } finally {
            await big.close();
        }
    });

    it("the port-groups example looks a port group up by name and patches its MWI codes", async () => {
        pulumi.runtime.setAllConfig({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password, "cuc:caCert": s.ca!, "pulumi-cuc:portGroup": "PhoneSystem-2" }, ["cuc:password"]);
        try {
            const file = path.join(ROOT, "dist", "examples", "port-groups", "index.js");
            delete require.cache[file];
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const program = require(file) as Record<string, pulumi.Output<unknown>>;
            expect(await value(program.portGroupId)).to.equal("0a244d93-db1a-48b6-8bea-3dd091544dd1");
            expect(await value(program.portNames)).to.deep.equal(["PhoneSystem-2-001", "PhoneSystem-2-002", "PhoneSystem-2-003", "PhoneSystem-2-004"]);
            const mwi = registered.find((r) => r.type === "pulumi-nodejs:dynamic/cuc:PortGroupMwi" && r.name === "mwi-codes")!;
            expect(mwi.inputs).to.include({ portGroupId: "0a244d93-db1a-48b6-8bea-3dd091544dd1", mwiOnCode: "*55", mwiOffCode: "#55" });
        } finally {
            pulumi.runtime.setAllConfig({});
        }
    });
});
