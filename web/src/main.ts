// The entry: the session is restored (refresh cookie → token → /me) while the rest of the console's
// JavaScript loads and is evaluated (app.ts: Vue, Element Plus, the router), instead of after it.
import { restoreEarly } from './stores/early'

if (!location.pathname.startsWith('/login')) restoreEarly()
void import('./app')
