import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatagram, DatagramError, MAX_DATAGRAM_BYTES } from '../../../src/agents/opensips/datagram.js';
import { actionOf, compileRequestFields, compileRequestProcessors, toCGREvent } from '../../../src/agents/opensips/events.js';
import { eventDatagrams, FIXTURES } from './captures.js';

/** The 1.x/2.x text events of 00-legacy-text-format.txt: the lines between the comment blocks. */
function legacyText(): Buffer {
  const lines = readFileSync(join(FIXTURES, '00-legacy-text-format.txt'), 'utf8').split('\n');
  const body = lines.filter((l) => !l.startsWith('#'));
  return Buffer.from(body.join('\n').trim() + '\n\n', 'utf8');
}

describe('event_datagram framing (3.x JSON-RPC, replayed captures)', () => {
  it('one JSON-RPC notification per datagram: name and params, nulls and numbers kept', () => {
    const d = eventDatagrams('01-cdr-mode-answered-call.txt');
    const evs = d.map((c) => parseDatagram(c.bytes));
    expect(evs.every((e) => e.length === 1)).toBe(true);
    const first = evs[0][0];
    expect(first.name).toBe('E_ACC_CDR');
    expect(first.attrs).toMatchObject({ callid: '1-21031@127.0.0.1', sip_code: '200', time: 1795351692, ms_duration: 3006, dialog_id: 'c79.ea638c53' });
    expect(evs[1][0].attrs.cgr_account).toBeNull();
  });
  it('every captured event datagram parses', () => {
    for (const f of ['01-cdr-mode-answered-call.txt', '02-legacy-mode-answered-call.txt', '03-cdr-mode-missed-call-486.txt', '05-cdr-mode-unknown-callee-404.txt', '11-mi-event-subscribe-and-dlg-end-dlg.txt']) {
      const d = eventDatagrams(f);
      expect(d.length).toBeGreaterThan(0);
      for (const c of d) expect(parseDatagram(c.bytes)[0].name).toMatch(/^E_/);
    }
  });
});

describe('event_datagram framing (1.x/2.x text)', () => {
  it('several NAME / key::value blocks in one datagram, empty values kept empty', () => {
    const evs = parseDatagram(legacyText());
    expect(evs.map((e) => e.name)).toEqual(['E_ACC_EVENT', 'E_ACC_EVENT', 'E_ACC_MISSED_EVENT']);
    expect(evs[0].attrs).toMatchObject({ method: 'INVITE', sip_code: '200', time: '1430579770', cgr_account: '1002', duration: '' });
    expect(evs[1].attrs.method).toBe('BYE');
    expect(evs[2].attrs.sip_reason).toBe('Not Found');
  });
});

describe('malformed datagrams are refused with a reason', () => {
  const bad: [string, Buffer, RegExp][] = [
    ['empty', Buffer.alloc(0), /empty/],
    ['truncated JSON', Buffer.from('{"jsonrpc":"2.0","method":"E_ACC_CDR","params":{"callid":"x"'), /not valid JSON/],
    ['binary', Buffer.from([0xff, 0xfe, 0x80, 0x81, 0x41]), /not UTF-8/],
    ['64 KB', Buffer.alloc(65000, 0x41), /larger than/],
    ['text event with a NUL', Buffer.from('E_ACC_EVENT\nmethod::INV\0ITE\n\n'), /NUL/],
    ['no method', Buffer.from('{"jsonrpc":"2.0","params":{}}'), /no valid "method"/],
    ['params not an object', Buffer.from('{"jsonrpc":"2.0","method":"E_X","params":[1]}'), /params/],
    ['JSON array', Buffer.from('[1,2]'), /event name/],
    ['garbage text', Buffer.from('this is not an event\n\n'), /not an event name/],
  ];
  for (const [name, buf, re] of bad) {
    it(name, () => {
      expect(() => parseDatagram(buf)).toThrow(DatagramError);
      expect(() => parseDatagram(buf)).toThrow(re);
    });
  }
  it('the limit is what real events never reach', () => expect(MAX_DATAGRAM_BYTES).toBeGreaterThan(4096));
});

