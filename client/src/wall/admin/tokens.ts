// Staff tablet tokens: issue one for a site (the enrolment link and its QR are shown once), list
// the active ones of a site or district, revoke with a second press (no blocking confirm dialog).
import type { StaffTokenCreated, StaffTokenInfo } from '../../../../shared/schemas.js';
import { h } from '../../lib/dom.js';
import { fmtTime, type AdminCtx } from './context.js';
import { enrolmentSheets } from './print.js';
import { qrBox } from './qr.js';

export function tokensSection(ctx: AdminCtx): HTMLElement {
  const { t, api } = ctx;
  const picker = ctx.picker('tokens');
  const label = h('input', { name: 'label', maxlength: 100, placeholder: t('tokens.label') });
  const status = h('p', { class: 'status', 'data-status': 'tokens' });
  const result = h('div', { class: 'issued', 'data-issued': '' });
  const body = h('tbody');
  const fmt = fmtTime(ctx.timezone);
  // Client-side paging: a city has ~1,000 tablets, a list of that size is one quick request; the
  // page shows PAGE rows at a time so the page stays short, with a search over site, district and label.
  const PAGE = 25;
  let all: StaffTokenInfo[] = [];
  let page = 0;
  const search = h('input', {
    type: 'search',
    name: 'token-search',
    placeholder: t('tokens.search'),
    'data-token-search': '',
  });
  const pager = h('div', { class: 'pager', 'data-pager': '' });
  const matches = (tk: StaffTokenInfo, q: string) => {
    if (!q) return true;
    const site = ctx.byId.get(tk.siteId);
    return [tk.tokenId, tk.siteId, tk.label ?? '', site?.name ?? '', site?.district ?? ''].some((v) =>
      v.toLowerCase().includes(q),
    );
  };
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = all.filter((tk) => matches(tk, q));
    const pages = Math.max(1, Math.ceil(shown.length / PAGE));
    page = Math.min(page, pages - 1);
    const slice = shown.slice(page * PAGE, page * PAGE + PAGE);
    body.replaceChildren(...(slice.length ? slice.map(row) : [h('tr', {}, h('td', { colspan: 5 }, t('tokens.none')))]));
    const prev = h('button', { type: 'button', class: 'ghost', 'data-action': 'prev', disabled: page === 0 }, '‹');
    const next = h(
      'button',
      { type: 'button', class: 'ghost', 'data-action': 'next', disabled: page >= pages - 1 },
      '›',
    );
    prev.addEventListener('click', () => {
      page -= 1;
      draw();
    });
    next.addEventListener('click', () => {
      page += 1;
      draw();
    });
    pager.replaceChildren(prev, h('span', {}, t('tokens.page', { p: page + 1, n: pages, total: shown.length })), next);
  };
  search.addEventListener('input', () => {
    page = 0;
    draw();
  });

  const refresh = async () => {
    const siteId = picker.value();
    const district = picker.districtValue();
    try {
      const q = siteId ? `?siteId=${encodeURIComponent(siteId)}` : '';
      const { tokens } = await api.call<{ tokens: StaffTokenInfo[] }>('GET', `/api/admin/staff-tokens${q}`);
      all = tokens.filter((tk) => !district || ctx.byId.get(tk.siteId)?.district === district);
      draw();
    } catch (err) {
      ctx.fail(status, err);
    }
  };

  const row = (tk: StaffTokenInfo) => {
    let armed = false;
    const btn = h('button', { type: 'button', class: 'danger', 'data-revoke': tk.tokenId }, t('tokens.revoke'));
    btn.addEventListener('click', async () => {
      if (!armed) {
        armed = true;
        btn.textContent = t('tokens.confirm');
        return;
      }
      btn.disabled = true;
      try {
        await api.call('DELETE', `/api/admin/staff-tokens/${encodeURIComponent(tk.tokenId)}`);
        status.textContent = t('tokens.revoked', { id: tk.tokenId });
        await refresh();
      } catch (err) {
        ctx.fail(status, err);
        btn.disabled = false;
      }
    });
    const site = ctx.byId.get(tk.siteId);
    return h(
      'tr',
      { 'data-token-id': tk.tokenId, 'data-site-id': tk.siteId },
      h('td', { class: 'mono' }, tk.tokenId),
      h('td', {}, site ? `${site.district} · ${site.name}` : tk.siteId),
      h('td', {}, tk.label ?? ''),
      h('td', {}, fmt.format(Date.parse(tk.createdAt))),
      h('td', {}, btn),
    );
  };

  const issue = async () => {
    const siteId = picker.value();
    if (!siteId) {
      status.textContent = t('tokens.needSite');
      return;
    }
    try {
      const created = await api.call<StaffTokenCreated>('POST', '/api/admin/staff-tokens', {
        siteId,
        ...(label.value.trim() ? { label: label.value.trim() } : {}),
      });
      const site = ctx.byId.get(siteId)!;
      const print = h('button', { type: 'button' }, t('tokens.printCard'));
      print.addEventListener('click', async () => {
        const pages = await enrolmentSheets(
          t,
          [{ site, enrollUrl: created.enrollUrl, tokenId: created.tokenId, status: 'new' }],
          fmt.format(Date.now()),
        );
        ctx.print.show(pages, t('print.ready', { n: pages.length }));
      });
      result.replaceChildren(
        h(
          'div',
          { class: 'card', 'data-token-id': created.tokenId, 'data-site-id': siteId },
          await qrBox(created.enrollUrl, 'qr-box qr-card'),
          h(
            'div',
            {},
            h('p', {}, h('strong', {}, site.name), ` · ${created.tokenId}`),
            h('p', { class: 'warn' }, t('tokens.issued')),
            h('p', { class: 'mono link', 'data-enroll-url': '' }, created.enrollUrl),
            print,
          ),
        ),
      );
      label.value = '';
      status.textContent = '';
      await refresh();
    } catch (err) {
      ctx.fail(status, err);
    }
  };

  picker.onChange(() => void refresh());
  void refresh();
  return h(
    'section',
    { class: 'card-section', 'data-section': 'tokens' },
    h('h2', {}, t('tokens.title')),
    h(
      'div',
      { class: 'row' },
      picker.root,
      label,
      h('button', { type: 'button', 'data-action': 'issue', onclick: () => void issue() }, t('tokens.issue')),
    ),
    status,
    result,
    h('div', { class: 'row' }, search, pager),
    h(
      'table',
      { class: 'grid' },
      h(
        'thead',
        {},
        h('tr', {}, ...['id', 'site', 'label', 'created'].map((c) => h('th', {}, t(`tokens.col.${c}`))), h('th', {})),
      ),
      body,
    ),
  );
}
