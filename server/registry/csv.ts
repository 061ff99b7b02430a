// A small RFC 4180 reader, enough for a hand-edited site registry, and the registry's CSV format.
// Written here rather than pulled in as a dependency: the registry is read once at start-up and
// the format is tiny.
//
// The format (server/data/example-sites.csv is a worked example): a header row naming columns out
// of CSV_COLUMNS in any order, `id,name,district,lat,lng,lanes` required; then one site a row.
// An empty cell leaves an optional field out. `hours` is `;`-separated periods `[days ]HH:MM-HH:MM`
// (days: 1 = Monday ... 7 = Sunday, as `1-5`, `6,7` or `1-5,7`; an empty cell means always open);
// `tags` is `|`-separated. A cell holding a comma, quote or newline is quoted, quotes doubled.

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    message: string,
    /** 1-based physical line where the problem was noticed. */
    readonly line: number,
  ) {
    super(message);
  }
}

export interface CsvRecord {
  cells: string[];
  /** 1-based physical line the record starts on (a quoted cell may span several lines). */
  line: number;
}

/**
 * Splits CSV text into records of raw cells. Quoted cells may hold commas, newlines and `""` for a
 * quote; CRLF, LF and a leading BOM are accepted. Lines with nothing on them are skipped, so a
 * trailing newline or a blank line between rows does not make an empty record.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  // Whether the current record has any content yet: an empty line is skipped, but `,` or `""`
  // alone is a real record of empty cells.
  let started = false;
  let i = 0;

  const endRecord = () => {
    if (started) {
      cells.push(cell);
      records.push({ cells, line: recordLine });
    }
    cells = [];
    cell = '';
    started = false;
  };

  while (i < src.length) {
    const ch = src[i];
    if (!started) recordLine = line;
    if (ch === '"') {
      if (cell !== '') {
        throw new CsvSyntaxError('a quote inside an unquoted cell (quote the whole cell)', line);
      }
      started = true;
      const openLine = line;
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvSyntaxError('a quoted cell is never closed', openLine);
        const c = src[i];
        if (c === '"') {
          if (src[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        cell += c;
        i++;
      }
      const next = src[i];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
        throw new CsvSyntaxError('text after the closing quote of a cell', line);
      }
      continue;
    }
    if (ch === ',') {
      started = true;
      cells.push(cell);
      cell = '';
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    started = true;
    cell += ch;
    i++;
  }
  endRecord();
  return records;
}

// ---- The site registry's columns and the encodings used inside its cells ----

export const CSV_COLUMNS = [
  'id',
  'name',
  'district',
  'street',
  'community',
  'address',
  'lat',
  'lng',
  'lanes',
  'hours',
  'serviceRatePerLane',
  'tags',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const REQUIRED_CSV_COLUMNS: readonly CsvColumn[] = ['id', 'name', 'district', 'lat', 'lng', 'lanes'];
const NUMBER_COLUMNS: readonly CsvColumn[] = ['lat', 'lng', 'lanes', 'serviceRatePerLane'];

export interface CellProblem {
  field: string;
  message: string;
}

/** Problems with the header row: unknown, repeated or missing columns. */
export function checkCsvHeader(header: readonly string[]): CellProblem[] {
  const problems: CellProblem[] = [];
  const seen = new Set<string>();
  for (const col of header) {
    if (!(CSV_COLUMNS as readonly string[]).includes(col)) {
      problems.push({ field: col, message: `unknown column (known: ${CSV_COLUMNS.join(', ')})` });
    } else if (seen.has(col)) {
      problems.push({ field: col, message: 'column appears twice' });
    }
    seen.add(col);
  }
  for (const col of REQUIRED_CSV_COLUMNS) {
    if (!seen.has(col)) problems.push({ field: col, message: 'required column is missing' });
  }
  return problems;
}

// Strict on purpose: Number('') is 0 and Number('0x10') is 16, neither of which a person meant.
const NUMBER_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function parseNumberCell(cell: string): number {
  const t = cell.trim();
  if (!NUMBER_RE.test(t)) throw new Error(`"${cell}" is not a number`);
  return Number(t);
}

function parseDays(spec: string): number[] {
  const days = new Set<number>();
  for (const part of spec.split(',')) {
    const m = /^([1-7])(?:-([1-7]))?$/.exec(part.trim());
    if (!m) throw new Error(`days "${spec}": use 1-7 (Monday is 1), e.g. 1-5 or 6,7`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from) throw new Error(`days "${spec}": range ${from}-${to} runs backwards`);
    for (let d = from; d <= to; d++) days.add(d);
  }
  return [...days].sort((a, b) => a - b);
}

export interface HoursPeriod {
  days?: number[];
  open: string;
  close: string;
}

/**
 * `hours` cell: `;`-separated periods, each `[days ]HH:MM-HH:MM`, e.g. `1-5 08:00-12:00; 6,7
 * 09:00-17:00`. The times are returned as written; SiteSchema checks they are real times.
 */
export function parseHoursCell(cell: string): HoursPeriod[] {
  const periods: HoursPeriod[] = [];
  const parts = cell.split(';').map((p) => p.trim());
  parts.forEach((part, i) => {
    const where = parts.length > 1 ? `period ${i + 1} "${part}": ` : `"${part}": `;
    if (part === '') throw new Error(`${where}empty period (remove the extra ";")`);
    const m = /^(?:(\S+)\s+)?(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})$/.exec(part);
    if (!m) throw new Error(`${where}expected [days ]HH:MM-HH:MM, e.g. 1-5 08:00-12:00`);
    const [, daysSpec, open = '', close = ''] = m;
    let days: number[] | undefined;
    try {
      days = daysSpec === undefined ? undefined : parseDays(daysSpec);
    } catch (err) {
      throw new Error(where + (err as Error).message);
    }
    periods.push(days ? { days, open, close } : { open, close });
  });
  return periods;
}

/** The inverse of parseHoursCell, for writing a registry back out. */
export function formatHoursCell(hours: readonly HoursPeriod[]): string {
  return hours.map((h) => (h.days ? `${formatDays(h.days)} ` : '') + `${h.open}-${h.close}`).join(';');
}

function formatDays(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    runs.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return runs.join(',');
}

/** `tags` cell: `|`-separated; blanks around and between tags are ignored. */
export function parseTagsCell(cell: string): string[] {
  return cell
    .split('|')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/**
 * One data row as a plain object ready for SiteSchema. An empty cell leaves an optional field
 * out; cells that cannot be decoded are reported (every one of them) instead of thrown, so that
 * the loader can list all the problems of a file at once.
 */
export function csvRowToCandidate(
  header: readonly string[],
  cells: readonly string[],
): { candidate: Record<string, unknown>; problems: CellProblem[] } {
  const candidate: Record<string, unknown> = {};
  const problems: CellProblem[] = [];
  header.forEach((col, i) => {
    const raw = cells[i] ?? '';
    if (raw.trim() === '') {
      if ((REQUIRED_CSV_COLUMNS as readonly string[]).includes(col)) {
        problems.push({ field: col, message: 'required, but the cell is empty' });
      }
      return;
    }
    try {
      if ((NUMBER_COLUMNS as readonly string[]).includes(col)) candidate[col] = parseNumberCell(raw);
      else if (col === 'hours') candidate[col] = parseHoursCell(raw);
      else if (col === 'tags') candidate[col] = parseTagsCell(raw);
      else candidate[col] = raw;
    } catch (err) {
      problems.push({ field: col, message: (err as Error).message });
    }
  });
  return { candidate, problems };
}
