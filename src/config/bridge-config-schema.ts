import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { namesRoot, refusedEnvName } from './bridge-rules.js';

/**
 * `.claude/bridge.yaml` as written: the origins' format (version, default_container, containers,
 * commands with container, exec and workdir) plus a command's user and env, and the compose
 * project. Unknown keys are errors. Every name ends up on the agent's PATH, in a Docker exec or in
 * a person's approval prompt, so each is held to a plain form: no paths where a name belongs, no
 * `..`, no spaces or control characters.
 */
z.config(en());

/** A key of `containers`, a compose service or a container name (as Docker allows them). */
const DOCKER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
/**
 * A file name on the agent's PATH: no `/`, not starting with `-`, `.` (so never `.` or `..`) or `_`
 * (so never `__proto__`, which a JavaScript object would take for its prototype, not a command).
 */
const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$/;
const PATH_SEGMENT = /^[A-Za-z0-9_.+@~,=-]+$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A user name or a numeric id, then optionally `:` and a group name or id. */
const USER_FORM = /^([A-Za-z_][A-Za-z0-9_.-]{0,31}|\d{1,10})(:([A-Za-z_][A-Za-z0-9_.-]{0,31}|\d{1,10}))?$/;

/** Compose's own rule for a project name (docker compose refuses any other). */
export const COMPOSE_PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** `/a/b` with no `.` or `..` parts and no empty ones; a trailing `/` is allowed when `folder`. */
export function isCleanAbsolutePath(path: string, folder: boolean): boolean {
  if (!path.startsWith('/')) return false;
  if (path === '/') return folder;
  const segments = path.slice(1).split('/');
  if (folder && segments.at(-1) === '') segments.pop();
  return segments.every((s) => s !== '.' && s !== '..' && PATH_SEGMENT.test(s));
}

/** A message for a value of the wrong kind only; other issues keep their own words. */
const ifWrongType = (expected: string) => (issue: { code?: string }) =>
  issue.code === 'invalid_type' ? expected : undefined;

const dockerName = (what: string) => z.string({ error: what }).check(z.regex(DOCKER_NAME, what));

const CONTAINER_KEY_EXPECTED = 'a name used in commands: letters, digits, _ . and -, such as php or app';
const containerKey = dockerName(CONTAINER_KEY_EXPECTED);

const COMMAND_NAME_EXPECTED =
  'a command name usable as a file name: letters, digits, _ . + and -, starting with a letter or digit (no /)';

/**
 * Entries by name. zod leaves a `__proto__` key out without a word; it is refused here instead, so
 * that nothing in the text a person approves goes missing from the policy that runs.
 */
