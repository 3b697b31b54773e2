import type { AppSettings, NotificationSettings } from '../config/app-settings.js';
import { readSecret } from '../config/secrets.js';
import { log } from '../log.js';
import type { ProcessRunner } from '../system/process.js';
import type { SessionState } from './session-state.js';

/**
 * Telling the person a session needs them (waiting) or is done (idle, exited), or that the
 * workspace holds something to review before trusting it: the terminal bell,
 * a desktop notification where one is available, and, when configured in the app settings (never
 * the workspace), a command, a webhook and an SMS through Twilio's REST API.
 */
export interface SessionEvent {
  project: string;
  projectName: string;
  session: string;
  state: SessionState;
  exitCode: number | null;
  at: string;
}

/**
 * Something in the workspace the person should look at before trusting it: a change to the policy
 * files waiting for approval, or files that run on the host changed by someone (the agent, maybe).
 */
export interface WorkspaceEvent {
  kind: 'policy-change' | 'host-run-change';
  project: string;
  projectName: string;
  /** What changed, in words. */
  detail: string;
  at: string;
}

export type NotifyEvent = SessionEvent | WorkspaceEvent;

export type Notifier = (event: NotifyEvent) => Promise<void>;

export interface NotifierDeps {
  processes: ProcessRunner;
  env: NodeJS.ProcessEnv;
  /** From twilioAuthToken(); SMS is off without it. */
  twilioAuthToken?: string | undefined;
  fetchImpl?: typeof fetch;
  bell?: (() => void) | undefined;
}

export function describeEvent(event: NotifyEvent): string {
  if ('kind' in event) {
    return event.kind === 'policy-change'
      ? `${event.projectName}: a change to its policy files waits for your approval (${event.detail})`
      : `${event.projectName}: files that run on the host changed: ${event.detail}`;
  }
  const what =
    event.state === 'waiting'
      ? 'is waiting for you'
      : event.state === 'exited'
        ? `has ended${event.exitCode === null ? '' : ` (exit ${event.exitCode})`}`
        : 'is done';
  return `${event.projectName}/${event.session} ${what}`;
}

export function createNotifiers(settings: AppSettings['notifications'], deps: NotifierDeps): Notifier[] {
  const config = settings ?? {};
  const notifiers: Notifier[] = [];
  if (config.bell !== false && deps.bell) notifiers.push(() => Promise.resolve(deps.bell?.()));
  if (config.desktop !== false) notifiers.push((event) => desktop(event, deps.processes));
  if (config.command) {
    const command = config.command;
    notifiers.push(async (event) => {
      await deps.processes.run('sh', ['-c', command], {
        env: {
          ...deps.env,
          CLAUDE_TUI_PROJECT: event.project,
          CLAUDE_TUI_SESSION: 'session' in event ? event.session : '',
          CLAUDE_TUI_STATE: 'state' in event ? event.state : event.kind,
          CLAUDE_TUI_MESSAGE: describeEvent(event),
        },
        allowFailure: true,
        timeoutMs: 30_000,
      });
    });
  }
  const fetchImpl = deps.fetchImpl ?? fetch;
  if (config.webhook) {
    const url = config.webhook;
    notifiers.push(async (event) => {
      await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...event, message: describeEvent(event) }),
        signal: AbortSignal.timeout(10_000),
      });
    });
  }
  const sms = smsSettings(config.sms, deps.env, deps.twilioAuthToken);
  if (sms) notifiers.push((event) => sendSms(sms, describeEvent(event), fetchImpl));
  return notifiers;
}

interface SmsSettings {
  to: string;
  from: string;
  accountSid: string;
  authToken: string;
  apiBase: string;
}

/** Twilio settings from the app settings or the environment; SMS is on only when all are set. */
export function smsSettings(
  config: NotificationSettings['sms'],
  env: NodeJS.ProcessEnv,
  authToken: string | undefined,
): SmsSettings | undefined {
  const addressing = smsAddressing(config, env);
  return addressing && authToken ? { ...addressing, authToken } : undefined;
}

/**
 * Twilio's auth token: TWILIO_AUTH_TOKEN when set, else the secrets file, which is opened only
 * when the rest of SMS is configured.
 */
export async function twilioAuthToken(
  config: NotificationSettings['sms'],
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  if (env.TWILIO_AUTH_TOKEN) return env.TWILIO_AUTH_TOKEN;
  if (!smsAddressing(config, env)) return undefined;
  return readSecret('twilioAuthToken', env);
}

function smsAddressing(
  config: NotificationSettings['sms'],
  env: NodeJS.ProcessEnv,
): Omit<SmsSettings, 'authToken'> | undefined {
  const to = config?.to ?? env.TWILIO_TO;
  const from = config?.from ?? env.TWILIO_FROM;
  const accountSid = config?.accountSid ?? env.TWILIO_ACCOUNT_SID;
  const apiBase = config?.apiBase ?? env.TWILIO_API_BASE ?? 'https://api.twilio.com';
  if (!to || !from || !accountSid) return undefined;
  return { to, from, accountSid, apiBase: apiBase.replace(/\/+$/, '') };
}

export async function sendSms(sms: SmsSettings, body: string, fetchImpl: typeof fetch): Promise<void> {
  const response = await fetchImpl(
    `${sms.apiBase}/2010-04-01/Accounts/${encodeURIComponent(sms.accountSid)}/Messages.json`,
    {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sms.accountSid}:${sms.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: sms.to, From: sms.from, Body: `claude-tui: ${body}` }).toString(),
      signal: AbortSignal.timeout(15_000),
    },
  );
  if (!response.ok) throw new Error(`Twilio answered HTTP ${response.status}`);
}

async function desktop(event: NotifyEvent, processes: ProcessRunner): Promise<void> {
  const message = describeEvent(event);
  const attempt =
    process.platform === 'darwin'
      ? processes.run(
          'osascript',
          ['-e', `display notification ${JSON.stringify(message)} with title "claude-tui"`],
          { allowFailure: true },
        )
      : processes.run('notify-send', ['claude-tui', message], { allowFailure: true });
  // No notifier on this machine is not an error: the other channels still work.
  await attempt.catch(() => undefined);
}

/** Runs every notifier; one failing never stops the others, and failures go to the log. */
export async function notifyAll(notifiers: readonly Notifier[], event: NotifyEvent): Promise<void> {
  await Promise.all(
    notifiers.map((notify) =>
      notify(event).catch((error: unknown) =>
        log.warn('notification failed', { event, error: String(error) }),
      ),
    ),
  );
}
