import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { UserError } from '../errors.js';

export interface CaSource {
  /** Where the path came from, for messages: "NODE_EXTRA_CA_CERTS", ".claude/claude-tui.yaml". */
  origin: string;
  path: string;
}

export interface CaCertificate extends CaSource {
  pem: string;
}

/**
 * The extra CA certificates to trust (a company proxy that inspects TLS): from the project config,
 * the app settings, and the NODE_EXTRA_CA_CERTS / SSL_CERT_FILE variables, as Node and curl read
 * them. Identical bundles are taken once.
 */
export function caSources(
  projectDir: string,
  fromProject: readonly string[],
  fromApp: readonly string[],
  env: NodeJS.ProcessEnv,
): CaSource[] {
  const sources: CaSource[] = [
    ...fromProject.map((p) => ({
      origin: '.claude/claude-tui.yaml image.caCertificates',
      path: resolve(projectDir, p),
    })),
    ...fromApp.map((p) => ({ origin: 'app settings caCertificates', path: p })),
  ];
  for (const name of ['NODE_EXTRA_CA_CERTS', 'SSL_CERT_FILE'] as const) {
    const value = env[name];
    if (value && isAbsolute(value)) sources.push({ origin: name, path: value });
  }
  return sources;
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificate blocks of a file's text, as one bundle; anything else in the file is left out. */
export function certificatesIn(text: string, source: CaSource): string {
  const blocks = text.match(pemBlock);
  if (!blocks) {
    throw new UserError(
      `${source.path} (from ${source.origin}) holds no PEM certificate.`,
      'Point it at a file with -----BEGIN CERTIFICATE----- blocks.',
    );
  }
  return blocks.join('\n') + '\n';
}

export async function readCaCertificates(sources: readonly CaSource[]): Promise<CaCertificate[]> {
  const seen = new Set<string>();
  const certificates: CaCertificate[] = [];
  for (const source of sources) {
    let text: string;
    try {
      text = await readFile(source.path, 'utf8');
    } catch (error) {
      throw new UserError(
        `The CA certificate file ${source.path} (from ${source.origin}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        `Fix or remove ${source.origin}.`,
      );
    }
    const pem = certificatesIn(text, source);
    if (seen.has(pem)) continue;
    seen.add(pem);
    certificates.push({ ...source, pem });
  }
  return certificates;
}
