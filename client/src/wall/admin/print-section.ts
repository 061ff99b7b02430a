// The print section: enrolment sheets for a district (or all), resident posters for a district or
// one site. A sheet is one request: each site's existing tablet link is printed again, or a new
// one made where there is none. Rotating (new links, old tablets signed out) asks for a second press.
import { EnrolmentLinksSchema, type EnrolmentLinkStatus } from '../../../../shared/enrolment.js';
import { h } from '../../lib/dom.js';
import { fmtTime, type AdminCtx } from './context.js';
import { enrolmentSheets, posters, type EnrolRow } from './print.js';

const STATUSES: readonly EnrolmentLinkStatus[] = ['reused', 'new', 'rotated', 'replaced'];

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
  const rotate = h('input', { type: 'checkbox', name: 'rotate' });
  const disarm = () => {
    armed = false;
    sheetsBtn.textContent = t('print.sheets');
  };
  picker.onChange(disarm);
  rotate.addEventListener('change', disarm);
  sheetsBtn.addEventListener('click', async () => {
    const sites = chosen();
    if (rotate.checked && !armed) {
      armed = true;
      sheetsBtn.textContent = t('print.sheetsConfirm', { n: sites.length });
      return;
    }
    disarm();
    sheetsBtn.disabled = true;
    status.textContent = '';
    try {
      ctx.print.progress(t('print.asking', { n: sites.length }));
      const answer = await api.call('POST', '/api/admin/enrolment-links', {
        siteIds: sites.map((s) => s.id),
        rotate: rotate.checked,
        label: `sheet ${fmt.format(Date.now())}`.slice(0, 100),
      });
      const { links } = EnrolmentLinksSchema.parse(answer);
      const rows: EnrolRow[] = links.flatMap((l) => {
        const site = ctx.byId.get(l.siteId);
        return site ? [{ site, enrollUrl: l.enrollUrl, tokenId: l.tokenId, status: l.status }] : [];
      });
      const pages = await enrolmentSheets(
        t,
        rows,
        fmt.format(Date.now()),
        (i) => ctx.print.progress(t('print.progress', { i, n: sites.length })),
        ctx.sites,
      );
      const counts = STATUSES.map((st) => [st, links.filter((l) => l.status === st).length] as const);
      const summary = counts
        .filter(([, n]) => n > 0)
        .map(([st, n]) => t(`print.count.${st}`, { n }))
        .join(' · ');
      ctx.print.show(pages, t('print.readySheets', { n: pages.length, s: summary }));
      rotate.checked = false;
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
    h('label', { class: 'check' }, rotate, t('print.rotate')),
    status,
  );
}
