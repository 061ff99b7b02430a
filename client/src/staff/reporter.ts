// The reporting loop of one enrolled tablet: the values on screen (the draft) become absolute
// reports through the coalescer, the outbox and the sender; the screen follows `ReporterState`.
import type { PauseReason, SiteStatus, StaffReport } from '../../../shared/schemas.js';
import { newReportId, serverNow } from './api.js';
import { Coalescer } from './coalesce.js';
import type { Outbox, OutboxEntry } from './outbox.js';
import { Sender, type RawAnswer, type SenderEvent } from './sender.js';

export interface Draft {
  queue: number;
  lanesOpen: number;
  status: SiteStatus;
  pauseReason: PauseReason | null;
}

export interface Notice {
  kind: 'info' | 'error';
  key: string;
  params: Record<string, string | number>;
  at: number;
}

export interface ReporterState {
  draft: Draft;
  /** A change is waiting for the coalescing window to end. */
  collecting: boolean;
  pending: readonly OutboxEntry[];
  sending: boolean;
  /** Next automatic retry (client clock) while the server is busy or unreachable. */
  retryAt: number | null;
  retryReason: string | null;
  lastConfirmed: { at: number; queue: number } | null;
  notices: readonly Notice[];
  revoked: boolean;
}

export interface ReporterDeps {
  siteId: string;
  outbox: Outbox;
  initial: Draft;
  post(entry: OutboxEntry): Promise<RawAnswer>;
  onRevoked(): void;
}

const CONFIRMED_KEY = 'shortline.staff.confirmed';
const DRAFT_KEY = 'shortline.staff.draft';
const MAX_NOTICES = 3;

export const MAX_QUEUE = 10_000;
export const clampQueue = (n: number) => Math.max(0, Math.min(MAX_QUEUE, Math.round(n)));

function stored<T>(key: string): T | null {
  try {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function store(key: string, value: unknown): void {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    /* display state only */
  }
}

/** The draft this tablet last showed for `siteId`, so a reload starts where the staff left off. */
export function savedDraft(siteId: string): Draft | null {
  const d = stored<Draft & { siteId: string }>(DRAFT_KEY);
  return d && d.siteId === siteId
    ? { queue: d.queue, lanesOpen: d.lanesOpen, status: d.status, pauseReason: d.pauseReason }
    : null;
}

export function toReport(d: Draft, madeAt: number): StaffReport {
  const r: StaffReport = {
    reportId: newReportId(),
    queue: d.queue,
    lanesOpen: d.lanesOpen,
    status: d.status,
    observedAt: new Date(serverNow(madeAt)).toISOString(),
  };
  if (d.status === 'paused' && d.pauseReason) r.pauseReason = d.pauseReason;
  return r;
}

export class Reporter {
  state: ReporterState;
  private readonly listeners = new Set<(s: ReporterState) => void>();
  private readonly coalescer: Coalescer<Draft>;
  readonly sender: Sender;
  /** When the draft was last changed on this tablet (server clock), to tell whose values are newer. */
  private changedAt: number;

  constructor(private readonly deps: ReporterDeps) {
    this.state = {
      draft: deps.initial,
      collecting: false,
      pending: deps.outbox.entries,
      sending: false,
      retryAt: null,
      retryReason: null,
      lastConfirmed: stored(CONFIRMED_KEY),
      notices: [],
      revoked: false,
    };
    this.changedAt = stored<{ changedAt?: number }>(DRAFT_KEY)?.changedAt ?? 0;
    this.coalescer = new Coalescer<Draft>((d, madeAt) => void this.enqueue(d, madeAt));
    this.sender = new Sender({
      outbox: deps.outbox,
      post: deps.post,
      onEvent: (e) => this.onSent(e),
      onSending: (entry) => this.set({ sending: entry !== null }),
    });
    deps.outbox.onChange((pending) => this.set({ pending }));
  }

  subscribe(l: (s: ReporterState) => void): () => void {
    this.listeners.add(l);
    l(this.state);
    return () => this.listeners.delete(l);
  }

  /** Any change on screen: shown at once, sent once the taps stop. */
  change(patch: Partial<Draft>): void {
    if (this.state.revoked) return;
    const draft = { ...this.state.draft, ...patch };
    draft.queue = clampQueue(draft.queue);
    if (draft.status !== 'paused') draft.pauseReason = null;
    this.changedAt = serverNow();
    this.saveDraft(draft);
    this.set({ draft, collecting: true });
    this.coalescer.push(draft);
  }

  /** "Still correct": the same values again with a new time, so the public number stays fresh. */
  reconfirm(): void {
    this.change({});
  }

  /**
   * Adopts values reported for this site at `atMs` (server clock), e.g. by a second tablet, when
   * they are newer than this tablet's own last change and nothing of its own is in flight.
   */
  adopt(draft: Draft, atMs: number): void {
    if (this.state.collecting || this.state.pending.length > 0 || atMs <= this.changedAt) return;
    this.changedAt = atMs;
    this.saveDraft(draft);
    this.set({ draft });
  }

  private saveDraft(draft: Draft): void {
    store(DRAFT_KEY, { ...draft, siteId: this.deps.siteId, changedAt: this.changedAt });
  }

  /** The page is being hidden or closed: whatever is being collected goes to the outbox now. */
  flush(): void {
    this.coalescer.flush();
  }

  /** The network is back, or the socket reconnected. */
  retryNow(): void {
    this.sender.kick();
  }

  revoke(): void {
    this.coalescer.flush();
    this.sender.pause();
    this.set({ revoked: true, collecting: false });
  }

  private async enqueue(draft: Draft, madeAt: number): Promise<void> {
    try {
      await this.deps.outbox.add(this.deps.siteId, toReport(draft, madeAt), madeAt);
    } finally {
      this.set({ collecting: this.coalescer.pending });
    }
    this.sender.kick();
  }

  private onSent({ entry, verdict, retryAt }: SenderEvent): void {
    const n = entry.report.queue;
    switch (verdict.kind) {
      case 'applied': {
        const lastConfirmed = { at: Date.now(), queue: n };
        store(CONFIRMED_KEY, lastConfirmed);
        return this.set({ lastConfirmed, retryAt: null, retryReason: null });
      }
      case 'outdated':
        return this.notify('info', 'msg.outdated', { n }, { retryAt: null, retryReason: null });
      case 'retry':
        return this.set({ retryAt: retryAt ?? null, retryReason: verdict.reason });
      case 'revoked':
        // The page decides what revocation means (screen, feed); it calls revoke() back.
        return this.deps.onRevoked();
      case 'rejected':
        return this.notify('error', 'msg.rejected', { n, code: verdict.code }, { retryAt: null, retryReason: null });
    }
  }

  private notify(kind: Notice['kind'], key: string, params: Notice['params'], patch: Partial<ReporterState>): void {
    const notices = [{ kind, key, params, at: Date.now() }, ...this.state.notices].slice(0, MAX_NOTICES);
    this.set({ ...patch, notices });
  }

  dismiss(at: number): void {
    this.set({ notices: this.state.notices.filter((n) => n.at !== at) });
  }

  private set(patch: Partial<ReporterState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l(this.state);
  }
}
