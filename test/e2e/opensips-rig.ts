// A real OpenSIPS and real sipp phones for the osips_async e2e suites: the tutorial's files with
// only ports and paths substituted, processes started and stopped by pid.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findTool, opensipsPrefix } from '../support/tools.js';
import { run, type Proc } from '../support/proc.js';
import { RpcClient } from '../../src/api/client.js';
import { ROOT, freePorts } from './harness.js';

export const TUTORIAL = join(ROOT, 'tutorials/osips_async');
export const SIPP_DIR = join(TUTORIAL, 'sipp');

export interface RigPorts {
  sip: number;
  mi: number;
  agent: number;
  rpc: number;
  http: number;
  birpc: number;
  uas: number;
  busy: number;
}

export async function rigPorts(): Promise<RigPorts> {
  const [sip, mi, agent, rpc, http, birpc, uas, busy] = await freePorts(8);
  return { sip, mi, agent, rpc, http, birpc, uas, busy };
}

/** Replaces every `from` with `to`, failing when the tutorial file no longer holds it (the test would test nothing). */
export function subst(text: string, pairs: [string, string][], what: string): string {
  let out = text;
  for (const [from, to] of pairs) {
    if (!out.includes(from)) throw new Error(`${what} no longer contains <${from}>`);
    out = out.split(from).join(to);
  }
  return out;
}

/** The tutorial's opensips.cfg (or another of its cfgs) with ports and mpath substituted. */
export async function opensipsCfg(p: RigPorts, file = 'opensips.cfg'): Promise<string> {
  const text = await readFile(join(TUTORIAL, 'opensips/etc/opensips', file), 'utf8');
  const pairs: [string, string][] = [
    ['127.0.0.1:5060', `127.0.0.1:${p.sip}`],
    ['127.0.0.1:8020', `127.0.0.1:${p.mi}`],
    ['/opt/opensips/lib64/opensips/modules/', `${opensipsPrefix()}/lib64/opensips/modules/`],
  ];
  if (text.includes('127.0.0.1:2020')) pairs.push(['127.0.0.1:2020', `127.0.0.1:${p.agent}`]);
  if (text.includes('127.0.0.1:2014')) pairs.push(['127.0.0.1:2014', `127.0.0.1:${p.birpc}`]);
  return subst(text, pairs, file);
}

/** The tutorial's accurate.json with ports and paths substituted. */
export async function accurateJson(p: RigPorts, dir: string): Promise<string> {
  const text = await readFile(join(TUTORIAL, 'accurate/etc/accurate/accurate.json'), 'utf8');
  return subst(text, [
    ['127.0.0.1:2012', `127.0.0.1:${p.rpc}`],
    ['127.0.0.1:2080', `127.0.0.1:${p.http}`],
    ['127.0.0.1:2014', `127.0.0.1:${p.birpc}`],
    ['127.0.0.1:2020', `127.0.0.1:${p.agent}`],
    ['127.0.0.1:8020', `127.0.0.1:${p.mi}`],
    ['"/var/lib/accurate"', JSON.stringify(join(dir, 'data'))],
    ['"/tmp/cgr_history"', JSON.stringify(join(dir, 'cgr_history'))],
    ['"/tmp"', JSON.stringify(join(dir, 'export'))],
  ], 'accurate.json');
}

export { run, type Proc } from '../support/proc.js';

