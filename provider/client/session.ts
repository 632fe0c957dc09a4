/**
 * Authentication: Basic credentials plus the session cookies CUC sets (JSESSIONID,
 * JSESSIONIDSSO, REQUEST_TOKEN_KEY), kept in a cookie jar per server and user so the server
 * need not re-validate the password on every request (REFERENCE.md §2).
 *
 * CUC locks an account after a few failed logins, so a refused login is remembered: once the
 * server has answered 401 to these credentials, every queued and later request of this client
 * fails at once with that answer, without being sent.
 */
import { CookieJar } from "tough-cookie";
import { CupiError, registerSecret } from "./cupi-error";
import { anotherCluster, configKey } from "./package";
import { pathOf, type CupiResponse, type Send } from "./transport";

export interface SessionOptions {
    origin: string;
    username: string;
    password: string;
    /** Also send Basic when a session cookie is held (default true, like Cisco's SDK). */
    sendBasicAlways: boolean;
}

export function withSession(next: Send, opts: SessionOptions): Send {
    const jar = new CookieJar();
    const basic = `Basic ${Buffer.from(`${opts.username}:${opts.password}`, "utf8").toString("base64")}`;
    registerSecret(basic.slice(6));

    /** The server's 401 to these credentials, once it has refused them. */
    let refused: CupiResponse | undefined;

    const once = async (req: Parameters<Send>[0], withBasic: boolean) => {
        const url = `${opts.origin}${req.path}`;
        const cookie = await jar.getCookieString(url);
        const headers = { ...req.headers };
        if (cookie) headers.Cookie = cookie;
        if (withBasic || !cookie) headers.Authorization = basic;
        const res = await next({ ...req, headers });
        const setCookie = res.headers["set-cookie"];
        for (const c of Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : []) {
            registerSecret(c.split(";")[0].split("=").slice(1).join("="));
            await jar.setCookie(c, url, { ignoreError: true });
        }
        const sentBasic = Boolean(headers.Authorization);
        // A 401 to a request that carried the credentials is final: retrying risks locking the account.
        if (res.status === 401 && sentBasic) refused ??= res;
        return { res, sentBasic, cookie };
    };

    const notSent = (req: Parameters<Send>[0]) =>
        new CupiError({
            kind: "auth",
            status: 401,
            method: req.method,
            path: pathOf(req),
            notSent: true,
            message: `not sent: ${opts.origin} already refused the password of '${opts.username}' in this run; ` +
                `check ${configKey("username")} / ${configKey("password")} (${anotherCluster()}); ` +
                    "CUC locks accounts after repeated failed logins, so nothing more is tried",
        });

    // While no session exists, the first request logs in and the others wait for its cookie,
    // so a burst of concurrent requests costs one credential validation, not one each; the same
    // when the session expires. (Claimed synchronously: an await before setting `login` would let
    // two requests race.)
    let established = false;
    let login: Promise<unknown> | undefined;
    const leadLogin = (req: Parameters<Send>[0], withBasic: boolean) => {
        const first = once(req, withBasic);
        // Never rejects: a failed login is the leader's error, and the waiters go on.
        login = first.then((r) => (established = r.res.status < 400), () => undefined).finally(() => (login = undefined));
        return first;
    };

    return async (req) => {
        if (refused) throw notSent(req);
        if (!established && !login) {
            const { res, sentBasic } = await leadLogin(req, opts.sendBasicAlways);
            return res.status === 401 && !sentBasic ? (await once(req, true)).res : res;
        }
        if (login) await login;
        if (refused) throw notSent(req);
        const sent = await once(req, opts.sendBasicAlways);
        if (sent.res.status !== 401 || sent.sentBasic) return sent.res;
        // A 401 to a cookie-only request: the session expired. The first request to meet it logs
        // in again; the others that sent the same cookie wait for that login and go on with its cookie.
        if (login) await login;
        else if (jar.getCookieStringSync(`${opts.origin}${req.path}`) === sent.cookie) {
            jar.removeAllCookiesSync();
            return (await leadLogin(req, true)).res;
        }
        if (refused) throw notSent(req);
        return (await once(req, opts.sendBasicAlways)).res;
    };
}
