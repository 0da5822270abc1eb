// A real OpenSIPS (aaa_diameter over freeDiameter) running the osips_diam tutorial's cfgs against
// the engine, with sipp phones: the tutorial files with only ports and paths substituted.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findTool, opensipsPrefix } from '../support/tools.js';
import { run, type Proc } from '../support/proc.js';
import { subst } from './opensips-rig.js';
import { freePorts } from './harness.js';
import { TUTORIAL } from './diameter-support.js';

export const SIPP_DIR = join(TUTORIAL, 'sipp');

export { run, type Proc } from '../support/proc.js';


export interface OpensipsRig {
  sip: number;
  dir: string;
  opensips: Proc;
}

/**
 * Writes the tutorial's cfg, freeDiameter.conf and dictionary.opensips into `dir` (ports and paths
 * substituted), makes the self-signed certificate the README describes, and starts OpenSIPS.
 */
export async function startOpensips(cfgName: string, dir: string, diameterPort: number): Promise<OpensipsRig> {
  const [sip, fdPort, fdSecPort] = await freePorts(3);
  const etc = join(dir, 'etc-opensips');
  await mkdir(join(etc, 'freeDiameter'), { recursive: true });
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=client.diameter.test',
    '-keyout', join(etc, 'freeDiameter/key.pem'), '-out', join(etc, 'freeDiameter/cert.pem')], { stdio: 'ignore' });
  const src = join(TUTORIAL, 'etc/opensips');
  await copyFile(join(src, 'dictionary.opensips'), join(etc, 'dictionary.opensips'));
  await writeFile(join(etc, 'freeDiameter.conf'), subst(await readFile(join(src, 'freeDiameter.conf'), 'utf8'), [
    ['Port = 3868;', `Port = ${diameterPort};`], ['Port = 3870;', `Port = ${fdPort};`], ['SecPort = 3871;', `SecPort = ${fdSecPort};`],
    ['/etc/opensips/', `${etc}/`],
  ], 'freeDiameter.conf'));
  const cfg = subst(await readFile(join(src, cfgName), 'utf8'), [
    ['127.0.0.1:5060', `127.0.0.1:${sip}`],
    ['/opt/opensips/lib64/opensips/modules/', `${opensipsPrefix()}/lib64/opensips/modules/`],
    ['/etc/opensips/', `${etc}/`],
  ], cfgName);
  const path = join(dir, cfgName);
  await writeFile(path, cfg);
  const opensips = run(findTool('opensips')!, ['-F', '-f', path, '-m', '64', '-M', '8', '-w', dir], dir);
  return { sip, dir, opensips };
}

export interface SippResult {
  code: number | null;
  output: string;
}

export async function sipp(rig: OpensipsRig, scenario: string, args: string[], timeoutMs = 60_000): Promise<SippResult> {
  const o = run(findTool('sipp')!, [`127.0.0.1:${rig.sip}`, '-sf', join(SIPP_DIR, scenario), '-i', '127.0.0.1', '-p', '0', '-m', '1', '-nostdin', '-timeout', `${Math.ceil(timeoutMs / 1000)}s`, ...args], rig.dir);
  const t = setTimeout(() => o.proc.kill('SIGKILL'), timeoutMs + 5000);
  const code = await o.exited;
  clearTimeout(t);
  return { code, output: o.output() };
}

/** A phone for `user`: a sipp UAS on its own port, registered at OpenSIPS. */
export async function phone(rig: OpensipsRig, user: string): Promise<Proc> {
  const [port] = await freePorts(1);
  const p = run(findTool('sipp')!, [`127.0.0.1:${rig.sip}`, '-sf', join(SIPP_DIR, 'uas.xml'), '-i', '127.0.0.1', '-p', String(port), '-nostdin'], rig.dir);
  const r = await sipp(rig, 'register.xml', ['-s', user, '-key', 'contact_port', String(port)], 20_000);
  if (r.code !== 0) throw new Error(`REGISTER ${user} failed (${r.code}):\n${r.output}`);
  return p;
}

/** `caller` calls `callee` and hangs up after `ms` (uac.xml), or waits for the network's BYE (uac_until_bye.xml). */
export function call(rig: OpensipsRig, caller: string, callee: string, tag: string, ms?: number, timeoutMs = 60_000): Promise<SippResult> {
  const scenario = ms === undefined ? 'uac_until_bye.xml' : 'uac.xml';
  return sipp(rig, scenario, ['-s', callee, '-key', 'caller', caller, ...(ms === undefined ? [] : ['-d', String(ms)]), '-cid_str', `${tag}-%u@%s`], timeoutMs);
}

export const callId = (tag: string) => `${tag}-1@127.0.0.1`;
