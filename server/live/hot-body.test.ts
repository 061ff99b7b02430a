import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HotBody } from './hot-body.js';

let server: Server | null = null;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A body whose content is `version`, padded to `bytes`, served on a real socket. */
async function serveBody(bytes: number, minRebuildMs: number) {
  const state = { version: 0 };
  const body = new HotBody(
    { key: () => state.version, json: () => JSON.stringify({ version: state.version, pad: 'x'.repeat(bytes) }) },
    minRebuildMs,
  );
  server = createServer((req, res) => void body.serve(req, res));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const read = async () => ((await (await fetch(url)).json()) as { version: number }).version;
  return { state, read };
}

describe('HotBody', () => {
  it('when a small body changes, then the next request sees the change however long the window', async () => {
    const b = await serveBody(100, 3_600_000);
    expect(await b.read()).toBe(0);
    b.state.version = 1;
    expect(await b.read()).toBe(1);
  });

  it('when a large body changes inside the window, then it is served as built until the window ends', async () => {
    const held = await serveBody(2_000_000, 3_600_000);
    expect(await held.read()).toBe(0);
    held.state.version = 1;
    expect(await held.read()).toBe(0);
    await new Promise<void>((r) => server!.close(() => r()));
    server = null;
    const open = await serveBody(2_000_000, 0);
    expect(await open.read()).toBe(0);
    open.state.version = 1;
    expect(await open.read()).toBe(1);
  });
});