function byName<Key extends z.core.$ZodRecordKey, Value extends z.ZodMiniType>(
  key: Key,
  value: Value,
  wrongType: string,
  keyExpected: string,
) {
  const noPrototypeKey = z.unknown().check(
    z.superRefine((input, ctx) => {
      if (typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__'))
        ctx.addIssue({ code: 'custom', input, path: ['__proto__'], message: keyExpected });
    }),
  );
  return z.pipe(noPrototypeKey, z.record(key, value, { error: ifWrongType(wrongType) }));
}

const target = z.union(
  [
    dockerName('a compose service or container name'),
    z.strictObject({ service: dockerName('a compose service name, such as php') }),
    z.strictObject({ container: dockerName('a container name, such as myproject-php-1') }),
  ],
  {
    error: 'a compose service or container name (php), or {service: NAME}, or {container: NAME}',
  },
);

const EXEC_EXPECTED =
  'the program to run in the container: a name found on its PATH, such as php, or an absolute path such as /usr/local/bin/php (no . or .. parts)';

const command = z.strictObject(
  {
    /** A key of `containers`; default_container when absent. */
    container: z.optional(containerKey),
    exec: z
      .string({ error: EXEC_EXPECTED })
      .check(z.refine((exec) => COMMAND_NAME.test(exec) || isCleanAbsolutePath(exec, false), EXEC_EXPECTED)),
    workdir: z.optional(
      z
        .string()
        .check(
          z.refine(
            (dir) => isCleanAbsolutePath(dir, true),
            'an absolute folder in the container, such as /var/www/html (no . or .. parts)',
          ),
        ),
    ),
    user: z.optional(
      z.union([z.string(), z.int()], { error: 'a user name or uid, optionally :group or :gid' }).check(
        z.refine(
          (user) => USER_FORM.test(String(user)),
          'a user name or uid, optionally :group or :gid, such as www-data or 1000:1000',
        ),
        z.refine(
          (user) => !namesRoot(String(user)),
          'a user other than root (not root, 0 or group 0): the bridge runs commands without root rights; name one such as www-data or 1000:1000',
        ),
      ),
    ),
    /** Names of the agent's environment variables passed through to the command. */
    env: z.optional(
      z.array(
        z.string().check(
          z.regex(ENV_NAME, 'an environment variable name, such as APP_ENV'),
          z.superRefine((name, ctx) => {
            const why = refusedEnvName(name);
            if (why)
              ctx.addIssue({ code: 'custom', input: name, message: `a name other than ${name}: ${why}` });
          }),
        ),
        {
          error: ifWrongType('a list of environment variable names, such as [APP_ENV, COMPOSER_HOME]'),
        },
      ),
    ),
  },
  { error: ifWrongType('a command: exec, and container, workdir, user or env as needed') },
);

export const bridgeConfigSchema = z
  .strictObject(
    {
      version: z.union([z.literal('1'), z.literal(1)], {
        error: '"1", the one version of this file so far',
      }),
      /** The compose project whose containers the bridge reaches; default: from the folder's name. */
      compose_project: z.optional(
        z
          .string()
          .check(
            z.regex(
              COMPOSE_PROJECT_NAME,
              'a compose project name: lowercase letters, digits, _ and -, starting with a letter or digit',
            ),
          ),
      ),
      default_container: z.optional(containerKey),
      containers: z._default(
        byName(
          containerKey,
          target,
          'names, each with a compose service or container (php: php)',
          CONTAINER_KEY_EXPECTED,
        ),
        {},
      ),
      commands: z._default(
        byName(
          z.string().check(z.regex(COMMAND_NAME, COMMAND_NAME_EXPECTED)),
          command,
          'commands by name, each with exec (php: {exec: php})',
          COMMAND_NAME_EXPECTED,
        ),
        {},
      ),
    },
    { error: ifWrongType('version, containers and commands (see the README)') },
  )
  .check(z.superRefine(checkContainerReferences));

type BridgeConfigInput = {
  default_container?: string | undefined;
  containers: Record<string, unknown>;
  commands: Record<string, { container?: string | undefined }>;
};

/** Every container a command runs in, named or by default, is one of `containers`. */
function checkContainerReferences(
  config: BridgeConfigInput,
  ctx: z.core.$RefinementCtx<BridgeConfigInput>,
): void {
  const known = Object.keys(config.containers);
  const expected = known.length
    ? `one of the names under containers (${known.join(', ')})`
    : 'a name under containers, and there are none: add the container there';
  const refersTo = (name: string) => Object.hasOwn(config.containers, name);
  if (config.default_container !== undefined && !refersTo(config.default_container)) {
    ctx.addIssue({ code: 'custom', input: config, path: ['default_container'], message: expected });
  }
  for (const [name, { container }] of Object.entries(config.commands)) {
    if (container !== undefined && !refersTo(container)) {
      ctx.addIssue({
        code: 'custom',
        input: config,
        path: ['commands', name, 'container'],
        message: expected,
      });
    } else if (container === undefined && config.default_container === undefined) {
      ctx.addIssue({
        code: 'custom',
        input: config,
        path: ['commands', name],
        message: `a container for ${name}: give it container: NAME, or set default_container`,
      });
    }
  }
}

export type BridgeConfig = z.output<typeof bridgeConfigSchema>;
