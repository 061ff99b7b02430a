// A level's look: colour and glyph (the shape is in map/shapes.ts). Kept free of the DOM and of
// the dictionaries so the feed worker, which paints the map, can import it cheaply.
import type { Level } from '../../../shared/schemas.js';

/** Paused is a status, not a level, but residents must see it as plainly as a level. */
export type Look = Level | 'paused';

export const GLYPH: Record<Look, string> = {
  low: '●',
  medium: '◆',
  high: '▲',
  closed: '✕',
  unknown: '?',
  paused: '‖',
};

/** Fill colours; every one has AA contrast with its chip text colour (see resident.css). */
export const COLOUR: Record<Look, string> = {
  low: '#1b7a36',
  medium: '#f2b705',
  high: '#c62828',
  closed: '#455a64',
  unknown: '#bdbdbd',
  paused: '#6a1b9a',
};
