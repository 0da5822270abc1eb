import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCDRs, findTemplate, templateFromExporter, templateFromCdre, maskSuffix, TemplateError } from '../../src/export/index.js';
import { cdrFromEvent, type CDR } from '../../src/cdrs/index.js';
import { defaultConfig } from '../../src/config/index.js';

const defaults = { tenant: 'cgrates.org', category: 'call', requestType: '*rated', timezone: 'UTC' };
const mk = (id: string, over: Record<string, unknown> = {}): CDR => ({
  ...cdrFromEvent({
    OriginID: id, OriginHost: '10.0.0.1', Account: '1001', Destination: '4915112345', SetupTime: '2014-08-04T13:00:00Z',
    AnswerTime: '2014-08-04T13:00:07Z', Usage: '205s', Cost: '0.6833', RequestType: '*prepaid', ...over,
  }, defaults),
  OrderID: Number(id.replace(/\D/g, '')) || 1,
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'accurate-export-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const read = async (path: string) => parse(await readFile(path, 'utf8')) as string[][];

describe('exportCDRs', () => {
  it('the *default template writes CGRateS\'s columns, field by field equal to the CDR', async () => {
    const cdrs = [mk('c1'), mk('c2', { Cost: '-1', RunID: '*raw', RequestType: '*none' })];
    const t = findTemplate(defaultConfig());
    const r = await exportCDRs(cdrs, t, { exportPath: dir, exportId: 'e1' });
    expect(r.fileName).toBe(join(dir, 'default_e1.csv'));
    const rows = await read(r.fileName);
    const c = cdrs[0];
    expect(rows[0]).toEqual([
      c.CGRID, '*default', '*voice', 'c1', '*prepaid', 'cgrates.org', 'call', '1001', '1001', '4915112345',
      '2014-08-04T13:00:00Z', '2014-08-04T13:00:07Z', '3m25s', '0.6833',
    ]);
    expect(rows[1][1]).toBe('*raw');
    expect(rows).toHaveLength(2);
    expect(r.count).toBe(2);
    expect(r.totalCost.toFixed()).toBe('0.6833');
    expect(r.exportedOrderIds).toEqual([1, 2]);
  });

  it('writes under a temporary name and renames: only the final file remains', async () => {
    const r = await exportCDRs([mk('c1')], findTemplate(defaultConfig()), { exportPath: dir, fileName: 'out.csv' });
    expect(await readdir(dir)).toEqual(['out.csv']);
    expect(r.fileName).toBe(join(dir, 'out.csv'));
  });

  it('a failing export leaves no file behind', async () => {
    async function* broken(): AsyncIterable<CDR> {
      yield mk('c1');
      throw new Error('db gone');
    }
    await expect(exportCDRs(broken(), findTemplate(defaultConfig()), { exportPath: dir, fileName: 'x.csv' })).rejects.toThrow('db gone');
    expect(await readdir(dir)).toEqual([]);
  });

  it('an existing file of the same name is replaced by the complete export', async () => {
    await writeFile(join(dir, 'x.csv'), 'old\n');
    await exportCDRs([mk('c1')], findTemplate(defaultConfig()), { exportPath: dir, fileName: 'x.csv' });
    expect((await read(join(dir, 'x.csv')))[0][3]).toBe('c1');
  });

  it('dry run counts and totals without writing', async () => {
    const r = await exportCDRs([mk('c1'), mk('c2', { Cost: '0.1' })], findTemplate(defaultConfig()), { exportPath: dir, dryRun: true });
    expect(r.count).toBe(2);
    expect(r.totalCost.toFixed()).toBe('0.7833');
    expect(r.fileName).toBe('');
    expect(await readdir(dir)).toEqual([]);
  });

  it('cost_multiply_factor and cost_rounding_decimals change the exported Cost and the total exactly', async () => {
    const t = templateFromExporter({ id: 'vat', cost_multiply_factor: 1.19, cost_rounding_decimals: 2 });
    const r = await exportCDRs([mk('c1', { Cost: '0.6833' }), mk('c2', { Cost: '0.1' })], t, { exportPath: dir });
    const rows = await read(r.fileName);
    // 0.6833 × 1.19 = 0.813127 → 0.81; 0.1 × 1.19 = 0.119 → 0.12
    expect(rows.map((x) => x[13])).toEqual(['0.81', '0.12']);
    expect(r.totalCost.toFixed()).toBe('0.93');
  });

  it('not-rated CDRs keep Cost -1 and are not added to the total', async () => {
    const t = templateFromExporter({ id: 'vat', cost_multiply_factor: 2 });
    const r = await exportCDRs([mk('c1', { Cost: '-1' })], t, { exportPath: dir });
    expect((await read(r.fileName))[0][13]).toBe('-1');
    expect(r.totalCost.toFixed()).toBe('0');
  });

  it('*datetime with a Go layout and zone, converters, *constant, *composed', async () => {
    const t = templateFromExporter({
      id: 'custom', field_separator: ';', timezone: 'Europe/Berlin',
      fields: [
        { tag: 'Start', path: '*exp.Start', type: '*datetime', value: '~*req.AnswerTime', layout: '02.01.2006 15:04:05' },
        { tag: 'Secs', path: '*exp.Secs', type: '*variable', value: '~*req.Usage{*duration_seconds}' },
        { tag: 'Min', path: '*exp.Min', type: '*variable', value: '~*req.Usage{*duration_minutes&*round:2}' },
        { tag: 'Cur', path: '*exp.Cur', type: '*constant', value: 'EUR' },
        { tag: 'Who', path: '*exp.Who', type: '*composed', value: '~*req.Account' },
        { tag: 'Who', path: '*exp.Who', type: '*composed', value: '->;~*req.Destination' },
        { tag: 'Cost', path: '*exp.Cost', type: '*variable', value: '~*req.Cost', rounding_decimals: 4 },
        { tag: 'Sip', path: '*exp.Sip', type: '*variable', value: '~*req.sip_code' },
      ],
    });
    const r = await exportCDRs([mk('c1', { Cost: '0.68', sip_code: '200' })], t, { exportPath: dir });
    const text = await readFile(r.fileName, 'utf8');
    expect(text).toBe('04.08.2014 15:00:07;205;3.42;EUR;1001->4915112345;0.6800;200\n');
  });

  it('a field whose source is absent is left empty, a mandatory one skips the CDR', async () => {
    const t = templateFromExporter({
      id: 'm', fields: [
        { tag: 'A', path: '*exp.A', type: '*variable', value: '~*req.Account' },
        { tag: 'X', path: '*exp.X', type: '*variable', value: '~*req.NoSuch' },
      ],
    });
    const r = await exportCDRs([mk('c1')], t, { exportPath: dir });
    expect(await read(r.fileName)).toEqual([['1001', '']]);
    const tm = templateFromExporter({ id: 'm', fields: [{ tag: 'X', path: '*exp.X', type: '*variable', value: '~*req.NoSuch', mandatory: true }] });
    const r2 = await exportCDRs([mk('c1')], tm, { exportPath: dir, fileName: 'm2.csv' });
    expect(r2.count).toBe(0);
    expect(r2.skipped).toBe(1);
    expect(r2.errors[0].error).toMatch(/mandatory/);
  });

  it('template filters skip CDRs; field filters blank single fields', async () => {
    const t = templateFromExporter({
      id: 'f', filters: ['*string:~*req.RunID:*default'], fields: [
        { tag: 'A', path: '*exp.A', type: '*variable', value: '~*req.Account' },
        { tag: 'Intl', path: '*exp.Intl', type: '*constant', value: 'intl', filters: ['*prefix:~*req.Destination:49'] },
      ],
    });
    const r = await exportCDRs([mk('c1'), mk('c2', { RunID: '*raw' }), mk('c3', { Destination: '1002' })], t, { exportPath: dir });
    expect(await read(r.fileName)).toEqual([['1001', 'intl'], ['1001', '']]);
    expect(r.skipped).toBe(1);
    expect(r.exportedOrderIds).toEqual([1, 3]);
  });

  it('*masked_destination masks the suffix of destinations in the mask destination id only', async () => {
    const t = templateFromExporter({
      id: 'mask', fields: [{ tag: 'Dst', path: '*exp.Dst', type: '*masked_destination', value: '~*req.Destination', mask_destinationd_id: 'DST_MOBILE', mask_length: 3 }],
    });
    const destinationsFor = (n: string) => (n.startsWith('4915') ? ['DST_MOBILE'] : ['DST_OTHER']);
    const r = await exportCDRs([mk('c1'), mk('c2', { Destination: '1002' })], t, { exportPath: dir, destinationsFor });
    expect(await read(r.fileName)).toEqual([['4915112***'], ['1002']]);
    expect(maskSuffix('12', 5)).toBe('**');
  });

  it('header and trailer rows from *hdr / *trl fields', async () => {
    const t = templateFromExporter({
      id: 'h', fields: [
        { tag: 'H', path: '*hdr.H', type: '*constant', value: 'Account' },
        { tag: 'A', path: '*exp.A', type: '*variable', value: '~*req.Account' },
        { tag: 'T', path: '*trl.T', type: '*constant', value: 'END' },
      ],
    });
    const r = await exportCDRs([mk('c1')], t, { exportPath: dir });
    expect(await readFile(r.fileName, 'utf8')).toBe('Account\n1001\nEND\n');
  });

  it('values with the separator or quotes are quoted', async () => {
    const t = templateFromExporter({ id: 'q', fields: [{ tag: 'A', path: '*exp.A', type: '*variable', value: '~*req.Note' }] });
    const r = await exportCDRs([mk('c1', { Note: 'a,"b"' })], t, { exportPath: dir });
    expect(await readFile(r.fileName, 'utf8')).toBe('"a,""b"""\n');
  });

  it('the legacy 2015 cdre template: usage in seconds, RFC3339 times, direction *out', async () => {
    const t = templateFromCdre('*default', {
      cdr_format: 'csv', field_separator: ',', cost_rounding_decimals: -1, mask_destination_id: 'MASKED_DESTINATIONS', mask_length: 0,
      content_fields: [
        { tag: 'CgrId', cdr_field_id: 'cgrid', type: 'cdrfield', value: 'cgrid' },
        { tag: 'AccId', cdr_field_id: 'accid', type: 'cdrfield', value: 'accid' },
        { tag: 'Direction', cdr_field_id: 'direction', type: 'cdrfield', value: 'direction' },
        { tag: 'Destination', cdr_field_id: 'destination', type: 'cdrfield', value: 'destination' },
        { tag: 'SetupTime', cdr_field_id: 'setup_time', type: 'cdrfield', value: 'setup_time', layout: '2006-01-02T15:04:05Z07:00' },
        { tag: 'Usage', cdr_field_id: 'usage', type: 'cdrfield', value: 'usage' },
        { tag: 'Cost', cdr_field_id: 'cost', type: 'cdrfield', value: 'cost' },
      ],
    });
    const c = mk('c1', { Usage: '90.5s' });
    const r = await exportCDRs([c], t, { exportPath: dir });
    expect((await read(r.fileName))[0]).toEqual([c.CGRID, 'c1', '*out', '4915112345', '2014-08-04T13:00:00Z', '90.5', '0.6833']);
  });

  it('unknown field types and templates are named in the error', () => {
    expect(() => templateFromExporter({ id: 'bad', fields: [{ tag: 'X', type: '*bogus', value: '' }] })).toThrow(/ees exporter bad field X: unsupported type "\*bogus"/);
    expect(() => findTemplate(defaultConfig(), 'nope')).toThrow(TemplateError);
    expect(() => findTemplate(defaultConfig(), 'nope')).toThrow(/known: \*default/);
  });
});
