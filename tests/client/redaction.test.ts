/**
 * Redaction (provider/client/cupi-error.ts `redact`), as it claims: every registered secret
 * masked every time it appears, a secret inside another masked whole, its URL-encoded, XML and
 * JSON forms, Basic credentials and session cookies; then through the client over real HTTP, against a server that
 * echoes everything it was sent back in its error.
 */
import { expect } from "chai";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { CupiClient, CupiError, redact, registerSecret, resolveSettings } from "../../provider/client";
import { specs } from "../../provider";

const PS = "05186ad4-572c-48d1-aaa6-ac22280c8702";

describe("redaction", () => {
    describe("redact", () => {
        it("masks a registered secret every time it appears", () => {
            registerSecret("Twice-Secret-51");
            expect(redact("a Twice-Secret-51 b Twice-Secret-51 c Twice-Secret-51")).to.equal("a *** b *** c ***");
            expect(new CupiError({ kind: "validation", message: "Twice-Secret-51 != Twice-Secret-51" }).message).to.equal("*** != ***");
        });

        it("masks a secret that contains another whole, whichever was registered first", () => {
            registerSecret("Inner-Pass-52");
            registerSecret("Outer-Inner-Pass-52-x");
            expect(redact("Outer-Inner-Pass-52-x / Inner-Pass-52 / Outer-Inner-Pass-52-x")).to.equal("*** / *** / ***");
            registerSecret("Big-Sub-Secret-53-y");
            registerSecret("Sub-Secret-53");
            expect(redact("Big-Sub-Secret-53-y, Sub-Secret-53")).to.equal("***, ***");
        });

        it("masks a secret's URL-encoded form, every time", () => {
            registerSecret("P@ss w/rd&54");
            expect(redact("user=admin&password=P%40ss%20w%2Frd%2654&again=P%40ss%20w%2Frd%2654 P@ss w/rd&54")).to.equal("user=admin&password=***&again=*** ***");
        });

        it("masks a secret as an XML or a JSON body writes it, every time", () => {
            registerSecret(`<"Quote's"&54b>`);
            expect(redact("<P>&lt;&quot;Quote&apos;s&quot;&amp;54b&gt;</P><P>&lt;&quot;Quote&apos;s&quot;&amp;54b&gt;</P>")).to.equal("<P>***</P><P>***</P>");
            expect(redact('{"p":"<\\"Quote\'s\\"&54b>","q":"<\\"Quote\'s\\"&54b>"}')).to.equal('{"p":"***","q":"***"}');
        });

        it("takes a secret's characters literally (no pattern matching)", () => {
            registerSecret("a.b*c+(55)?");
            expect(redact("xa.b*c+(55)?y and aXbbbc+55 and a.b*c+(55)?")).to.equal("x***y and aXbbbc+55 and ***");
        });

        it("masks Basic credentials as a header, in JSON and in any case, every time", () => {
            const b64 = Buffer.from("admin:Never-Registered-56").toString("base64");
            expect(redact(`Authorization: Basic ${b64}, {"authorization":"Basic ${b64}"} AUTHORIZATION: basic ${b64}`))
                .to.equal('Authorization: Basic ***, {"authorization":"Basic ***"} AUTHORIZATION: basic ***');
        });

        it("masks every session cookie, every time", () => {
            expect(redact("Cookie: JSESSIONID=A1B2; JSESSIONIDSSO=C3D4; REQUEST_TOKEN_KEY=5566 then JSESSIONID=E7F8,"))
                .to.equal("Cookie: JSESSIONID=***; JSESSIONIDSSO=***; REQUEST_TOKEN_KEY=*** then JSESSIONID=***,");
        });
    });

    for (const format of ["xml", "json"] as const) {
        it(`the client's errors (${format}): a server that echoes the request back (credentials, cookies, secret fields) shows none of it`, async () => {
            const user = "admin";
            // Characters that URL-encoding, XML and JSON each write differently.
            const password = `Echo "P@ss"/57&<${format}>`;
            const basic = Buffer.from(`${user}:${password}`).toString("base64");
            const axlPassword = `${password}-axl`; // the account's password is part of another secret
            const cookie = "0123456789ABCDEF0123456789ABCDEF";
            // Answers every request 400 with CUPI's error body, quoting what it was sent.
            const server = http.createServer((req, res) => {
                const chunks: Buffer[] = [];
                req.on("data", (c: Buffer) => chunks.push(c));
                req.on("end", () => {
                    const echo = [
                        `authorization: ${req.headers.authorization ?? ""}`,
                        `credentials ${basic} were given`,
                        `cookie: ${req.headers.cookie ?? "none"}`,
                        `body ${Buffer.concat(chunks).toString("utf8")}`,
                        `password ${password} and again ${password}`,
                        `encoded ${encodeURIComponent(password)} twice ${encodeURIComponent(password)}`,
                    ];
                    res.writeHead(400, { "Content-Type": "application/json", "Set-Cookie": `JSESSIONID=${cookie}; Path=/vmrest/` });
                    res.end(JSON.stringify({ errors: echo.map((message) => ({ code: "DATA_EXCEPTION", message })) }));
                });
            });
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
            const c = new CupiClient(resolveSettings({ server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, username: user, password, format, retries: 0 }, {}));
            try {
                await c.version().catch(() => undefined); // sets the session cookie
                const e = await c.create(specs.AxlServer, { MediaSwitchObjectId: PS, HostOrIPAddress: "cucm-pub", CcmAXLUser: "axl", CcmAXLPassword: axlPassword }, PS)
                    .then(() => expect.fail("the server answers 400"), (err: CupiError) => err);
                expect(e).to.be.instanceOf(CupiError);
                const text = `${e.message} ${JSON.stringify(e)} ${String(e.stack)}`;
                for (const leak of [password, encodeURIComponent(password), "P@ss", basic, cookie, "-axl"]) expect(text).not.to.contain(leak);
                // What is not secret is still there: the message is masked, not dropped.
                expect(e.message).to.contain("authorization: Basic ***").and.to.contain("credentials *** were given")
                    .and.to.contain(`cookie: JSESSIONID=***`).and.to.contain(format === "xml" ? "<CcmAXLPassword>***</CcmAXLPassword>" : '"CcmAXLPassword":"***"')
                    .and.to.contain("password *** and again ***").and.to.contain("encoded *** twice ***");
            } finally {
                c.close();
                server.close();
            }
        });
    }
});
