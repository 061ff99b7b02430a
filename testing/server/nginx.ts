// nginx in front of shortline instances, with deploy/nginx/shortline.conf as it ships: the lines
// it marks "(test rewrites)" get loopback ports and a temporary cache directory, the rest is run
// as written. Its own process, config and files in a temporary directory; never the system's.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './redis-procs.js';
import { killWithTestProcess } from './procs.js';

export const NGINX = process.env.NGINX_BIN ?? '/usr/sbin/nginx';
export const SHIPPED_CONF = 'deploy/nginx/shortline.conf';
export const hasNginx = (): boolean => existsSync(NGINX);
const STARTUP_TIMEOUT_MS = 10_000;

export interface Nginx {
  url: string;
  port: number;
  stop(): Promise<void>;
  /** nginx's error log, for failure messages. */
  errors(): string;
}

/** The shipped config with test ports and paths; `upstreams` are `127.0.0.1:port` addresses. */
export function renderConf(
  shipped: string,
  o: { port: number; upstreams: string[]; cacheDir: string; staticRoot?: string },
): string {
  const lines = shipped.split('\n');
  const out: string[] = [];
  let inServers = false;
  for (const line of lines) {
    // A directive ending in the marker comment; a comment line that merely mentions it is not.
    const marked = /^\s*[^#\s].*#\s*\(test rewrites\)\s*$/.test(line);
    const indent = /^\s*/.exec(line)![0];
    // A run of marked server lines (one upstream block's) becomes our servers, once.
    if (marked && /^\s*server\s/.test(line)) {
      if (!inServers) for (const u of o.upstreams) out.push(`${indent}server ${u} max_fails=1 fail_timeout=5s;`);
      inServers = true;
      continue;
    }
    inServers = false;
    if (!marked) {
      out.push(line);
    } else if (/^\s*listen\s/.test(line)) {
      out.push(`${indent}listen 127.0.0.1:${o.port};`);
    } else if (/^\s*root\s/.test(line)) {
      out.push(`${indent}root ${o.staticRoot ?? 'dist/client'};`);
    } else if (/^\s*proxy_cache_path\s/.test(line)) {
      out.push(
        line.replace(/proxy_cache_path\s+\S+/, `proxy_cache_path ${o.cacheDir}`).replace(/\s*# \(test rewrites\)$/, ''),
      );
    } else {
      throw new Error(`${SHIPPED_CONF}: a marked line the test does not know how to rewrite: ${line.trim()}`);
    }
  }
  return out.join('\n');
}

/**
 * `staticRoot`: the built pages directory nginx serves /assets/ from (default: the project's
 * dist/client). `connections`: nginx's worker_connections (each proxied websocket takes two).
 */
export async function startNginx(
  upstreams: string[],
  staticRoot = resolve('dist/client'),
  connections = 1024,
): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), 'shortline-nginx-'));
  const port = await freePort();
  const cacheDir = join(dir, 'cache');
  mkdirSync(cacheDir);
  const site = renderConf(readFileSync(SHIPPED_CONF, 'utf8'), { port, upstreams, cacheDir, staticRoot });
  const conf = join(dir, 'nginx.conf');
  // The main context a distribution's nginx.conf provides, with every path in the temporary dir.
  // Run as root, nginx's workers would switch to "nobody", who cannot enter a mkdtemp directory.
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  writeFileSync(
    conf,
    `daemon off;
${user}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile ${connections + 64};
events { worker_connections ${connections}; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ${existsSync('/etc/nginx/mime.types') ? 'include /etc/nginx/mime.types;' : ''}
  default_type application/octet-stream;
${site}
}
`,
  );
  const proc = spawn(NGINX, ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stderr?.on('data', (c: Buffer) => void (out = (out + c.toString()).slice(-4_000)));
  killWithTestProcess(proc);
  const errors = () => {
    try {
      return out + readFileSync(join(dir, 'error.log'), 'utf8').slice(-4_000);
    } catch {
      return out;
    }
  };
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGQUIT'); // graceful: lets open WebSockets close
      await Promise.race([exited, sleep(5_000).then(() => proc.kill('SIGKILL'))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) break;
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { url, port, stop, errors };
    await sleep(100);
  }
  const why = errors();
  await stop();
  throw new Error(`nginx did not start: ${why.trim()}`);
}
