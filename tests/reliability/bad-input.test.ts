/**
 * Bad input: each invalid program yields a `check` failure that names the input and the fix,
 * through the dynamic-provider host, and no request reaches the server.
 */
import { expect } from "chai";
import type { Simulator } from "../../simulator";
import { sim } from "../helpers";
import { Host, type Props } from "../host";

const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";
const PG = "035853ce-f4e6-4de2-bda2-84acf827a555";
const o365 = { serverType: 5, serviceAlias: "a", servicePassword: "p", server: "s" };
const exchange = { serverType: 4, serviceAlias: "a", servicePassword: "p", server: "s", authenticationMode: 1, exchServerType: 1, securityTransportType: 1 };
const meeting = { serverType: 1, serviceAlias: "a", servicePassword: "p", server: "s", transferExtensionDialString: "1" };
const join = { remoteServer: "b", remoteUsername: "u", remotePassword: "p" };
const axl = { phoneSystemId: PS, hostOrIpAddress: "cucm" };

/** [kind, olds, news, the input the failure must name, what the reason must say] */
const CASES: [string, Props, Props, string, RegExp][] = [
    // wrong types
    ["PhoneSystem", {}, { mwiForceOff: "yes" }, "mwiForceOff", /must be true or false.*CUPI field MwiForceOff/],
    ["PhoneSystem", {}, { defaultTrapSwitch: 1 }, "defaultTrapSwitch", /true or false/],
    ["PhoneSystem", {}, { displayName: 42 }, "displayName", /must be a string/],
    ["PhoneSystem", {}, { callLoopGuardTimeMs: 2.5 }, "callLoopGuardTimeMs", /whole number/],
    ["AxlServer", {}, { ...axl, port: "8443" }, "port", /whole number/],
    ["ExternalService", {}, { ...o365, isEnabled: "true" }, "isEnabled", /true or false/],
    ["HttpsLink", {}, { ...join, acceptCertificateErrors: "no" }, "acceptCertificateErrors", /true or false/],
    ["PortGroupMwi", {}, { portGroupId: PG, restoreOnDelete: "no" }, "restoreOnDelete", /true or false/],
    ["PhoneSystem", {}, { connection: "cuc-b" }, "connection", /must be an object/],
    ["PhoneSystem", {}, { connection: { server: "b", insecure: "yes" } }, "connection.insecure", /must be a boolean/],
    // bad enums and ranges
    ["ExternalService", {}, { ...o365, serverType: 7 }, "serverType", /one of 1 \(MeetingPlace\), 4 \(Exchange\/BPOS-D\), 5 \(Office 365\)/],
    ["ExternalService", {}, { ...o365, serverType: "Lotus Notes" }, "serverType", /one of/],
    ["ExternalService", {}, { ...exchange, authenticationMode: 9 }, "authenticationMode", /one of 1 \(Basic\), 2 \(Digest\), 3 \(NTLM\), 4 \(OAuth2\)/],
    ["ExternalService", {}, { ...exchange, securityTransportType: 2 }, "securityTransportType", /one of 0 \(HTTP\), 1 \(HTTPS\)/],
    ["ExternalService", {}, { ...exchange, exchServerType: 5 }, "exchServerType", /one of 0/],
    ["ExternalService", {}, { ...exchange, mailboxSynchFaxAction: 7 }, "mailboxSynchFaxAction", /one of/],
    ["PhoneSystem", {}, { restrictDialStartTime: 2000 }, "restrictDialStartTime", /between 0 and 1439/],
    ["PhoneSystem", {}, { restrictDialEndTime: -1 }, "restrictDialEndTime", /between 0 and 1439/],
    ["AxlServer", {}, { ...axl, port: 70000 }, "port", /between 0 and 65535/],
    ["AxlServer", {}, { ...axl, tlsPort: -1 }, "tlsPort", /between 0 and 65535/],
    ["AxlServer", {}, { ...axl, precedence: 101 }, "precedence", /between 0 and 100/],
    ["PhoneSystem", {}, { callLoopDtmf: "Z" }, "callLoopDtmf", /"Z" is not valid: expected one DTMF digit: 0-9, A-D, \* or # \(CUPI field CallLoopDTMF\)/],
    ["PhoneSystem", {}, { callLoopDtmf: "AB" }, "callLoopDtmf", /"AB" is not valid: expected one DTMF digit: 0-9, A-D, \* or #/],
    ["PortGroupMwi", {}, { portGroupId: PG, mwiOnCode: "12x" }, "mwiOnCode", /not valid: expected a dial string of digits, \*, #, A-D and `,` \(a pause\), or empty/],
    ["ExternalService", {}, { ...meeting, transferExtensionDialString: "12a" }, "transferExtensionDialString", /not valid: expected digits, \* and # only/],
    // missing mandatory fields, per server type
    ["AxlServer", {}, { hostOrIpAddress: "cucm" }, "phoneSystemId", /required/],
    ["AxlServer", {}, { phoneSystemId: PS }, "hostOrIpAddress", /required/],
    ["AxlServer", {}, { ...axl, hostOrIpAddress: "" }, "hostOrIpAddress", /must not be empty/],
    ["ExternalService", {}, { serviceAlias: "a", servicePassword: "p", server: "s" }, "serverType", /required/],
    ["ExternalService", {}, { ...o365, serviceAlias: undefined }, "serviceAlias", /required/],
    ["ExternalService", {}, { ...o365, servicePassword: undefined }, "servicePassword", /required to create the unified messaging service.*config\.requireSecret.*leave servicePassword out/],
    ["ExternalService", {}, { ...o365, server: undefined }, "server", /required for Office 365/],
    ["ExternalService", {}, { ...exchange, authenticationMode: undefined }, "authenticationMode", /required for Exchange\/BPOS-D/],
    ["ExternalService", {}, { ...exchange, exchServerType: undefined }, "exchServerType", /required for Exchange\/BPOS-D/],
    ["ExternalService", {}, { ...exchange, securityTransportType: undefined }, "securityTransportType", /required for Exchange\/BPOS-D/],
    ["ExternalService", {}, { ...meeting, transferExtensionDialString: undefined }, "transferExtensionDialString", /required for MeetingPlace/],
    ["ExternalService", {}, { ...o365, transferExtensionDialString: "1" }, "transferExtensionDialString", /does not apply for Office 365/],
    ["HttpsLink", {}, { remoteUsername: "u", remotePassword: "p" }, "remoteServer", /required/],
    ["HttpsLink", {}, { remoteServer: "b", remotePassword: "p" }, "remoteUsername", /required/],
    ["PortGroupMwi", {}, { mwiOnCode: "1" }, "portGroupId", /required/],
    // cross-field and one-way rules
    ["HttpsLink", {}, { ...join, useSsl: false }, "useSsl", /must be true to join/],
    ["HttpsLink", { ...join, syncDistributionLists: true }, { ...join, syncDistributionLists: false }, "syncDistributionLists", /cannot be turned off once it is on/],
    ["AxlServer", {}, { ...axl, isPinSyncEnabled: true, precedence: 1 }, "isPinSyncEnabled", /only on the primary AXL server/],
    // malformed ids (adopt, references)
    ["PhoneSystem", {}, { adopt: "Main" }, "adopt", /not the id of an existing PhoneSystem: expected the object's ObjectId/],
    ["AxlServer", {}, { adopt: "05186ad4-572c-48d1-aaa6-ac22280c8702", hostOrIpAddress: "c" }, "adopt", /<phoneSystemId>\/<axlServerObjectId>/],
    ["AxlServer", {}, { adopt: `${PS}/5f3c84e3-8ab1-4fae-a051-bc1db938dae4`, phoneSystemId: "aa6d3f45-ccdf-4fa2-8170-e5c94b51813a", hostOrIpAddress: "c" }, "adopt", /names phone system/],
    ["PhoneSystem", {}, { adopt: PS, adoptMode: "force" }, "adoptMode", /"verify".*"overwrite"/],
    ["AxlServer", {}, { phoneSystemId: "PhoneSystem", hostOrIpAddress: "c" }, "phoneSystemId", /not a phone system ObjectId/],
    ["PortGroupMwi", {}, { portGroupId: "PhoneSystem-1" }, "portGroupId", /not an ObjectId/],
    ["ExternalService", {}, { ...o365, tenantObjectId: "tenant-a" }, "tenantObjectId", /not valid: expected an ObjectId \(a GUID like /],
    ["PhoneSystem", {}, { connection: { server: "ftp://cuc" } }, "connection.server", /https/],
    // oversized strings, control characters, text that was not UTF-8
    ["PhoneSystem", {}, { displayName: "x".repeat(65) }, "displayName", /65 characters long; CUPI accepts at most 64/],
    ["AxlServer", {}, { ...axl, ccmAxlUser: "u".repeat(65) }, "ccmAxlUser", /at most 64/],
    ["ExternalService", {}, { ...o365, serviceAlias: "a".repeat(256) }, "serviceAlias", /at most 255/],
    ["HttpsLink", {}, { ...join, remoteServer: `${"b".repeat(256)}` }, "remoteServer", /at most 255/],
    ["PortGroupMwi", {}, { portGroupId: PG, mwiOffCode: "1".repeat(41) }, "mwiOffCode", /at most 40/],
    ["PhoneSystem", {}, { displayName: "bad\u0007name" }, "displayName", /control characters/],
    ["HttpsLink", {}, { ...join, displayName: "site\u001bB" }, "displayName", /control characters/],
    ["PhoneSystem", {}, { displayName: "Z\uFFFDrich" }, "displayName", /not valid UTF-8/],
    // inputs that do not exist
    ["PhoneSystem", {}, { displayname: "x" }, "displayname", /did you mean 'displayName'/],
    ["PortGroupMwi", {}, { portGroupId: PG, mwiCode: "1" }, "mwiCode", /has no input 'mwiCode'/],
    ["PhoneSystem", {}, { connection: { server: "b", port: 1 } }, "connection.port", /no setting 'port'/],
];

describe("bad input", function () {
    this.timeout(60_000);
    let s: Simulator;
    let host: Host;
    before(async () => {
        s = await sim();
        host = await Host.start({ CUC_SERVER: "", CUC_USERNAME: "", CUC_PASSWORD: "" });
        await host.configure({ "cuc:server": s.url, "cuc:username": s.user, "cuc:password": s.password });
    });
    after(async () => {
        await host.close();
        await s.close();
    });

    it(`${CASES.length} invalid programs each fail check, naming the input, with no request sent`, async () => {
        expect(CASES.length).to.be.at.least(40);
        for (const [kind, olds, news, property, reason] of CASES) {
            const clean = Object.fromEntries(Object.entries(news).filter(([, v]) => v !== undefined));
            const r = await host.check(kind, olds, clean);
            const f = r.failures.find((x) => x.property === property);
            expect(f, `${kind} ${JSON.stringify(clean)} -> ${JSON.stringify(r.failures)}`).not.to.equal(undefined);
            expect(f!.reason, `${kind}.${property}`).to.match(reason);
        }
        expect(s.stats().requests, "check never talks to the server").to.equal(0);
    });
});
