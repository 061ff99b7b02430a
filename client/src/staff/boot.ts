// From the address and the device's storage to an enrolled tablet: takes an enrolment token out
// of the URL, asks the server which site the token belongs to, and falls back to what this tablet
// knew before when the network is down.
import type { LiveState, Site } from '../../../shared/schemas.js';
import { fetchMe, fetchSite } from './api.js';
import {
  loadEnrolment,
  loadSite,
  newEnrolment,
  persistStorage,
  saveEnrolment,
  saveSite,
  takeTokenFromUrl,
  type Enrolment,
} from './enrol.js';
import { IdbOutboxStorage } from './outbox-idb.js';
import { MemoryOutboxStorage, Outbox } from './outbox.js';

export type Boot =
  | { kind: 'notEnrolled' }
  | { kind: 'revoked'; enrolment: Enrolment }
  | { kind: 'needNetwork'; enrolment: Enrolment }
  | { kind: 'ready'; enrolment: Enrolment & { siteId: string }; site: Site | null; live: LiveState | null };

/** Step one, synchronous, before anything can be logged or bookmarked: the token leaves the URL. */
export function enrolFromUrl(): Enrolment | null {
  const token = takeTokenFromUrl();
  const stored = loadEnrolment();
  if (!token) return stored;
  void persistStorage();
  if (stored?.token === token) return stored;
  const fresh = newEnrolment(token);
  saveEnrolment(fresh);
  return fresh;
}

export async function openOutbox(): Promise<{ outbox: Outbox; storageOk: boolean }> {
  try {
    const outbox = new Outbox(await IdbOutboxStorage.open());
    await outbox.load();
    return { outbox, storageOk: true };
  } catch (err) {
    console.warn('IndexedDB unavailable; the outbox lasts only as long as this page', err);
    return { outbox: new Outbox(new MemoryOutboxStorage()), storageOk: false };
  }
}

/** Confirms the token with the server; works from what is stored when the server is unreachable. */
export async function resolveEnrolment(enrolment: Enrolment | null): Promise<Boot> {
  if (!enrolment) return { kind: 'notEnrolled' };
  let e = enrolment;
  const me = await fetchMe(e.token);
  if (me.ok) {
    e = { ...e, tokenId: me.data.tokenId, siteId: me.data.siteId, label: me.data.label, revokedAt: null };
    saveEnrolment(e);
  } else if (me.status === 401) {
    e = { ...e, revokedAt: e.revokedAt ?? Date.now() };
    saveEnrolment(e);
    return { kind: 'revoked', enrolment: e };
  } else if (e.revokedAt) {
    return { kind: 'revoked', enrolment: e };
  }
  if (!e.siteId) return { kind: 'needNetwork', enrolment: e };
  const siteId = e.siteId;

  let site = loadSite();
  if (site?.id !== siteId) site = null;
  let live: LiveState | null = null;
  const fetched = await fetchSite(siteId);
  if (fetched.ok) {
    site = fetched.data.site;
    live = fetched.data.live;
    saveSite(site);
  }
  return { kind: 'ready', enrolment: { ...e, siteId }, site, live };
}

/** An enrolment the server confirmed before and not known revoked: ready without asking again. */
export function fromStorage(e: Enrolment | null): Extract<Boot, { kind: 'ready' }> | null {
  if (!e?.siteId || e.revokedAt) return null;
  const site = loadSite();
  return {
    kind: 'ready',
    enrolment: { ...e, siteId: e.siteId },
    site: site?.id === e.siteId ? site : null,
    live: null,
  };
}

/** Marks the stored enrolment revoked, so a reload still explains it instead of trying again. */
export function markRevoked(): void {
  const e = loadEnrolment();
  if (e && !e.revokedAt) saveEnrolment({ ...e, revokedAt: Date.now() });
}
