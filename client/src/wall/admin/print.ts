// Print pages: enrolment QR sheets (a new page per district, one site a row) and resident posters
// (one page per site, linking to /?site=<id>). They are built into a preview area that is the only
// thing @media print shows; the admin checks the preview, then presses print.
import type { EnrolmentLinkStatus } from '../../../../shared/enrolment.js';
import type { Site } from '../../../../shared/schemas.js';
import { shortCodes, spacedCode } from '../../../../shared/short-code.js';
import { h } from '../../lib/dom.js';
import type { T } from '../i18n.js';
import { qrBox } from './qr.js';

export interface EnrolRow {
  site: Site;
  enrollUrl: string;
  tokenId: string;
  /** Printed on the row, so whoever enrols knows whether the tablet there must enrol again. */
  status: EnrolmentLinkStatus;
}

export class PrintArea {
  readonly root: HTMLElement;
  private readonly pages: HTMLElement;
  private readonly status: HTMLElement;

  constructor(t: T) {
    this.status = h('span', { class: 'print-status', 'data-print-status': '' });
    this.pages = h('div', { id: 'print-root' });
    this.root = h(
      'section',
      { class: 'print-area', hidden: true },
      h(
        'div',
        { class: 'print-bar no-print' },
        this.status,
        h('button', { type: 'button', onclick: () => window.print() }, t('print.print')),
      ),
      this.pages,
    );
  }

  progress(text: string): void {
    this.root.hidden = false;
    this.status.textContent = text;
  }

  show(pages: HTMLElement[], text: string): void {
    this.pages.replaceChildren(...pages);
    this.root.hidden = false;
    this.status.textContent = text;
    this.root.scrollIntoView({ block: 'start' });
  }
}

/** Links residents open from a poster. The origin is this page's: the admin uses the public address. */
export const siteLink = (origin: string, siteId: string) => `${origin}/?site=${encodeURIComponent(siteId)}`;

/** Short codes come from the whole registry (collisions are resolved across it), not the printed subset. */
const codesOf = (registry: readonly Site[]) => shortCodes(registry.map((s) => s.id));

export async function enrolmentSheets(
  t: T,
  rows: readonly EnrolRow[],
  madeAt: string,
  onProgress?: (i: number) => void,
  registry: readonly Site[] = rows.map((r) => r.site),
): Promise<HTMLElement[]> {
  const codes = codesOf(registry);
  const byDistrict = new Map<string, EnrolRow[]>();
  for (const r of rows) byDistrict.set(r.site.district, [...(byDistrict.get(r.site.district) ?? []), r]);
  const pages: HTMLElement[] = [];
  let done = 0;
  for (const [district, list] of byDistrict) {
    const body = h('tbody');
    for (const [i, r] of list.entries()) {
      body.append(
        h(
          'tr',
          { 'data-site-id': r.site.id, 'data-token-id': r.tokenId, 'data-link-status': r.status },
          h('td', { class: 'no' }, i + 1),
          h(
            'td',
            { class: 'site' },
            h('strong', {}, r.site.name),
            h('div', { class: 'code' }, t('poster.code'), ' ', h('b', {}, spacedCode(codes.get(r.site.id) ?? ''))),
            h('div', {}, [r.site.street, r.site.address].filter(Boolean).join(' · ')),
            h('div', { class: `link-status ${r.status}` }, t(`link.${r.status}`)),
            h('div', { class: 'tid' }, r.tokenId),
          ),
          h('td', { class: 'qr-cell' }, await qrBox(r.enrollUrl, 'qr-box qr-enrol')),
        ),
      );
      onProgress?.(++done);
    }
    pages.push(
      h(
        'section',
        { class: 'sheet', 'data-district': district },
        h(
          'header',
          {},
          h('h1', {}, t('sheet.title', { district })),
          h('p', {}, t('sheet.hint')),
          h('p', { class: 'made' }, t('sheet.printed', { t: madeAt })),
        ),
        h(
          'table',
          { class: 'sheet-table' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, t('sheet.col.no')),
              h('th', {}, t('sheet.col.site')),
              h('th', {}, t('sheet.col.qr')),
            ),
          ),
          body,
        ),
      ),
    );
  }
  return pages;
}

export async function posters(
  t: T,
  sites: readonly Site[],
  origin: string,
  onProgress?: (i: number) => void,
  registry: readonly Site[] = sites,
): Promise<HTMLElement[]> {
  const codes = codesOf(registry);
  const pages: HTMLElement[] = [];
  for (const [i, s] of sites.entries()) {
    const link = siteLink(origin, s.id);
    pages.push(
      h(
        'section',
        { class: 'poster', 'data-site-id': s.id },
        h('p', { class: 'kicker' }, t('poster.kicker')),
        h('h1', {}, s.name),
        h('p', { class: 'where' }, [s.district, s.street, s.address].filter(Boolean).join(' · ')),
        await qrBox(link, 'qr-box qr-poster'),
        h('p', { class: 'hint' }, t('poster.hint')),
        s.tags?.includes('green-channel') ? h('p', { class: 'green' }, t('poster.green')) : null,
        h(
          'p',
          { class: 'code', 'data-code': codes.get(s.id) ?? '' },
          h('span', {}, t('poster.code')),
          h('strong', {}, spacedCode(codes.get(s.id) ?? '')),
        ),
        h('p', { class: 'link' }, `${origin}/s/${codes.get(s.id) ?? ''}`),
        h('p', { class: 'link' }, link),
      ),
    );
    onProgress?.(i + 1);
  }
  return pages;
}
