// POST /api/admin/enrolment-links: one tablet link per site for an enrolment sheet, in one request.
// A site's existing link is printed again when its sealed copy opens (auth/staff-links.ts); a new
// one is made when the site has none, when rotation is asked, or when its links cannot be printed
// again. Links replaced that way are revoked through the one revocation path, so their tablets
// are signed out at once on every instance.
//
// Order, so that a failure answers an error and shows no link: everything is checked first (an
// unknown site is a 400 before anything is read or written); the new links are stored in one
// transaction (a failure there stores none and revokes none); then the replaced links are revoked.
// If a revocation fails the answer is 503: the new links are stored but were never shown, and the
// old links not yet revoked still work; the same request again completes the job.
import express, { Router, type Request } from 'express';
import {
  EnrolmentLinksRequestSchema,
  type EnrolmentLink,
  type EnrolmentLinks,
  type EnrolmentLinksRequest,
  type EnrolmentLinkStatus,
} from '../../shared/enrolment.js';
import type { StaffLinks } from '../auth/staff-links.js';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import type { StaffTokenRecord } from '../store/types.js';
import { parse } from '../validate.js';

/** Revocations in flight at once: the embedded store commits them together, Redis pipelines them. */
const REVOKE_CONCURRENCY = 64;

export interface EnrolmentDeps {
  links: StaffLinks;
  /** The admin routes' one revocation path (store, this instance's cache and sockets, log). */
  revoke(tokenId: string): Promise<unknown>;
  enrollUrl(req: Request, token: string): string;
}

interface Plan {
  siteId: string;
  status: EnrolmentLinkStatus;
  /** The link printed: an existing record and its token, or a new one. */
  rec: StaffTokenRecord;
  token: string;
  fresh: boolean;
  revoke: string[];
}

/** What each site gets, from its active tokens (oldest first). Reads only; decides everything. */
function plan(
  deps: EnrolmentDeps,
  body: EnrolmentLinksRequest,
  active: Map<string, StaffTokenRecord[]>,
  nowMs: number,
) {
  return body.siteIds.map((siteId): Plan => {
    const recs = active.get(siteId) ?? [];
    if (!body.rotate) {
      const printable = recs.map((rec) => ({ rec, token: deps.links.reprint(rec) }));
      // The oldest printable link, so a sheet prints the same link until someone rotates.
      const keep = printable.find((p) => p.token !== null);
      const unprintable = printable.filter((p) => p.token === null).map((p) => p.rec.tokenId);
      if (keep)
        return { siteId, status: 'reused', rec: keep.rec, token: keep.token!, fresh: false, revoke: unprintable };
    }
    const { rec, token } = deps.links.issue(siteId, body.label ?? null, nowMs);
    const status = recs.length === 0 ? 'new' : body.rotate ? 'rotated' : 'replaced';
    return { siteId, status, rec, token, fresh: true, revoke: recs.map((r) => r.tokenId) };
  });
}

export function enrolmentRoutes(ctx: AppContext, deps: EnrolmentDeps): Router {
  const r = Router();

  async function enrol(req: Request, body: EnrolmentLinksRequest): Promise<EnrolmentLinks> {
    const wanted = new Set(body.siteIds);
    const active = new Map<string, StaffTokenRecord[]>();
    for (const rec of await ctx.store.listStaffTokens()) {
      if (wanted.has(rec.siteId)) active.set(rec.siteId, [...(active.get(rec.siteId) ?? []), rec]);
    }
    const plans = plan(deps, body, active, ctx.clock.now());
    await ctx.store.createStaffTokens(plans.filter((p) => p.fresh).map((p) => p.rec));
    const revoke = plans.flatMap((p) => p.revoke);
    for (let i = 0; i < revoke.length; i += REVOKE_CONCURRENCY) {
      await Promise.all(revoke.slice(i, i + REVOKE_CONCURRENCY).map((id) => deps.revoke(id)));
    }
    const counts: Partial<Record<EnrolmentLinkStatus, number>> = {};
    for (const p of plans) counts[p.status] = (counts[p.status] ?? 0) + 1;
    ctx.logger.info({ ...counts, revoked: revoke.length }, 'enrolment links made');
    const links = plans.map((p): EnrolmentLink => ({
      siteId: p.siteId,
      tokenId: p.rec.tokenId,
      token: p.token,
      enrollUrl: deps.enrollUrl(req, p.token),
      status: p.status,
      revoked: p.revoke,
    }));
    return { links };
  }

  r.post('/enrolment-links', express.json({ limit: '400kb', type: () => true }), async (req, res) => {
    const body = parse(EnrolmentLinksRequestSchema, req.body);
    const unknown = body.siteIds.flatMap((id, i) =>
      ctx.engine.site(id) ? [] : [{ path: `siteIds.${i}`, message: 'No such site.' }],
    );
    if (unknown.length) {
      throw new AppError(400, 'unknown_site', 'No such site.', { issues: unknown.slice(0, 50) });
    }
    // One sheet at a time across all instances, so two presses at once cannot both see "no link
    // yet" for a site and both make one.
    res.json(await ctx.store.exclusive('enrolment', () => enrol(req, body)));
  });
  return r;
}
