/**
 * The pseudo-terminal behind a small interface, so attach logic can be tested with a fake and the
 * real one (node-pty) is loaded only by the commands that hand over the terminal.
 */
export interface Pty {
  /** Raw bytes: no decoding on the hot path. */
  onData(listener: (data: Buffer) => void): void;
  onExit(listener: (exit: { exitCode: number; signal?: number }) => void): void;
  write(data: string | Buffer): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
}

export interface PtySpawner {
  spawn(file: string, args: string[], options: { cols: number; rows: number; env: NodeJS.ProcessEnv }): Pty;
}

export async function loadPtySpawner(): Promise<PtySpawner> {
  const pty = await import('node-pty');
  return {
    // encoding null: the data arrives as bytes (node-pty's typings say string regardless).
    spawn: (file, args, options) =>
      pty.spawn(file, args, {
        name: options.env.TERM ?? 'xterm-256color',
        cols: options.cols,
        rows: options.rows,
        env: options.env,
        encoding: null,
      }) as unknown as Pty,
  };
}
