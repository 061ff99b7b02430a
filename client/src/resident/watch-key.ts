// Where this device keeps its watches ("notify me"), apart from the watch code itself: the page
// asks at start whether any are kept, to load that code (watch-view.ts, a chunk of its own) only then.
export const WATCHES_KEY = 'shortline.watches';

export function hasKeptWatches(): boolean {
  try {
    return localStorage.getItem(WATCHES_KEY) !== null;
  } catch {
    // Storage blocked (private mode, a policy): nothing kept.
    return false;
  }
}
