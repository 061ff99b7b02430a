// One page, two modes: /wall is the unattended display, /wall/admin the command centre's admin tools.
import '../lib/zod-csp.js';
const root = document.getElementById('app')!;

if (/^\/wall\/admin\/?$/.test(location.pathname)) {
  void import('./admin/admin.js').then((m) => m.startAdmin(root));
} else {
  void import('./wall.js').then((m) => m.startWall(root));
}
