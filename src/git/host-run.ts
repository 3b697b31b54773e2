/**
 * Which changed files run on the host later, once they are on the person's branch: CI workflows,
 * git hooks, editor tasks, dev containers, direnv, make, npm scripts, and anything made executable.
 * Picking such a file needs a second yes. Pure: the caller reads the blobs.
 *
 * Folders and names count at any depth, not only at the top: a sub-folder may be opened in an
 * editor, entered with direnv, or built with make on its own, and a false flag costs one more yes
 * where a missed one runs the agent's code.
 */

export interface FileChangeFacts {
  path: string;
  /** Renames: the path before. */
  oldPath?: string;
  /** Git modes as raw diff output gives them: 000000 (absent), 100644, 100755, 120000, 160000. */
  oldMode: string;
  newMode: string;
}

const FOLDERS: [string, string][] = [
  ['.github/workflows/', 'GitHub workflow'],
  ['.husky/', 'git hook (husky)'],
  ['.githooks/', 'git hook'],
  ['.vscode/', 'VS Code settings or tasks'],
  ['.devcontainer/', 'dev container config'],
  ['.idea/', 'JetBrains IDE settings (run configurations)'],
  ['.cargo/', 'cargo config (build runners, aliases)'],
];

const NAMES: [RegExp, string][] = [
  [/^\.envrc$/, 'direnv .envrc'],
  [/^(GNUmakefile|[Mm]akefile)$/, 'Makefile'],
  // What git itself, a package manager or a hook runner reads and acts on.
  [/^\.gitattributes$/, 'git attributes (filters, diff drivers)'],
  [/^\.gitmodules$/, 'git submodules'],
  [/^\.lfsconfig$/, 'git-lfs config (its server)'],
  [/^\.pre-commit-config\.ya?ml$/, 'pre-commit hooks'],
  [/^\.(npmrc|yarnrc|yarnrc\.yml|pnpmfile\.cjs)$/, 'package manager config'],
  [/^\.(tool-versions|mise\.toml|nvmrc)$/, 'tool version manager config'],
];

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Whether the change's package.json scripts need comparing (the caller then reads both sides). */
export const isPackageJson = (path: string) => baseName(path) === 'package.json';

function pathReason(path: string): string | undefined {
  const slashed = `/${path}`;
  for (const [folder, reason] of FOLDERS) if (slashed.includes(`/${folder}`)) return reason;
  const name = baseName(path);
  for (const [pattern, reason] of NAMES) if (pattern.test(name)) return reason;
  return undefined;
}

/**
 * Why this change runs on the host, or undefined. `packageScriptsChanged` is asked only for a
 * package.json (see scriptsChanged).
 */
export function hostRunReason(
  change: FileChangeFacts,
  packageScriptsChanged: () => boolean = () => false,
): string | undefined {
  const byPath = pathReason(change.path) ?? (change.oldPath ? pathReason(change.oldPath) : undefined);
  if (byPath) return byPath;
  if (change.newMode === '100755' && change.oldMode !== '100755') {
    return change.oldMode === '000000' ? 'new executable file' : 'made executable';
  }
  // A link may lead a folder that runs on the host (.vscode -> elsewhere/) past every name above.
  if (change.newMode === '120000')
    return change.oldMode === '120000' ? 'a symbolic link, retargeted' : 'a symbolic link';
  if (isPackageJson(change.path) && packageScriptsChanged()) return 'package.json scripts';
  return undefined;
}

/**
 * Whether the `scripts` object differs between two package.json texts (undefined: the file is
 * absent on that side). Compared as parsed JSON, so formatting and key order do not count; a side
 * that does not parse counts as changed, since npm's own reading of it is unknown.
 */
export function scriptsChanged(before: string | undefined, after: string | undefined): boolean {
  const scripts = (text: string | undefined): { ok: boolean; value: unknown } => {
    if (text === undefined) return { ok: true, value: undefined };
    try {
      const parsed: unknown = JSON.parse(text);
      const value =
        parsed !== null && typeof parsed === 'object'
          ? (parsed as Record<string, unknown>).scripts
          : undefined;
      return { ok: true, value };
    } catch {
      return { ok: false, value: undefined };
    }
  };
  const a = scripts(before);
  const b = scripts(after);
  if (!a.ok || !b.ok) return true;
  return !sameJson(a.value, b.value);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a).sort();
  const bKeys = Object.keys(b).sort();
  if (aKeys.length !== bKeys.length || aKeys.some((key, i) => key !== bKeys[i])) return false;
  return aKeys.every((key) =>
    sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}
