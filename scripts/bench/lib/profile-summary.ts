// Self time of a .cpuprofile by file (packages lumped) and by function, for the profile-* scripts.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

export interface SummaryOptions {
  /** Divide every time by this (e.g. reports in the run) and print µs; default: total ms. */
  per?: number;
  files?: number;
  functions?: number;
}

export function summariseProfile(path: string, o: SummaryOptions = {}): string {
  const p = JSON.parse(readFileSync(path, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((nd) => [nd.id, nd]));
  const self = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const nd = byId.get(id)!;
    const us = p.timeDeltas[i] ?? 0;
    const name = nd.callFrame.functionName || '(anon)';
    if (name === '(idle)') return;
    total += us;
    const where = nd.callFrame.url.replace(/^.*\/work\/main\//, '').replace(/^file:\/\//, '');
    const key = `${name} ${where}:${nd.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const f = nd.callFrame.url ? where.replace(/node_modules\/((@[^/]+\/)?[^/]+)\/.*/, '$1') : name;
    byFile.set(f, (byFile.get(f) ?? 0) + us);
  });
  const fmt = (us: number) =>
    o.per ? `${(us / o.per).toFixed(1).padStart(7)} µs` : `${(us / 1000).toFixed(1).padStart(8)} ms`;
  const top = (m: Map<string, number>, k: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, k)
      .map(([name, us]) => `${fmt(us)}  ${name}`)
      .join('\n');
  return `busy ${fmt(total).trim()}${o.per ? ' each' : ''}\n-- by file --\n${top(byFile, o.files ?? 25)}\n-- by function (self) --\n${top(self, o.functions ?? 35)}`;
}
