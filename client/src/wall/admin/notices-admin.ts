// Notices to residents: post one (validated here with the same schema the server applies, so the
// admin sees a mistake before sending), list the active ones, remove one.
import { NoticeInputSchema, NoticeSchema, type Notice, type NoticeInput } from '../../../../shared/schemas.js';
import { h } from '../../lib/dom.js';
import { fmtTime, type AdminCtx } from './context.js';
import { issuesText } from './errors.js';

const TTLS = [30, 60, 120, 240, 480, 1440, 4320, 10080];
const KINDS = ['closed', 'redirect', 'info'] as const;

export function noticesSection(ctx: AdminCtx): HTMLElement {
  const { t, api } = ctx;
  const site = ctx.picker('notice-site', t('pick.cityWide'));
  const redirect = ctx.picker('notice-redirect');
  const kind = h('select', { name: 'kind' }, ...KINDS.map((k) => h('option', { value: k }, t(`notice.${k}`))));
  const message = h('textarea', { name: 'message', maxlength: 500, rows: 2 });
  const ttl = h(
    'select',
    { name: 'ttl' },
    ...TTLS.map((m) => h('option', { value: m, selected: m === 120 }, t(`ttl.${m}`))),
  );
  const redirectRow = h('label', { class: 'redirect' }, t('notices.redirect'), redirect.root);
  const status = h('p', { class: 'status', 'data-status': 'notices' });
  const list = h('ul', { class: 'notice-list' });
  const fmt = fmtTime(ctx.timezone);

  const showRedirect = () => {
    redirectRow.hidden = kind.value !== 'redirect';
  };
  kind.addEventListener('change', showRedirect);
  showRedirect();

  const refresh = async () => {
    try {
      const res = await fetch('/api/notices', { cache: 'no-store' });
      const body = (await res.json()) as { notices?: unknown[] };
      const notices = (body.notices ?? [])
        .map((n) => NoticeSchema.safeParse(n))
        .filter((r) => r.success)
        .map((r) => r.data);
      list.replaceChildren(...notices.map(item));
    } catch (err) {
      ctx.fail(status, err);
    }
  };

  const item = (n: Notice) => {
    const where = n.siteId ? (ctx.byId.get(n.siteId)?.name ?? n.siteId) : t('notice.cityWide');
    const btn = h('button', { type: 'button', class: 'danger', 'data-remove-notice': n.id }, t('notices.remove'));
    btn.addEventListener('click', async () => {
      btn.disabled = true;
      try {
        await api.call('DELETE', `/api/admin/notices/${encodeURIComponent(n.id)}`);
        await refresh();
      } catch (err) {
        ctx.fail(status, err);
        btn.disabled = false;
      }
    });
    return h(
      'li',
      { 'data-notice': n.id, ...(n.siteId ? { 'data-site-id': n.siteId } : {}) },
      h('strong', {}, `${t(`notice.${n.kind}`)} · ${where}`),
      ' ',
      n.message,
      ' ',
      h('span', { class: 'muted' }, t('notices.until', { t: fmt.format(Date.parse(n.expiresAt)) })),
      ' ',
      btn,
    );
  };

  const post = async () => {
    const input: NoticeInput = {
      siteId: site.value() || null,
      kind: kind.value as NoticeInput['kind'],
      message: message.value,
      ttlMinutes: Number(ttl.value),
      ...(kind.value === 'redirect' && redirect.value() ? { redirectSiteId: redirect.value() } : {}),
    };
    const checked = NoticeInputSchema.safeParse(input);
    if (!checked.success) {
      status.textContent = t('error', { m: issuesText(t, checked.error.issues) });
      status.dataset.error = 'true';
      return;
    }
    try {
      await api.call('POST', '/api/admin/notices', checked.data);
      message.value = '';
      status.textContent = t('notices.posted');
      await refresh();
    } catch (err) {
      ctx.fail(status, err);
    }
  };

  void refresh();
  return h(
    'section',
    { class: 'card-section', 'data-section': 'notices' },
    h('h2', {}, t('notices.form')),
    h(
      'div',
      { class: 'row' },
      site.root,
      h('label', {}, t('notices.kind'), kind),
      h('label', {}, t('notices.ttl'), ttl),
    ),
    redirectRow,
    h('label', { class: 'block' }, t('notices.message'), message),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', 'data-action': 'post-notice', onclick: () => void post() }, t('notices.post')),
    ),
    status,
    h('h3', {}, t('notices.active')),
    list,
  );
}
