// TypeDoc plugin: name each module of the API reference after its package (`@paceline/core`)
// instead of its entry point's path (`core/src`), so the reference reads like the imports.
import { readFileSync } from 'node:fs';
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const dir = /^([^/]+)\/src$/.exec(module.name)?.[1];
      if (!dir) continue;
      try {
        const manifest = JSON.parse(readFileSync(new URL(`../packages/${dir}/package.json`, import.meta.url), 'utf8'));
        if (typeof manifest.name === 'string') module.name = manifest.name;
      } catch {
        // not a package directory: keep the path
      }
    }
  });
}
