// HTTPS networking between two Connection clusters, managed from one program: each site joins
// the other. Site A uses the stack's cuc:* configuration; site B has its own connection.
//
//   pulumi config set cuc:server cuc-a.example.com ... (site A)
//   pulumi config set siteB cuc-b.example.com
//   pulumi config set siteBUsername admin && pulumi config set --secret siteBPassword ...
//   pulumi config set --secret siteBCaCert "$(cat site-b-ca.pem)"   # or a path
import * as pulumi from "@pulumi/pulumi";
import * as cuc from "pulumi-cuc";

const config = new pulumi.Config();
const siteA = config.get("siteAName") ?? "cuc-a.example.com";
const siteB = {
    server: config.require("siteB"),
    username: config.require("siteBUsername"),
    password: config.requireSecret("siteBPassword"),
    caCert: config.get("siteBCaCert"),
};
const siteBHost = config.get("siteBName") ?? "cuc-b.example.com";

// On site A: join site B (autojoin contacts B with B's administrator).
const aToB = new cuc.HttpsLink("a-to-b", {
    remoteServer: siteBHost,
    remoteUsername: siteB.username,
    remotePassword: siteB.password,
    acceptSelfSignedCertificates: true,
    displayName: "Site B",
    syncDistributionLists: true,
});

// On site B: join site A.
const bToA = new cuc.HttpsLink("b-to-a", {
    remoteServer: siteA,
    remoteUsername: config.require("siteAUsername"),
    remotePassword: config.requireSecret("siteAPassword"),
    acceptSelfSignedCertificates: true,
    displayName: "Site A",
    connection: siteB,
});

export const links = pulumi.all([aToB.baseFeedUrl, bToA.baseFeedUrl]);
