import { readFile } from 'node:fs/promises';
import { hostCredentialStore } from '../../auth/credential-store.js';
import { runDoctor, type CheckOutcome } from '../../project/doctor.js';
import type { CommandHandler } from '../command-table.js';
import { projectArgument } from './project-argument.js';
import { loadPlan } from '../../app/load-plan.js';

const marks: Record<CheckOutcome, string> = { ok: '✓', warn: '!', fail: '✗' };

export const doctorCommand: CommandHandler = async (ctx) => {
  const project = projectArgument(ctx);
  const results = await runDoctor({
    engine: ctx.engine,
    nodeVersion: process.version,
    host: {
      os: process.platform,
      env: ctx.env,
      procVersion:
        process.platform === 'linux' ? await readFile('/proc/version', 'utf8').catch(() => '') : undefined,
    },
    plan: async () => (await loadPlan(ctx, project, 'view')).plan,
    credential: () => (ctx.credentials ?? hostCredentialStore(ctx.env)).resolve('claude', project.dir),
  });
  const failed = results.some((r) => r.outcome === 'fail');
  if (ctx.args.flags.json) {
    ctx.out.json({ ok: !failed, checks: results });
  } else {
    for (const r of results) {
      ctx.out.line(`${marks[r.outcome]} ${r.name.padEnd(14)} ${r.detail}`);
      if (r.fix) ctx.out.line(`  ${''.padEnd(14)} → ${r.fix}`);
      for (const note of r.notes ?? []) ctx.out.line(`  ${''.padEnd(14)} · ${note}`);
    }
    ctx.out.line(failed ? '\nSome checks failed; fix those marked ✗.' : '\nReady.');
  }
  return failed ? 1 : 0;
};
