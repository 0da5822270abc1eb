import { describe, it, expect } from 'vitest';
import { JsonStreamSplitter, FrameError } from '../../src/api/framing.js';
import { MethodTable } from '../../src/api/table.js';
import { dispatch } from '../../src/api/dispatch.js';
import { silentLogger } from '../../src/util/logger.js';
import { AccurateError } from '../../src/util/errors.js';

describe('JSON stream framing', () => {
  it('splits back-to-back objects and objects cut across chunks', () => {
    const s = new JsonStreamSplitter(1024);
    expect(s.push(Buffer.from('{"a":1}{"b":"}{"}\n{"c'))).toEqual(['{"a":1}', '{"b":"}{"}']);
    expect(s.push(Buffer.from('":[1,{"d":"\\""}]}'))).toEqual(['{"c":[1,{"d":"\\""}]}']);
  });
  it('keeps multi-byte characters split across chunks intact', () => {
    const s = new JsonStreamSplitter(1024);
    const b = Buffer.from('{"n":"µ€"}');
    expect([...s.push(b.subarray(0, 7)), ...s.push(b.subarray(7))]).toEqual(['{"n":"µ€"}']);
  });
  it('rejects garbage and oversized requests', () => {
    expect(() => new JsonStreamSplitter(1024).push(Buffer.from('GET / HTTP/1.1'))).toThrow(FrameError);
    expect(() => new JsonStreamSplitter(8).push(Buffer.from('{"aaaaaaaaaa":'))).toThrow(/larger than 8 bytes/);
  });
});

describe('dispatch', () => {
  const table = new MethodTable()
    .add('APIerSv1.Echo', async (p) => p)
    .add('APIerSv1.Fail', async () => {
      throw new AccurateError('NOT_FOUND');
    })
    .add('APIerSv1.Crash', async (p: { x: { y: number } }) => p.x.y);
  it('unwraps the one-element params array of the Go codec', async () => {
    expect(await dispatch(table, { method: 'APIerSv1.Echo', params: [{ a: 1 }], id: 1 }, silentLogger)).toEqual({ id: 1, result: { a: 1 }, error: null });
  });
  it('answers the legacy ApierV1 name', async () => {
    expect(await dispatch(table, { method: 'ApierV1.Echo', params: [{}], id: 2 }, silentLogger)).toEqual({ id: 2, result: {}, error: null });
  });
  it('passes domain errors through as their text', async () => {
    expect(await dispatch(table, { method: 'APIerSv1.Fail', params: [{}], id: 3 }, silentLogger)).toEqual({ id: 3, result: null, error: 'NOT_FOUND' });
  });
  it('turns a handler crash on bad params into SERVER_ERROR', async () => {
    const r = await dispatch(table, { method: 'APIerSv1.Crash', params: [{}], id: 4 }, silentLogger);
    expect(r.error).toMatch(/^SERVER_ERROR: /);
  });
  it('answers a request with no method', async () => {
    expect((await dispatch(table, { id: 5 }, silentLogger)).error).toMatch(/no "method"/);
  });
});
