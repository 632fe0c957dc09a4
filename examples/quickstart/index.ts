// Quickstart: a Cisco Unified CM phone system with its two AXL servers, an Office 365 unified
// messaging service, and the MWI codes of an existing port group.
//
// Point it at a Connection publisher (or let `npm start` run it against the simulator):
//   pulumi config set cuc:server cuc-pub.example.com
//   pulumi config set cuc:username admin
//   pulumi config set --secret cuc:password ...
//   pulumi config set --secret axlPassword ...  &&  pulumi config set --secret o365Password ...
import * as pulumi from "@pulumi/pulumi";
import * as cuc from "pulumi-cuc";

const config = new pulumi.Config();
const axlPassword = config.requireSecret("axlPassword");

const cucm = new cuc.PhoneSystem("cucm-cluster", {
    mwiAlwaysUpdate: true,
    callLoopGuardTimeMs: 3000,
});

const primary = new cuc.AxlServer("cucm-pub", {
    phoneSystemId: cucm.objectId,
    hostOrIpAddress: config.get("axlPrimary") ?? "cucm-pub.example.com",
    port: 8443,
    precedence: 0,
    ccmAxlUser: "axl-unity",
    ccmAxlPassword: axlPassword,
    isPinSyncEnabled: true,
});

const secondary = new cuc.AxlServer("cucm-sub", {
    phoneSystemId: cucm.objectId,
    hostOrIpAddress: config.get("axlSecondary") ?? "cucm-sub.example.com",
    port: 8443,
    precedence: 1,
    ccmAxlUser: "axl-unity",
    ccmAxlPassword: axlPassword,
});

const o365 = new cuc.ExternalService("office365", {
    serverType: "Office 365",
    server: "outlook.office365.com",
    serviceAlias: "svc-unity@example.onmicrosoft.com",
    servicePassword: config.requireSecret("o365Password"),
    exchDoAutodiscover: true,
    supportsCalendarCapability: true,
});

const portGroup = cuc.getPortGroupOutput({ displayName: config.get("portGroup") ?? "PhoneSystem-1" });
const mwi = new cuc.PortGroupMwi("mwi-codes", {
    portGroupId: portGroup.objectId,
    mwiOnCode: "*99",
    mwiOffCode: "#99",
});

export const phoneSystemId = cucm.objectId;
export const phoneSystemName = cucm.displayName;
export const axlServers = pulumi.all([primary.hostOrIpAddress, secondary.hostOrIpAddress]);
export const unifiedMessaging = o365.displayName;
export const portGroupMwi = pulumi.interpolate`${portGroup.displayName}: on ${mwi.mwiOnCode}, off ${mwi.mwiOffCode}`;
