import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCsvHeader,
  CsvSyntaxError,
  csvRowToCandidate,
  formatHoursCell,
  parseCsv,
  parseHoursCell,
  parseNumberCell,
  parseTagsCell,
} from './csv.js';

const cells = (text: string) => parseCsv(text).map((r) => r.cells);

/** Quotes a cell the way a spreadsheet does: only when it has to. */
const quote = (c: string) => (/[",\r\n]/.test(c) || c === '' ? `"${c.replace(/"/g, '""')}"` : c);

describe('parseCsv', () => {
  it('when cells are plain, then it splits on commas and newlines', () => {
    expect(cells('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('when a quoted cell holds commas, escaped quotes and newlines, then they are part of the cell', () => {
    const text = 'id,name\n1,"Park, north gate"\n2,"say ""hi"""\n3,"two\nlines"\n4,""\n';
    expect(cells(text)).toEqual([
      ['id', 'name'],
      ['1', 'Park, north gate'],
      ['2', 'say "hi"'],
      ['3', 'two\nlines'],
      ['4', ''],
    ]);
  });

  it('when a quoted cell spans lines, then each record knows the line it starts on', () => {
    const records = parseCsv('h\n"a\nb"\nc\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('when lines end in CRLF and the file starts with a BOM, then neither shows in the cells', () => {
    expect(cells('\uFEFFid,name\r\n1,"x\r\ny"\r\n2,z\r\n')).toEqual([
      ['id', 'name'],
      ['1', 'x\r\ny'],
      ['2', 'z'],
    ]);
  });

  it('when there are blank lines or no final newline, then no empty records appear', () => {
    expect(cells('a,b\n\n1,2\n\n\n3,4')).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });

  it('when a row is only commas or an empty quoted cell, then it is a record of empty cells', () => {
    expect(cells('a,b\n,\n""\n')).toEqual([['a', 'b'], ['', ''], ['']]);
  });

  it('when cells are empty at the ends of a row, then they are kept', () => {
    expect(cells(',x,\n')).toEqual([['', 'x', '']]);
  });

  it('when a quoted cell is never closed, then the error names the line it opened on', () => {
    const err = (() => {
      try {
        parseCsv('a,b\n1,"open\n\n');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CsvSyntaxError);
    expect((err as CsvSyntaxError).line).toBe(2);
    expect((err as Error).message).toMatch(/never closed/);
  });

  it('when text follows a closing quote, then it is a syntax error', () => {
    expect(() => parseCsv('"a"b,c\n')).toThrow(/after the closing quote/);
  });

  it('when a quote appears inside an unquoted cell, then it is a syntax error', () => {
    expect(() => parseCsv('a,b"c\n')).toThrow(CsvSyntaxError);
  });

  it('when any table is written with quoting, then reading it gives the same table back', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'é', '采', ',', '"', '\n', '\r\n', ' ', ';', '|') });
    const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(table, (rows) => {
        const text = rows.map((r) => r.map(quote).join(',')).join('\r\n');
        expect(cells(text)).toEqual(rows);
      }),
    );
  });
});

describe('parseHoursCell', () => {
  it('when periods have no days, then they apply to every day', () => {
    expect(parseHoursCell('08:00-12:00;14:00-21:00')).toEqual([
      { open: '08:00', close: '12:00' },
      { open: '14:00', close: '21:00' },
    ]);
  });

  it('when periods name days as ranges and lists, then the days are expanded and sorted', () => {
    expect(parseHoursCell('1-5,7 07:30-22:00; 6 09:00 - 17:00')).toEqual([
      { days: [1, 2, 3, 4, 5, 7], open: '07:30', close: '22:00' },
      { days: [6], open: '09:00', close: '17:00' },
    ]);
  });

  it.each([
    ['08:00', /expected \[days \]HH:MM-HH:MM/],
    ['08:00-12:00;', /period 2 "": empty period/],
    ['0-5 08:00-12:00', /days "0-5"/],
    ['5-1 08:00-12:00', /runs backwards/],
    ['mon 08:00-12:00', /days "mon"/],
  ])('when the cell is %j, then the error says what is wrong', (cell, message) => {
    expect(() => parseHoursCell(cell)).toThrow(message);
  });

  it('when hours are formatted and parsed again, then they are unchanged', () => {
    const time = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    const days = fc
      .uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 })
      .map((d) => d.sort((a, b) => a - b));
    const period = fc.record({ days, open: time, close: time }, { requiredKeys: ['open', 'close'] });
    fc.assert(
      fc.property(fc.array(period, { minLength: 1, maxLength: 5 }), (hours) => {
        expect(parseHoursCell(formatHoursCell(hours))).toEqual(hours);
      }),
    );
  });
});

describe('cell values', () => {
  it('when a number cell is a plain decimal, then it is read, surrounding blanks ignored', () => {
    expect(parseNumberCell(' 22.5 ')).toBe(22.5);
    expect(parseNumberCell('-113')).toBe(-113);
    expect(parseNumberCell('1e1')).toBe(10);
  });

  it.each(['abc', '0x10', '1,5', '', '--1', 'Infinity'])('when a number cell is %j, then it is refused', (cell) => {
    expect(() => parseNumberCell(cell)).toThrow(/is not a number/);
  });

  it('when tags are separated by | with blanks, then the blanks and empty tags are dropped', () => {
    expect(parseTagsCell(' 24h | green-channel ||')).toEqual(['24h', 'green-channel']);
  });
});

describe('checkCsvHeader and csvRowToCandidate', () => {
  it('when the header has an unknown, a repeated and a missing column, then each is named', () => {
    const problems = checkCsvHeader(['id', 'name', 'name', 'district', 'lat', 'lng', 'lane']);
    expect(problems).toEqual([
      { field: 'name', message: 'column appears twice' },
      { field: 'lane', message: expect.stringMatching(/unknown column/) },
      { field: 'lanes', message: 'required column is missing' },
    ]);
  });

  it('when optional cells are empty, then the fields are absent rather than empty', () => {
    const header = ['id', 'name', 'district', 'street', 'lat', 'lng', 'lanes', 'hours', 'tags'];
    const { candidate, problems } = csvRowToCandidate(header, ['a', 'A', 'D', '', '1', '2', '3', '', '']);
    expect(problems).toEqual([]);
    expect(candidate).toEqual({ id: 'a', name: 'A', district: 'D', lat: 1, lng: 2, lanes: 3 });
  });

  it('when cells cannot be decoded, then every one is reported with its column', () => {
    const header = ['id', 'name', 'district', 'lat', 'lng', 'lanes', 'hours'];
    const { problems } = csvRowToCandidate(header, ['a', '', 'D', 'abc', '2', '3', '8-12']);
    expect(problems.map((p) => p.field)).toEqual(['name', 'lat', 'hours']);
  });
});
