// Row "token guessing from one IP and from many": failed sign-ins are limited per IP (server/auth/
// failures.ts), so an hour of guessing from one address gets ~80 tries, on every authenticated
// route; many addresses each get their own ~80, which against 256-bit tokens changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { defaultConfig } from '../../server/config.js';
import { issueToken, startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../testing/server/app.js';
import { httpClient, type HttpClient } from '../../testing/server/http.js';

const clock = new ManualClock(Date.parse('2026-11-22T02:00:00Z'));
let t: TestApp;
let http: HttpClient;
let valid: string;
let n = 0;

const guess = () => `st_${(++n).toString(36).padStart(43, 'G')}`;
type Route = (auth: string, ip: string) => Promise<number>;
const ROUTES: Record<string, Route> = {
  'POST /api/sites/:id/reports': async (auth, ip) =>
    (
      await http.send({
        method: 'POST',
        path: '/api/sites/site-1/reports',
        headers: { authorization: `Bearer ${auth}`, 'content-type': 'application/json', 'x-forwarded-for': ip },
        body: JSON.stringify({ reportId: `guess-${++n}-xxxx`, queue: 1 }),
      })
    ).status,
  'GET /api/staff/me': async (auth, ip) =>
    (await http.send({ path: '/api/staff/me', headers: { authorization: `Bearer ${auth}`, 'x-forwarded-for': ip } }))
      .status,
  'GET /api/admin/staff-tokens': async (auth, ip) =>
    (
      await http.send({
        path: '/api/admin/staff-tokens',
        headers: { authorization: `Bearer ${auth}`, 'x-forwarded-for': ip },
      })
    ).status,
};

/** Guesses as fast as answered for `ms` of server time from one IP; returns how many were not refused with 429. */
async function guessFor(route: Route, ip: string, ms: number, stepMs = 10_000): Promise<number> {
  let allowed = 0;
  for (let passed = 0; passed <= ms; passed += stepMs) {
    for (;;) {
      const status = await route(guess(), ip);
      if (status === 429) break;
      expect(status).toBe(401);
      allowed++;
    }
    clock.advance(stepMs);
  }
  return allowed;
}

beforeAll(async () => {
  // Production limits (not the test helper's generous ones), and client IPs from X-Forwarded-For
  // as behind a reverse proxy, so one test process can speak for many addresses.
  t = await startTestApp({
    clock,
    config: {
      writeRatePerMin: defaultConfig.writeRatePerMin,
      authFailuresPerHour: defaultConfig.authFailuresPerHour,
      trustProxy: ['loopback'],
    },
  });
  http = httpClient(t.url, 8);
  valid = (await issueToken(t, 'site-1')).token;
});
afterAll(async () => {
  http.close();
  await t.close();
});

describe('guessing tokens', () => {
  it.each(Object.keys(ROUTES))(
    'when one IP guesses tokens on %s for an hour, then about 80 guesses are answered and the rest get 429',
    async (name) => {
      const ip = `198.51.100.${++n % 250}`;
      const allowed = await guessFor(ROUTES[name]!, ip, 3600_000);
      console.log(
        `[figure] token guessing, ${name}, one IP: ${allowed} guesses answered in the first hour (burst ${Math.floor(defaultConfig.authFailuresPerHour / 3)} + ${defaultConfig.authFailuresPerHour}/h), every other one 429`,
      );
      expect(allowed).toBeGreaterThanOrEqual(75);
      expect(allowed).toBeLessThanOrEqual(85);
    },
  );

  it('when an IP is blocked, then its guesses get 429 but a valid staff or admin token from it is judged on its own', async () => {
    const ip = '203.0.113.7';
    while ((await ROUTES['GET /api/staff/me']!(guess(), ip)) !== 429);
    // Many tablets share one carrier NAT address with strangers: their failures lock out no one.
    expect(await ROUTES['GET /api/staff/me']!(valid, ip)).toBe(200);
    expect(await ROUTES['POST /api/sites/:id/reports']!(valid, ip)).toBe(200);
    expect(await ROUTES['GET /api/admin/staff-tokens']!(TEST_ADMIN_TOKEN, ip)).toBe(200);
    // A guess still learns nothing: wrong staff and admin tokens keep getting 429 there.
    expect(await ROUTES['GET /api/staff/me']!(guess(), ip)).toBe(429);
    expect(await ROUTES['POST /api/sites/:id/reports']!(guess(), ip)).toBe(429);
    expect(await ROUTES['GET /api/admin/staff-tokens']!('wrong-admin-token-0000', ip)).toBe(429);
    expect(await ROUTES['GET /api/staff/me']!(guess(), '203.0.113.8')).toBe(401);
    // Requests without any credential guess nothing and are not counted.
    const bare = await http.send({ path: '/api/staff/me', headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(bare.status).toBe(401);
  });

  it('when many IPs guess at once, then each gets only its own budget, and the arithmetic of 256-bit tokens makes it hopeless', async () => {
    const ips = 40;
    let allowed = 0;
    for (let i = 0; i < ips; i++) allowed += await guessFor(ROUTES['GET /api/staff/me']!, `10.${i}.0.1`, 0);
    const perIpHour = Math.floor(defaultConfig.authFailuresPerHour / 3) + defaultConfig.authFailuresPerHour;
    // A botnet of a million addresses guessing for a year against 100,000 live tokens:
    const guessesPerYear = 1e6 * defaultConfig.authFailuresPerHour * 24 * 365;
    const pHit = (guessesPerYear * 1e5) / 2 ** 256;
    console.log(
      `[figure] token guessing, ${ips} IPs: ${allowed} guesses answered at once (${allowed / ips} per IP); per IP ~${perIpHour} in the first hour, ${defaultConfig.authFailuresPerHour}/h after; 1e6 IPs for a year = ${guessesPerYear.toExponential(1)} guesses, chance of hitting any of 1e5 live 256-bit tokens ${pHit.toExponential(1)}`,
    );
    expect(allowed / ips).toBe(Math.floor(defaultConfig.authFailuresPerHour / 3));
    expect(pHit).toBeLessThan(1e-50);
  });
});
