// Placeholder; filled in by its page's issue.
import { h } from '../lib/dom.js';
document.getElementById('app')!.append(h('p', {}, 'wall'));
