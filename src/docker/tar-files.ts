/** One file for an archive: a path relative to where it is unpacked, its bytes and its mode. */
export interface ArchiveFile {
  name: string;
  content: Buffer | string;
  mode: number;
}

/**
 * A tar archive of these files, as the Engine's archive endpoint and `tar -x` take it: owned by
 * root, with a fixed time so that the same files make the same bytes. tar-stream is loaded only
 * here (only remote projects need an archive).
 */
export async function tarArchive(files: readonly ArchiveFile[]): Promise<Buffer> {
  const { default: tarStream } = await import('tar-stream');
  const archive = tarStream.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    archive.on('data', (chunk: Buffer) => chunks.push(chunk));
    archive.on('error', reject);
    archive.on('end', () => resolve(Buffer.concat(chunks)));
  });
  const mtime = new Date(0);
  const dirs = new Set(files.flatMap((f) => parents(f.name)));
  for (const dir of [...dirs].sort()) {
    archive.entry({ name: dir, type: 'directory', mode: 0o755, mtime, uid: 0, gid: 0 }, '');
  }
  for (const file of files) {
    archive.entry({ name: file.name, mode: file.mode, mtime, uid: 0, gid: 0 }, file.content);
  }
  archive.finalize();
  return done;
}

function parents(name: string): string[] {
  const parts = name.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
