// /wall/admin: asks for the admin token once, checks it against the server, keeps it for the
// session (or on this computer when asked), then shows tokens, printing and notices.
import { MetaSchema, SiteSchema, type Site } from '../../../../shared/schemas.js';
import { h } from '../../lib/dom.js';
import { setLang } from '../../lib/i18n.js';
import { pageLang, wallTranslator, type T } from '../i18n.js';
import { AdminApi, ApiError, forgetToken, savedToken, saveToken } from './api.js';
import type { AdminCtx } from './context.js';
import { errorText } from './errors.js';
import { ADMIN } from './i18n.js';
import { noticesSection } from './notices-admin.js';
import { PrintArea } from './print.js';
import { printSection } from './print-section.js';
import { sitePicker } from './site-picker.js';
import { tokensSection } from './tokens.js';
import './admin.css';

/** Checks a token with a harmless admin read; answers null when it works, else what to tell the user. */
async function check(t: T, token: string): Promise<string | null> {
  try {
    await new AdminApi(token).call('GET', '/api/admin/staff-tokens?siteId=-');
    return null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return t('login.wrong');
    if (err instanceof ApiError && err.code === 'admin_disabled') return t('login.disabled');
    return errorText(t, err);
  }
}

export async function startAdmin(root: HTMLElement): Promise<void> {
  const lang = pageLang();
  document.documentElement.lang = lang;
  const t = wallTranslator(lang, ADMIN);
  document.title = t('admin.title');
  root.className = 'admin';

  const [meta, sites] = await Promise.all([
    fetch('/api/meta')
      .then((r) => r.json())
      .then((j) => MetaSchema.parse(j)),
    fetch('/api/sites')
      .then((r) => r.json())
      .then((j: { sites: unknown }) => SiteSchema.array().parse(j.sites)),
  ]);

  const showLogin = (message = '') => {
    const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true });
    const remember = h('input', { type: 'checkbox', name: 'remember' });
    const error = h('p', { class: 'error', 'data-login-error': '' }, message);
    const form = h(
      'form',
      { class: 'login', 'data-form': 'login' },
      h('h1', {}, t('login.title')),
      h('label', {}, t('login.token'), token),
      h('label', { class: 'check' }, remember, t('login.remember')),
      h('button', { type: 'submit' }, t('login.submit')),
      error,
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const value = token.value.trim();
      const problem = await check(t, value);
      if (problem) {
        error.textContent = problem;
        return;
      }
      saveToken(value, remember.checked);
      showAdmin(value);
    });
    root.replaceChildren(header(false), form);
    token.focus();
  };

  const header = (signedIn: boolean) => {
    const langBtn = h('button', { type: 'button', class: 'ghost', 'data-action': 'lang' }, t('lang.switch'));
    langBtn.addEventListener('click', () => {
      setLang(lang === 'en' ? 'zh-CN' : 'en');
      const url = new URL(location.href);
      // Only a changed query reloads: the same address with its #tab would merely scroll.
      if (!url.searchParams.has('lang')) return location.reload();
      url.searchParams.delete('lang');
      location.href = url.toString();
    });
    const forget = h('button', { type: 'button', class: 'ghost', 'data-action': 'forget' }, t('forget'));
    forget.addEventListener('click', () => {
      forgetToken();
      showLogin();
    });
    return h(
      'header',
      { class: 'admin-head no-print' },
      h('h1', {}, t('admin.title')),
      meta.demo ? h('span', { class: 'badge-demo' }, t('demo')) : null,
      h('span', { class: 'spacer' }),
      h('a', { href: `/wall${location.search}` }, t('admin.toWall')),
      langBtn,
      signedIn ? forget : null,
    );
  };

  const showAdmin = (token: string) => {
    const api = new AdminApi(token);
    api.onUnauthorized = () => {
      forgetToken();
      showLogin(t('login.expired'));
    };
    const byId = new Map<string, Site>(sites.map((s) => [s.id, s]));
    const print = new PrintArea(t);
    const ctx: AdminCtx = {
      api,
      t,
      sites,
      byId,
      print,
      timezone: meta.timezone,
      origin: meta.publicUrl ?? location.origin,
      picker: (name, anySite) =>
        sitePicker(
          sites,
          {
            district: t('pick.district'),
            site: t('pick.site'),
            anyDistrict: t('pick.anyDistrict'),
            anySite: anySite ?? t('pick.anySite'),
          },
          name,
        ),
      fail: (where, err) => {
        where.textContent = errorText(t, err);
        where.dataset.error = 'true';
      },
    };
    // Tabs: each section on its own, chosen by the address's hash (#notices), so a link opens it.
    const sections = { tokens: tokensSection(ctx), notices: noticesSection(ctx), print: printSection(ctx) } as const;
    type Tab = keyof typeof sections;
    const buttons = (Object.keys(sections) as Tab[]).map((k) =>
      h(
        'button',
        { type: 'button', class: 'ghost', role: 'tab', 'data-tab': k, onclick: () => show(k) },
        t(`tab.${k}`),
      ),
    );
    const show = (k: Tab) => {
      for (const [name, el] of Object.entries(sections)) el.hidden = name !== k;
      for (const b of buttons) b.setAttribute('aria-selected', String(b.dataset.tab === k));
      if (location.hash !== `#${k}`) history.replaceState(null, '', `#${k}`);
    };
    const first = location.hash.slice(1);
    show(first in sections ? (first as Tab) : 'tokens');
    root.replaceChildren(
      header(true),
      h('nav', { class: 'tabs no-print', role: 'tablist' }, ...buttons),
      h('main', { class: 'no-print' }, ...Object.values(sections)),
      print.root,
    );
  };

  const saved = savedToken();
  if (!saved) return showLogin();
  const problem = await check(t, saved);
  if (problem) {
    // A token the server refuses is forgotten; a server that is just unreachable is not a reason to.
    if (problem === t('login.wrong') || problem === t('login.disabled')) forgetToken();
    return showLogin(problem);
  }
  showAdmin(saved);
}
