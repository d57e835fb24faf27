/**
 * `pnpm release:pack`: every publishable package's `npm pack` tarball in `dist-packages/`
 * (git-ignored), as `pnpm publish` would upload it (`workspace:*` replaced by the versions).
 * `pnpm release:pack` builds first; `test/packaging` packs the built packages the same way.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..');

/** A publishable workspace package: its directory and manifest. */
export interface WorkspacePackage {
  readonly dir: string;
  readonly name: string;
  readonly version: string;
}

/** Every package under `packages/` (none is private). */
export function workspacePackages(): WorkspacePackage[] {
  const base = join(ROOT, 'packages');
  return readdirSync(base)
    .filter((entry) => existsSync(join(base, entry, 'package.json')))
    .map((entry) => {
      const manifest = JSON.parse(readFileSync(join(base, entry, 'package.json'), 'utf8')) as { name: string; version: string };
      return { dir: join(base, entry), name: manifest.name, version: manifest.version };
    });
}

/** The file name `npm pack` gives a package's tarball (`@paceline/core` → `paceline-core-0.1.0.tgz`). */
export function tarballName(pkg: Pick<WorkspacePackage, 'name' | 'version'>): string {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.version}.tgz`;
}

/**
 * Pack every package into `destination` (emptied first) and return the tarballs' paths by
 * package name. Throws when a package has not been built.
 */
export function packWorkspace(destination: string): Map<string, string> {
  const packages = workspacePackages();
  const unbuilt = packages.filter((pkg) => !existsSync(join(pkg.dir, 'dist', 'index.js')));
  if (unbuilt.length > 0) throw new Error(`not built: ${unbuilt.map((p) => p.name).join(', ')}; run pnpm build first`);
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  execFileSync('pnpm', ['--recursive', '--filter', './packages/*', 'pack', '--pack-destination', destination], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const tarballs = new Map<string, string>();
  for (const pkg of packages) {
    const path = join(destination, tarballName(pkg));
    if (!existsSync(path)) throw new Error(`pnpm pack wrote no ${tarballName(pkg)} for ${pkg.name}`);
    tarballs.set(pkg.name, path);
  }
  return tarballs;
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const destination = join(ROOT, 'dist-packages');
  const tarballs = packWorkspace(destination);
  for (const [name, path] of tarballs)
    console.log(`${name.padEnd(28)} ${(statSync(path).size / 1024).toFixed(1).padStart(8)} KiB  ${path}`);
  console.log(`\n${tarballs.size} tarballs in ${destination}; install with: npm install ${destination}/*.tgz`);
}
