/**
 * Host fields (format "host": a DNS name, an IPv4 or an IPv6 address) refuse what is neither: a
 * mistyped IPv4 address is not a DNS name either, since RFC 1123 never lets a top-level label be
 * all-numeric. As a unit (the format and check), then through Pulumi's dynamic-provider host's
 * check, on every host field of every definition, before any request.
 */
import { expect } from "chai";
import { makeCheck } from "../../provider/engine/check";
import { RESOURCES } from "../../provider/resources";
import { FORMATS } from "../../provider/specs/types";
import { sim } from "../helpers";
import { Host } from "../host";
import { DATASET_CONTEXT, exampleInputs } from "./examples";

const CTX = DATASET_CONTEXT;
const PASSWORD = "Hosts-Pass-71";

/** Mistyped addresses: not an IPv4 address, and an all-numeric top label is no DNS name. */
const REFUSED = ["10.1.1.256", "10.1.1", "1.2.3.4.5", "999.1.1.1", "10.1.1.256.", "cucm.10", "123"];
/** A DNS name (one label, FQDN, a leading digit), an IPv4 and an IPv6 address. */
const ACCEPTED = ["10.1.1.1", "cucm-pub.example.com", "cucm1", "1cucm.example.com", "cucm-pub.example.com.", "2001:db8::1"];

/** Every field declared a host, with a valid program of its definition around it. */
const HOST_FIELDS = Object.values(RESOURCES).flatMap((def) => def.inputs.filter((f) => f.format === "host").map((f) => ({ def, f, program: exampleInputs(def, "minimal", CTX, "-host") })));

describe("host fields", () => {
    it("every field that takes a host says so (AXL server, unified messaging server, HTTPS link remote)", () => {
        expect(HOST_FIELDS.map(({ def, f }) => `${def.kind}.${f.name}`)).to.include.members(["AxlServer.hostOrIpAddress", "ExternalService.server", "HttpsLink.remoteServer"]);
    });

    it("the host format refuses mistyped IPv4 addresses and takes names and addresses", () => {
        for (const v of REFUSED) expect(FORMATS.host.test(v), v).to.equal(false);
        for (const v of ACCEPTED) expect(FORMATS.host.test(v), v).to.equal(true);
    });

    it("check names the field, the value and what it takes", () => {
        for (const { def, f, program } of HOST_FIELDS) {
            const check = makeCheck(def);
            expect(check({}, program).failures, `${def.kind} program`).to.deep.equal([]);
            for (const v of REFUSED) {
                const { failures } = check({}, { ...program, [f.name]: v });
                expect(failures, `${def.kind}.${f.name} = ${v}`).to.deep.equal([{
                    property: f.name,
                    reason: `${f.name} ${JSON.stringify(v)} is not ${FORMATS.host.expected} (CUPI field ${f.cupi})`,
                }]);
            }
            for (const v of ACCEPTED) expect(check({}, { ...program, [f.name]: v }).failures, `${def.kind}.${f.name} = ${v}`).to.deep.equal([]);
        }
    });

    it("through the dynamic-provider host's check: refused in every host field, naming the field and the fix, with no request", async function () {
        this.timeout(30_000);
        const s = await sim({ password: PASSWORD });
        const host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        try {
            await host.configure({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": PASSWORD });
            for (const { def, f, program } of HOST_FIELDS) {
                for (const v of REFUSED) {
                    const { failures } = await host.check(def.kind, {}, { ...program, [f.name]: v });
                    expect(failures.map((x) => x.property), `${def.kind}.${f.name} = ${v}`).to.deep.equal([f.name]);
                    expect(failures[0].reason).to.contain(f.name).and.to.contain(v).and.to.contain("an IPv4 address (10.1.1.10)").and.to.contain("a DNS host name");
                }
                for (const v of ACCEPTED) expect((await host.check(def.kind, {}, { ...program, [f.name]: v })).failures, `${def.kind}.${f.name} = ${v}`).to.deep.equal([]);
            }
            expect(s.stats().requests).to.equal(0);
        } finally {
            await host.close();
            await s.close();
        }
    });
});
