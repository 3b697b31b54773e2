// The part of tar-stream 2.x we use (it ships no types): an archive written entry by entry.
declare module 'tar-stream' {
  import type { Readable } from 'node:stream';

  interface EntryHeader {
    name: string;
    mode?: number;
    mtime?: Date;
    type?: 'file' | 'directory';
    uid?: number;
    gid?: number;
  }

  interface Pack extends Readable {
    entry(header: EntryHeader, content: Buffer | string, done?: (error?: Error) => void): void;
    finalize(): void;
  }

  // CommonJS: its exports are the default export of an import().
  const tarStream: { pack(): Pack };
  export default tarStream;
}
