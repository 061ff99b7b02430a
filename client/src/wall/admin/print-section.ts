// The print section: enrolment sheets for a district (or all), resident posters for a district or
// one site. Sheets issue one new token per site, so they ask for a second press first.
import type { StaffTokenCreated } from '../../../../shared/schemas.js';
import { h } from '../../lib/dom.js';
import { fmtTime, type AdminCtx } from './context.js';
import { enrolmentSheets, posters, type EnrolRow } from './print.js';

/** Token requests in flight at once while making sheets: quick, without hammering the server. */
const ISSUE_CONCURRENCY = 4;

export function printSection(ctx: AdminCtx): HTMLElement {
  const { t, api } = ctx;
  const picker = ctx.picker('print');
  const status = h('p', { class: 'status', 'data-status': 'print' });
  const fmt = fmtTime(ctx.timezone);
  const chosen = () => {
    const id = picker.value();
    if (id) return ctx.sites.filter((s) => s.id === id);
    const d = picker.districtValue();
    return ctx.sites.filter((s) => !d || s.district === d);
  };

  let armed = false;
  const sheetsBtn = h('button', { type: 'button', 'data-action': 'sheets' }, t('print.sheets'));
  const disarm = () => {
    armed = false;
    sheetsBtn.textContent = t('print.sheets');
  };
  picker.onChange(disarm);
  sheetsBtn.addEventListener('click', async () => {
    const sites = chosen();
    if (!armed) {
      armed = true;
      sheetsBtn.textContent = t('print.sheetsConfirm', { n: sites.length });
      return;
    }
    disarm();
    sheetsBtn.disabled = true;
    try {
      const rows: EnrolRow[] = new Array(sites.length);
      const label = `sheet ${fmt.format(Date.now())}`.slice(0, 100);
      let done = 0;
      for (let i = 0; i < sites.length; i += ISSUE_CONCURRENCY) {
        await Promise.all(
          sites.slice(i, i + ISSUE_CONCURRENCY).map(async (site, j) => {
            const c = await api.call<StaffTokenCreated>('POST', '/api/admin/staff-tokens', { siteId: site.id, label });
            rows[i + j] = { site, enrollUrl: c.enrollUrl, tokenId: c.tokenId };
            ctx.print.progress(t('print.progress', { i: ++done, n: sites.length * 2 }));
          }),
        );
      }
      const pages = await enrolmentSheets(
        t,
        rows,
        fmt.format(Date.now()),
        (i) => ctx.print.progress(t('print.progress', { i: sites.length + i, n: sites.length * 2 })),
        ctx.sites,
      );
      ctx.print.show(pages, t('print.ready', { n: pages.length }));
    } catch (err) {
      ctx.fail(status, err);
    } finally {
      sheetsBtn.disabled = false;
    }
  });

  const postersBtn = h('button', { type: 'button', 'data-action': 'posters' }, t('print.posters'));
  postersBtn.addEventListener('click', async () => {
    const sites = chosen();
    postersBtn.disabled = true;
    try {
      const pages = await posters(
        t,
        sites,
        ctx.origin,
        (i) => ctx.print.progress(t('print.progress', { i, n: sites.length })),
        ctx.sites,
      );
      ctx.print.show(pages, t('print.ready', { n: pages.length }));
    } catch (err) {
      ctx.fail(status, err);
    } finally {
      postersBtn.disabled = false;
    }
  });

  return h(
    'section',
    { class: 'card-section', 'data-section': 'print' },
    h('h2', {}, t('print.title')),
    h('div', { class: 'row' }, picker.root, sheetsBtn, postersBtn),
    status,
  );
}
