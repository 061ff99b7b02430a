// Per-device display preferences: large-text high-contrast mode for elderly residents.
const ELDERLY_KEY = 'shortline.elderly';

export function elderlyMode(): boolean {
  try {
    return localStorage.getItem(ELDERLY_KEY) === '1';
  } catch {
    return false;
  }
}

export function setElderlyMode(on: boolean): void {
  try {
    localStorage.setItem(ELDERLY_KEY, on ? '1' : '0');
  } catch {
    /* storage blocked: the mode still applies to this page view */
  }
  document.documentElement.classList.toggle('elderly', on);
}
