import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { log } from '../log.js';
import { processAlive } from './watcher-process.js';

/**
 * The background watcher of a project (one per project on this host) keeps the latest session
 * list in a file of the project's state directory, so that a dashboard follows twenty projects by
 * watching twenty files instead of starting twenty processes in twenty containers. The file names
 * the process that writes it; a reader trusts it only while that process lives.
 */
const FEED_FILE = 'sessions.feed';
const FEED_HEADER = 'claude-tui session feed 1';
/** What a writer leaves in place of a list it could not write, with the reason. */
const FEED_BROKEN = 'claude-tui session feed broken';
/** How often a reader makes sure the writer still lives (it may be killed without a word). */
const LIVENESS_EVERY_MS = 2000;

export interface SessionFeedWriter {
  publish(listText: string): void;
  /** Removes the feed, so readers go back to asking the container. */
  close(): Promise<void>;
}

export function sessionFeedWriter(stateDir: string): SessionFeedWriter {
  const file = join(stateDir, FEED_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  // One write at a time, in order: an older list must never land after a newer one.
  let queue = Promise.resolve();
  let closed = false;
  return {
    publish(listText) {
      queue = queue
        .then(async () => {
          if (closed) return;
          await writeFile(temporary, `${FEED_HEADER} ${process.pid}\n${listText}`);
          await rename(temporary, file);
        })
        .catch(async (error: unknown) => {
          // A list that cannot be written must not leave the last one standing as if current:
          // readers are told why (or, failing that, find no feed) and follow the container.
          log.error('session feed: the list could not be written', { file, error: String(error) });
          await writeFile(file, `${FEED_BROKEN} ${process.pid}\n${String(error)}`).catch(() =>
            rm(file, { force: true }),
          );
          closed = true;
        })
        .catch(() => undefined);
    },
    async close() {
      closed = true;
      await queue;
      const current = await readFeed(file);
      if (current && 'pid' in current && current.pid === process.pid) await rm(file, { force: true });
    },
  };
}

type Feed = { pid: number; listText: string } | { pid: number; broken: string };

async function readFeed(file: string): Promise<Feed | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : parseFeed(text);
}

/**
 * The project's session list as its feed has it now, read at once and not followed (the
 * dashboard's first look); undefined when there is no feed with a living writer.
 */
export function sessionListNow(stateDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(stateDir, FEED_FILE), 'utf8');
  } catch {
    return undefined;
  }
  const feed = parseFeed(text);
  return feed && 'listText' in feed && processAlive(feed.pid) ? feed.listText : undefined;
}

function parseFeed(text: string): Feed | undefined {
  const newline = text.indexOf('\n');
  const header = newline < 0 ? text : text.slice(0, newline);
  if (header.startsWith(`${FEED_BROKEN} `)) {
    return {
      pid: Number(header.slice(FEED_BROKEN.length + 1)),
      broken: text.slice(newline + 1).trim() || 'unknown',
    };
  }
  if (!header.startsWith(`${FEED_HEADER} `)) return undefined;
  const pid = Number(header.slice(FEED_HEADER.length + 1));
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, listText: newline < 0 ? '' : text.slice(newline + 1) };
}

/**
 * Follows a project's feed: every list now and as it changes. Resolves to undefined when there is
 * no feed with a living writer; otherwise `done` resolves when the feed ends (its writer gone).
 */
export async function followSessionFeed(
  stateDir: string,
  onText: (listText: string) => void,
  onBroken: (reason: string) => void = () => undefined,
): Promise<{ done: Promise<void>; stop: () => void } | undefined> {
  const file = join(stateDir, FEED_FILE);
  /** The writer's pid, once the first read has found a living one. */
  let writer = 0;
  let lastText: string | undefined;
  let stopped = false;
  let reading = false;
  let again = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  let timer: NodeJS.Timeout | undefined = undefined;
  let watcher: FSWatcher | undefined;
  const stop = () => {
    stopped = true;
    watcher?.close();
    clearInterval(timer);
    finish();
  };
  const deliver = (feed: Feed | undefined) => {
    if (stopped) return;
    if (feed && 'broken' in feed) {
      onBroken(feed.broken);
      return stop();
    }
    if (!feed || feed.pid !== writer || !processAlive(feed.pid)) return stop();
    if (feed.listText === lastText) return;
    lastText = feed.listText;
    onText(feed.listText);
  };
  const reread = async () => {
    // Events come in bursts; one read at a time, and one more if any came during it. Until the
    // first read has found the writer, an event only asks for that one more.
    if (reading || !writer) return void (again = true);
    reading = true;
    do {
      again = false;
      deliver(await readFeed(file));
    } while (again && !stopped);
    reading = false;
  };
  // Watching starts before the first read, so that nothing written in between is missed.
  try {
    watcher = watch(stateDir, (_event, name) => {
      if (name === FEED_FILE) void reread();
    });
    watcher.on('error', stop);
  } catch {
    return undefined;
  }
  const first = await readFeed(file);
  // A writer that broke and still lives says so; one long gone is no news.
  if (first && 'broken' in first && processAlive(first.pid)) onBroken(first.broken);
  if (!first || 'broken' in first || !processAlive(first.pid)) {
    watcher.close();
    return undefined;
  }
  writer = first.pid;
  timer = setInterval(() => {
    if (!processAlive(first.pid)) stop();
  }, LIVENESS_EVERY_MS);
  deliver(first);
  if (again) void reread();
  return { done, stop };
}
