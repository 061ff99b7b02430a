// The response header of `GET /api/live` naming the version sequence its body's version belongs to
// (versions restart with the server process). A compact socket resumes from that version only
// within the same sequence (shared/compact-feed.ts). Its own module: the resident page's first,
// small script reads it, and must not pull in the feed's schemas.
export const LIVE_EPOCH_HEADER = 'X-Live-Epoch';
