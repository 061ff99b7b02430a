// What the map needs once a resident has a start point or opens a site: the recommendations'
// numbers, the selected site's ring and its centring. A chunk of its own (with marks.css), loaded
// on first need by map/view.ts, so that the first download of `/` stays within its budget
// (e2e/pages/resident/budget.test.ts).
import './marks.css';

export { centreInView } from './centre.js';
export { RankMarks } from './rank-marks.js';
export { SelectedMark } from './selected-mark.js';
