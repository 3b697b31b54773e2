import { loginInContainer } from '../../app/login-in-container.js';
import { hostCredentialStore } from '../../auth/credential-store.js';
import {
  credentialFromEnv,
  credentialKind,
  describeKind,
  describeOrigin,
  describeScope,
  maskCredential,
  serviceName,
  type Credential,
  type CredentialOrigin,
  type CredentialService,
} from '../../auth/credential.js';
import { UsageError, UserError } from '../../errors.js';
import { locateProject } from '../../project/locate.js';
import type { ProjectIdentity } from '../../project/identity.js';
import type { CommandContext } from '../context.js';
import type { CommandHandler } from '../command-table.js';
import { tokenFromStdin } from './token-input.js';

/** `--project DIR`: the credential is that project's own; without it, shared by all projects. */
function scopeProject(ctx: CommandContext): ProjectIdentity | undefined {
  if (ctx.args.positionals.length) {
    throw new UsageError(
      `Unexpected argument "${ctx.args.positionals[0]}".`,
      'Name a project with --project DIR.',
    );
  }
  const dir = ctx.args.flags.project;
  return typeof dir === 'string' ? locateProject(dir, ctx.cwd) : undefined;
}

function serviceOf(ctx: CommandContext): CredentialService {
  return ctx.args.flags.github ? 'github' : 'claude';
}

function storeOf(ctx: CommandContext) {
  return ctx.credentials ?? hostCredentialStore(ctx.env);
}

async function obtain(
  ctx: CommandContext,
  service: CredentialService,
  project: ProjectIdentity | undefined,
  keep: (credential: { value: string; from: CredentialOrigin }) => Promise<void>,
): Promise<void> {
  if (ctx.args.flags['token-stdin'] && ctx.args.flags['from-env']) {
    throw new UsageError('--token-stdin and --from-env cannot be used together.');
  }
  if (ctx.args.flags['token-stdin']) return keep({ value: await tokenFromStdin(ctx), from: 'token-stdin' });
  if (ctx.args.flags['from-env']) return keep(credentialFromEnv(service, ctx.env));
  if (service === 'github') {
    throw new UsageError(
      'A GitHub token is passed in, not made here.',
      'Use --token-stdin (gh auth token | claude-tui login --github --token-stdin) or --from-env (GH_TOKEN).',
    );
  }
  if (!ctx.terminal.stdin.isTTY || !ctx.terminal.stdout.isTTY) {
    throw new UserError(
      'login needs a terminal to show the sign-in link and take the code, and stdin or stdout is not one.',
      'Without a terminal, pipe a token in: printf %s "$TOKEN" | claude-tui login --token-stdin',
    );
  }
  await loginInContainer(ctx, project, ctx.terminal, ctx.out.progress, (value) =>
    keep({ value, from: 'login' }),
  );
}

export const loginCommand: CommandHandler = async (ctx) => {
  const project = scopeProject(ctx);
  const service = serviceOf(ctx);
  await obtain(ctx, service, project, async ({ value, from }) => {
    const kind = credentialKind(service, value);
    await storeOf(ctx).save(service, project?.dir, { value, from, savedAt: new Date().toISOString() });
    const scope = project ? `for ${project.dir} only` : 'for all projects';
    ctx.out.note(
      `Saved the ${describeKind(kind)} ${maskCredential(value)} ${scope}; new sessions get it (running ones keep theirs).`,
    );
  });
};

export const logoutCommand: CommandHandler = async (ctx) => {
  const project = scopeProject(ctx);
  const service = serviceOf(ctx);
  const removed = await storeOf(ctx).remove(service, project?.dir);
  const scope = project ? `of ${project.dir}` : 'shared by all projects';
  if (!removed) {
    ctx.out.note(`No ${serviceName(service)} credential ${scope} was stored; nothing changed.`);
    return 1;
  }
  ctx.out.note(
    `Removed the ${serviceName(service)} credential ${scope}. Running sessions keep theirs until they end; a login made inside a session (/login) stays in that project's home.`,
  );
};

export const whoamiCommand: CommandHandler = async (ctx) => {
  // The project here (or named) decides: its own credential wins over the shared one.
  const dir = ctx.args.flags.project;
  const project = locateProject(typeof dir === 'string' ? dir : undefined, ctx.cwd);
  const store = storeOf(ctx);
  const [claude, github] = await Promise.all([
    store.resolve('claude', project.dir),
    store.resolve('github', project.dir),
  ]);
  if (ctx.args.flags.json) {
    ctx.out.json({ claude: describeForJson(claude), github: describeForJson(github) });
    return;
  }
  ctx.out.line(
    `Claude: ${describe(claude, 'none stored; sessions use a login made inside them (/login), if any. Run `claude-tui login`.')}`,
  );
  ctx.out.line(`GitHub: ${describe(github, 'none (opt in with `claude-tui login --github --token-stdin`)')}`);
};

function describe(credential: Credential | undefined, none: string): string {
  if (!credential) return none;
  const saved = credential.savedAt.slice(0, 10);
  return `${describeKind(credential.kind)} ${maskCredential(credential.value)}, ${describeScope(credential.scope)}, from ${describeOrigin(credential.from)} on ${saved}`;
}

function describeForJson(credential: Credential | undefined) {
  if (!credential) return null;
  return {
    kind: credential.kind,
    masked: maskCredential(credential.value),
    scope: credential.scope,
    from: credential.from,
    savedAt: credential.savedAt,
  };
}
