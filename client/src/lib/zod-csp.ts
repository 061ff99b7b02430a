// zod probes for eval support with `new Function('')` the first time it parses an object; under
// our strict CSP (no 'unsafe-eval') that probe is blocked and logged as a violation. Telling zod
// up front not to try keeps the console clean; the pages parse small bodies, so speed is moot.
import { z } from 'zod';

z.config({ jitless: true });