/** Starts OpenSIPS in the foreground (-F) with its working dir in `dir`; resolves once MI answers. */
export async function startOpensips(cfg: string, dir: string, p: RigPorts): Promise<Proc> {
  const path = join(dir, 'opensips.cfg');
  await writeFile(path, cfg);
  const o = run(findTool('opensips')!, ['-F', '-f', path, '-m', '64', '-M', '8', '-w', dir], dir);
  const { MiClient } = await import('../../src/agents/opensips/mi.js');
  const mi = new MiClient({ address: `127.0.0.1:${p.mi}`, timeout: 300, retries: 0 });
  try {
    for (let i = 0; i < 100; i++) {
      if (o.proc.exitCode !== null) throw new Error(`opensips exited with ${o.proc.exitCode}:\n${o.output()}`);
      try {
        await mi.call('version');
        return o;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`opensips MI did not answer:\n${o.output()}`);
  } finally {
    await mi.close();
  }
}

export interface SippResult {
  code: number | null;
  ms: number;
  output: string;
}

/** Runs a sipp scenario of the tutorial to its end (bounded by timeoutMs). */
export async function sipp(p: RigPorts, dir: string, scenario: string, args: string[], timeoutMs = 60_000): Promise<SippResult> {
  const started = Date.now();
  // sipp's error log names the message that failed a call (an unexpected BYE, a retransmission ...):
  // appended last, so a failure message that keeps the output's tail shows it.
  const errFile = join(dir, `sipp-${started}-${Math.random().toString(36).slice(2)}.err`);
  const o = run(findTool('sipp')!, [`127.0.0.1:${p.sip}`, '-sf', join(SIPP_DIR, scenario), '-i', '127.0.0.1', '-p', '0', '-m', '1', '-nostdin', '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, '-trace_err', '-error_file', errFile, ...args], dir);
  const t = setTimeout(() => o.proc.kill('SIGKILL'), timeoutMs + 5000);
  const code = await o.exited;
  clearTimeout(t);
  const errors = code === 0 ? '' : await readFile(errFile, 'utf8').catch(() => '');
  return { code, ms: Date.now() - started, output: o.output() + (errors ? `\n---- sipp errors:\n${errors.slice(-2000)}` : '') };
}

/** A long-running sipp phone (uas.xml, uas_busy.xml) on a port. */
export function sippPhone(p: RigPorts, dir: string, scenario: string, port: number): Proc {
  return run(findTool('sipp')!, [`127.0.0.1:${p.sip}`, '-sf', join(SIPP_DIR, scenario), '-i', '127.0.0.1', '-p', String(port), '-nostdin'], dir);
}

/** A call: `caller` calls `callee`, talks `ms`, hangs up; Call-ID `<tag>-1@127.0.0.1`. */
export function call(p: RigPorts, dir: string, caller: string, callee: string, ms: number, tag: string): Promise<SippResult> {
  return sipp(p, dir, 'uac.xml', ['-s', callee, '-key', 'caller', caller, '-d', String(ms), '-cid_str', `${tag}-%u@%s`]);
}

export function callId(tag: string): string {
  return `${tag}-1@127.0.0.1`;
}

export type RigCdr = {
  OriginID: string; RunID: string; RequestType: string; Account: string; Subject: string; Destination: string; AnswerTime: string;
  SetupTime: string; Usage: number; Cost: number; ExtraFields: Record<string, string>; Category: string; Tenant: string;
};
type RigBal = { ID: string; Value: number; DestinationIDs: Record<string, boolean> };
export type RigAcc = { BalanceMap: Record<string, RigBal[] | null> };

/**
 * The engine's API as the suites see it, at the port the tutorial's accurate.json was given: one
 * connection (dropped by `close`, e.g. around a restart), a call's CDRs by test tag, balances, and
 * what `console cost` says for a CDR. `logs` supplies the processes' output for failure messages.
 */
export function rigApi(rpcPort: () => number, logs: () => string) {
  let client: RpcClient | undefined;
  const rpc = async <T = unknown>(method: string, params: unknown = {}): Promise<T> => {
    client ??= await RpcClient.connect(`127.0.0.1:${rpcPort()}`, { timeoutMs: 30_000 });
    return client.call(method, params) as Promise<T>;
  };
  const cdrs = (tag: string) => rpc<RigCdr[]>('CDRsV1.GetCDRs', { OriginIDs: [callId(tag)] }).catch((e: Error) => (/NOT_FOUND/.test(e.message) ? [] : Promise.reject(e)));
  /** Waits (bounded) for the call's CDRs: the last events are handled a moment after the call ends. */
  const cdrsOf = async (tag: string, n = 1) => {
    for (let i = 0; i < 300; i++) {
      const c = await cdrs(tag);
      if (c.length >= n) return c;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no CDR for ${tag} after 30 s\n${logs()}`);
  };
  const account = (a: string) => rpc<RigAcc>('APIerSv2.GetAccount', { Tenant: 'cgrates.org', Account: a });
  const balances = async (a: string, type: string) => ((await account(a)).BalanceMap[type] ?? []).map((b) => ({ id: b.ID, v: b.Value, d: Object.keys(b.DestinationIDs ?? {}).join(';') }));
  const consoleCost = async (c: RigCdr) =>
    (await rpc<{ Cost: number }>('APIerSv1.GetCost', { Tenant: c.Tenant, Category: c.Category, Subject: c.Subject, Destination: c.Destination, AnswerTime: c.AnswerTime, Usage: `${c.Usage}ns` })).Cost;
  const close = () => {
    client?.close();
    client = undefined;
  };
  return { rpc, cdrs, cdrsOf, account, balances, consoleCost, close };
}
