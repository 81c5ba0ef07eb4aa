/** Worker entry: the site's router behind the method guard. */
import { createGuard } from './guard.ts';
import router from './routes.ts';

export default createGuard(router);
