/** The limit: every request straight to the origin, nothing decided. */
import { forward } from './forward.ts';

export default { fetch: forward };