describe('which event starts, ends or fails a call', () => {
  const action = (file: string) => eventDatagrams(file).map((c) => parseDatagram(c.bytes)[0]).map((e) => `${e.name}:${actionOf(e)}`);
  it('CDR mode answered call: the CDR is the call; the null BYE ends it; dialog state 4 is the answer', () => {
    expect(action('01-cdr-mode-answered-call.txt')).toEqual([
      'E_ACC_CDR:cdr', 'E_ACC_EVENT:end', 'E_DLG_STATE_CHANGED:ignore', 'E_DLG_STATE_CHANGED:ignore', 'E_DLG_STATE_CHANGED:answered', 'E_DLG_STATE_CHANGED:dialog_ended',
    ]);
  });
  it('event mode: INVITE 200 starts, BYE ends', () => {
    expect(action('02-legacy-mode-answered-call.txt').slice(0, 2)).toEqual(['E_ACC_EVENT:start', 'E_ACC_EVENT:end']);
  });
  it('a 486 is a failed call twice over (missed + failed flag): both say failed, never start', () => {
    expect(action('03-cdr-mode-missed-call-486.txt').slice(0, 2)).toEqual(['E_ACC_MISSED_EVENT:failed', 'E_ACC_EVENT:failed']);
    expect(action('05-cdr-mode-unknown-callee-404.txt').slice(0, 2)).toEqual(['E_ACC_MISSED_EVENT:failed', 'E_ACC_EVENT:failed']);
  });
  it('custom and lifecycle events', () => {
    expect(actionOf({ name: 'E_CGR_AUTHORIZE', attrs: {} })).toBe('authorize');
    expect(actionOf({ name: 'E_OPENSIPS_START', attrs: {} })).toBe('opensips_start');
    expect(actionOf({ name: 'E_SOMETHING', attrs: {} })).toBe('unknown');
  });
});

describe('request_fields: OpenSIPS event → CGREvent', () => {
  const t = compileRequestFields(undefined);
  const ev = (file: string, i: number) => parseDatagram(eventDatagrams(file)[i].bytes)[0];
  it('an E_ACC_CDR becomes a whole call: setup from created, answer from time, usage from ms_duration', () => {
    expect(toCGREvent(t, ev('01-cdr-mode-answered-call.txt', 0), { OriginHost: '127.0.0.1' })).toEqual({
      ToR: '*voice', OriginID: '1-21031@127.0.0.1', OriginHost: '127.0.0.1', RequestType: '*postpaid', Tenant: 'cgrates.org',
      Account: '1001', Subject: '1001', Destination: '1002', DialogID: 'c79.ea638c53', SetupTime: '1795351692', AnswerTime: '1795351692',
      Usage: '3006ms', DisconnectCause: '200 OK',
    });
  });
  it('a missed call keeps code and reason and has no answer time or usage', () => {
    const cg = toCGREvent(t, ev('03-cdr-mode-missed-call-486.txt', 0), {});
    expect(cg.DisconnectCause).toBe('486 Busy Here');
    expect(cg.AnswerTime).toBeUndefined();
    expect(cg.Usage).toBeUndefined();
  });
  it('the CDR-mode BYE has only the call identity (its extras are null)', () => {
    expect(toCGREvent(t, ev('01-cdr-mode-answered-call.txt', 1), {})).toEqual({
      ToR: '*voice', OriginID: '1-21031@127.0.0.1', SetupTime: '1795351695', AnswerTime: '1795351695', DisconnectCause: '200 OK',
    });
  });
  it('the 2.x text E_ACC_CDR fields map the same way', () => {
    const text = Buffer.from('E_ACC_CDR\ncallid::ODVk\nfrom_tag::eb08\nsip_code::200\nsip_reason::OK\ncreated::1406370492\nsetuptime::7\ntime::1406370499\nduration::20\ncgr_reqtype::*prepaid\ncgr_tenant::itsyscom.com\ncgr_account::dan\ncgr_subject::dan\ncgr_destination::+4986517174963\ncgr_supplier::supplier3\n\n');
    const cg = toCGREvent(t, parseDatagram(text)[0], {});
    expect(cg).toMatchObject({ OriginID: 'ODVk', RequestType: '*prepaid', Tenant: 'itsyscom.com', Account: 'dan', Supplier: 'supplier3', SetupTime: '1406370492', AnswerTime: '1406370499', Usage: '20s' });
  });
  it('a configured request_fields replaces the defaults; a missing mandatory field is an error naming it', () => {
    const custom = compileRequestFields([{ tag: 'Account', path: '*cgreq.Account', value: '~*req.caller:s/^sip:(\\d+)@.*/${1}/', mandatory: true }]);
    expect(toCGREvent(custom, ev('01-cdr-mode-answered-call.txt', 0), {})).toEqual({ Account: '1001' });
    expect(() => toCGREvent(custom, ev('01-cdr-mode-answered-call.txt', 1), {})).toThrow(/mandatory field Account/);
  });
});

