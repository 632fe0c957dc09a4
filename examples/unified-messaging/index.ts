// Unified messaging: one service of each server type CUPI knows (Exchange/BPOS-D, Office 365,
// MeetingPlace). The Exchange service belongs to a tenant found with getTenants.
//
//   pulumi config set --secret exchangePassword ...
//   pulumi config set --secret o365Password ...
//   pulumi config set --secret meetingPlacePassword ...
import * as pulumi from "@pulumi/pulumi";
import * as cuc from "pulumi-cuc";

const config = new pulumi.Config();

// Multi-tenant installs (10.5(2)+): the first tenant, or none on a single-tenant server.
const tenant = cuc.getTenantsOutput().tenants.apply((t) => (t.length ? t[0].objectId : undefined));

const exchange = new cuc.ExternalService("exchange", {
    displayName: "Exchange 2019",
    serverType: "Exchange/BPOS-D",
    server: "mail.example.com",
    authenticationMode: 3, // NTLM
    securityTransportType: 1, // HTTPS
    exchServerType: 1, // Exchange 2007 and later
    validateServerCertificate: true,
    serviceAlias: "EXAMPLE\\svc-unity",
    servicePassword: config.requireSecret("exchangePassword"),
    tenantObjectId: tenant as pulumi.Output<string>, // resolves to undefined (unset) without tenants
});

const office365 = new cuc.ExternalService("office365", {
    serverType: "Office 365",
    server: "outlook.office365.com",
    serviceAlias: "svc-unity@example.onmicrosoft.com",
    servicePassword: config.requireSecret("o365Password"),
    exchDoAutodiscover: true,
    supportsMailboxSynchCapability: true,
});

const meetingPlace = new cuc.ExternalService("meetingplace", {
    serverType: "MeetingPlace",
    server: "meetingplace.example.com",
    serviceAlias: "admin",
    servicePassword: config.requireSecret("meetingPlacePassword"),
    transferExtensionDialString: "5555",
});

export const services = pulumi.all([exchange.displayName, office365.displayName, meetingPlace.displayName]);
export const exchangeTenant = exchange.tenantObjectId;
