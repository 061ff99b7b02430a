// The site registry, read once at start-up from SITES_FILE or the bundled Jiangmen file. A bad
// registry must stop the start with everything wrong in it at once: people fix registries by
// hand, and one error per restart is a slow way to learn about twenty.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { SiteSchema, type Site } from '../../shared/schemas.js';
import { type CellProblem, checkCsvHeader, csvRowToCandidate, CsvSyntaxError, parseCsv } from './csv.js';
import { addPinyin } from './pinyin.js';

export const DEFAULT_SITES_FILE = fileURLToPath(new URL('../data/jiangmen-sites.json', import.meta.url));

/** How many problems a message lists before it only counts the rest. */
export const MAX_LISTED_PROBLEMS = 20;

export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    readonly file: string,
    /** Each problem on its own, e.g. `sites.csv row 3, field "lat": ...`. */
    readonly problems: string[],
  ) {
    // One line, because a bad start-up setting is reported as one line (CONTRACT "Running").
    super(RegistryError.summarise(file, problems));
  }

  private static summarise(file: string, problems: string[]): string {
    if (problems.length === 1) return problems[0] as string;
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).join('; ');
    const more = problems.length - MAX_LISTED_PROBLEMS;
    return `${file}: ${problems.length} problems: ${listed}${more > 0 ? `; and ${more} more` : ''}`;
  }
}

// Strict here (unlike the API's reading of sites) so that a misspelt optional column or key, say
// "serviceRate", is reported instead of silently dropped.
const StrictSiteSchema = SiteSchema.strict();

interface Candidate {
  /** `row 3` (CSV, 1-based data row) or `index 3` (JSON, array index). */
  where: string;
  value: unknown;
  /** CSV cells that could not be decoded; the schema's view of those fields would only repeat them. */
  cellProblems: CellProblem[];
  /** A row too broken to look at field by field. */
  rowProblem?: string;
}

export function loadRegistry(path: string): Site[] {
  const ext = extname(path).toLowerCase();
  if (ext !== '.json' && ext !== '.csv') {
    throw new RegistryError(path, [`${path}: unknown extension "${ext}" (expected .json or .csv)`]);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new RegistryError(path, [`${path}: cannot read the file (${(err as Error).message})`]);
  }
  const candidates = ext === '.json' ? jsonCandidates(path, text) : csvCandidates(path, text);
  if (candidates.length === 0) throw new RegistryError(path, [`${path}: no sites in the registry`]);

  const problems: string[] = [];
  const sites: Site[] = [];
  const firstSeen = new Map<string, string>();
  for (const c of candidates) {
    if (c.rowProblem !== undefined) {
      problems.push(`${path} ${c.where}: ${c.rowProblem}`);
      continue;
    }
    // Checked on the raw value so that a repeated id is reported even when the row has other faults.
    const id = rawId(c.value);
    const earlier = id === undefined ? undefined : firstSeen.get(id);
    if (id !== undefined && earlier !== undefined) {
      problems.push(`${path} ${c.where}, field "id": duplicate id "${id}" (also at ${earlier})`);
    } else if (id !== undefined) {
      firstSeen.set(id, c.where);
    }
    const broken = new Set(c.cellProblems.map((p) => p.field));
    problems.push(...c.cellProblems.map((p) => `${path} ${c.where}, field "${p.field}": ${p.message}`));
    const parsed = StrictSiteSchema.safeParse(c.value);
    if (parsed.success) {
      sites.push(parsed.data);
      continue;
    }
    for (const issue of parsed.error.issues) {
      if (!broken.has(String(issue.path[0]))) problems.push(`${path} ${c.where}, ${describeIssue(issue, ext)}`);
    }
  }
  if (problems.length > 0) throw new RegistryError(path, problems);
  // Once here, for every registry and every entry point (server, demo, tools), not in each page.
  return addPinyin(sites);
}

function rawId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function jsonCandidates(path: string, text: string): Candidate[] {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new RegistryError(path, [`${path}: invalid JSON (${(err as Error).message})`]);
  }
  if (!Array.isArray(data)) {
    throw new RegistryError(path, [`${path}: expected a JSON array of sites`]);
  }
  return data.map((value: unknown, i) => ({ where: `index ${i}`, value, cellProblems: [] }));
}

function csvCandidates(path: string, text: string): Candidate[] {
  let records;
  try {
    records = parseCsv(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) {
      throw new RegistryError(path, [`${path} line ${err.line}: ${err.message}`]);
    }
    throw err;
  }
  const [headerRecord, ...rows] = records;
  if (!headerRecord) throw new RegistryError(path, [`${path}: no header row and no sites`]);
  const header = headerRecord.cells.map((c) => c.trim());
  const headerProblems = checkCsvHeader(header);
  if (headerProblems.length > 0) {
    throw new RegistryError(
      path,
      headerProblems.map((p) => `${path} header, column "${p.field}": ${p.message}`),
    );
  }
  return rows.map((record, i) => {
    const where = `row ${i + 1}`;
    if (record.cells.length !== header.length) {
      const n = record.cells.length;
      const rowProblem = `${n} cell${n === 1 ? '' : 's'}, but the header has ${header.length} (line ${record.line})`;
      return { where, value: null, cellProblems: [], rowProblem };
    }
    const { candidate, problems } = csvRowToCandidate(header, record.cells);
    return { where, value: candidate, cellProblems: problems };
  });
}

function describeIssue(issue: z.core.$ZodIssue, ext: string): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${issue.path.concat(k).join('.')}"`).join(', ');
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}`;
  }
  const [head, ...rest] = issue.path.map(String);
  if (head === undefined) return issue.message;
  if (ext === '.csv' && rest.length > 0) {
    // A CSV cell holds the whole list; say which element of it is wrong, counting from 1.
    const n = Number(rest[0]) + 1;
    const what = head === 'hours' ? 'period' : head === 'tags' ? 'tag' : 'item';
    const detail = rest.length > 1 ? ` ${rest.slice(1).join('.')}` : '';
    return `field "${head}": ${what} ${n}${detail}: ${issue.message}`;
  }
  return `field "${[head, ...rest].join('.')}": ${issue.message}`;
}