describe('exact bytes (06-raw-bytes-hexdump.txt)', () => {
  it('the hexdumped datagrams parse: no trailing newline, no NUL, one event each', () => {
    const text = readFileSync(join(FIXTURES, '06-raw-bytes-hexdump.txt'), 'utf8');
    const grams = text.split(/^## datagram \d+: (\d+) bytes.*$/m).slice(1);
    const out = [];
    for (let i = 0; i < grams.length; i += 2) {
      const hex = [...grams[i + 1].matchAll(/^[0-9a-f]{8}: ((?:[0-9a-f]{2,4} ?)+) /gm)].map((m) => m[1].replace(/ /g, '')).join('');
      const buf = Buffer.from(hex, 'hex');
      expect(buf.length).toBe(Number(grams[i]));
      out.push(parseDatagram(buf)[0]);
    }
    expect(out.map((e) => `${e.name}:${actionOf(e)}`)).toEqual(['E_ACC_CDR:cdr', 'E_ACC_EVENT:end']);
    expect(out[0].attrs.ms_duration).toBe(2006);
  });
});

describe('request_processors: the first whose filters pass maps the event', () => {
  const t = compileRequestFields(undefined);
  const procs = compileRequestProcessors([
    { id: 'missed', filters: ['*string:~*vars.EventName:E_ACC_MISSED_EVENT'], request_fields: [
      { tag: 'OriginID', path: '*cgreq.OriginID', value: '~*req.callid' },
      { tag: 'Kind', path: '*cgreq.Kind', type: '*constant', value: 'missed' },
    ] },
    { id: 'tenant2', filters: ['*string:~*req.cgr_tenant:other.org'], request_fields: [{ tag: 'T', path: '*cgreq.Tenant', type: '*constant', value: 'x' }] },
  ]);
  const ev = (file: string, i: number) => parseDatagram(eventDatagrams(file)[i].bytes)[0];
  it('a matching processor replaces the default fields', () => {
    expect(toCGREvent(t, ev('03-cdr-mode-missed-call-486.txt', 0), {}, {}, procs)).toEqual({ OriginID: '1-21150@127.0.0.1', Kind: 'missed' });
  });
  it('no processor matching: the default request_fields', () => {
    expect(toCGREvent(t, ev('01-cdr-mode-answered-call.txt', 0), {}, {}, procs).Account).toBe('1001');
  });
  it('a processor without request_fields or with a bad filter is refused, named', () => {
    expect(() => compileRequestProcessors([{ id: 'p1', filters: [] }])).toThrow(/request_processors\[0\] \(p1\): request_fields is empty/);
    expect(() => compileRequestProcessors([{ id: 'p2', filters: ['*bogus:x:y'], request_fields: [{ path: '*cgreq.A', value: 'a', type: '*constant' }] }])).toThrow(/\(p2\)/);
  });
});
