/** Worker entry: the site's router behind the method guard, from the package's public entry. */
import { createGuard } from 'method-guard';
import router from './routes.ts';

export default createGuard(router);
