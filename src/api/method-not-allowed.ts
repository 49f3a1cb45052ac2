import type { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';

/**
 * The methods an app answers at a path, for `405` and its `Allow` header; empty when no route has
 * the path (a 404). Built once from the app's routes, after they are all registered; middleware
 * registered for every path (`use('*')`) is not a route.
 */
export function allowedMethods(app: Hono<any>): (path: string) => string[] {
  let router: TrieRouter<string> | undefined;
  return (path) => {
    if (!router) {
      router = new TrieRouter<string>();
      for (const route of app.routes) {
        if (route.path === '/*' || route.method === 'HEAD') continue;
        router.add('ALL', route.path, route.method);
      }
    }
    const methods = new Set<string>();
    for (const [method] of router.match('GET', path)[0]) {
      if (method === 'ALL') return [];
      methods.add(method);
      if (method === 'GET') methods.add('HEAD');
    }
    if (methods.size > 0) methods.add('OPTIONS');
    return [...methods];
  };
}
