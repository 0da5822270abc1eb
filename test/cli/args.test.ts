import { describe, it, expect } from 'vitest';
import { normalizeArgv } from '../../src/cli/argv.js';
import { parseConsoleArgs, buildParams, splitLine } from '../../src/cli/console-args.js';
import { CONSOLE_COMMANDS } from '../../src/api/commands.js';

describe('Go-style flags', () => {
  it('maps -config_path DIR, -config_path=DIR and --config_path to --config-path', () => {
    expect(normalizeArgv(['engine', '-config_path', '/etc/x'])).toEqual(['engine', '--config-path', '/etc/x']);
    expect(normalizeArgv(['engine', '-config_path=/etc/x'])).toEqual(['engine', '--config-path=/etc/x']);
    expect(normalizeArgv(['engine', '--config_path=/etc/x'])).toEqual(['engine', '--config-path=/etc/x']);
  });
  it('maps -logger=*stdout, -log_level=7, -verbose, -server', () => {
    expect(normalizeArgv(['-logger=*stdout', '-log_level=7', '-verbose', '-server', '127.0.0.1:2012'])).toEqual(['--logger=*stdout', '--log-level=7', '--verbose', '--server', '127.0.0.1:2012']);
  });
  it('leaves single-letter flags, values and console pairs alone', () => {
    expect(normalizeArgv(['-h', '-V', 'Tenant=cgrates.org', '-5'])).toEqual(['-h', '-V', 'Tenant=cgrates.org', '-5']);
  });
});

describe('console arguments', () => {
  it('parses the plain form', () => {
    expect(parseConsoleArgs(['cost', 'Tenant=cgrates.org', 'Usage=20s'])).toEqual({ command: 'cost', pairs: [['Tenant', 'cgrates.org'], ['Usage', '20s']] });
  });
  it("parses CGRateS's quoted one-argument form", () => {
    expect(parseConsoleArgs(['account Tenant="cgrates.org" Account="1001"'])).toEqual({ command: 'account', pairs: [['Tenant', 'cgrates.org'], ['Account', '1001']] });
  });
  it('keeps quoted spaces together', () => {
    expect(splitLine(`a B="x y" C='z w'`)).toEqual(['a', 'B=x y', 'C=z w']);
  });
  it('keeps account numbers as strings, coerces declared numbers and lists, takes JSON', () => {
    const p = buildParams(CONSOLE_COMMANDS.accounts, [['Tenant', 'cgrates.org'], ['AccountIDs', '1001,1002'], ['Limit', '10']]);
    expect(p).toEqual({ Tenant: 'cgrates.org', AccountIDs: ['1001', '1002'], Limit: 10 });
    expect(buildParams(CONSOLE_COMMANDS.account, [['Account', '1001'], ['X', '{"a":1}'], ['B', 'true']])).toEqual({ Account: '1001', X: { a: 1 }, B: true });
  });
  it('applies command defaults under the given pairs', () => {
    expect(buildParams(CONSOLE_COMMANDS.cost, [['Category', 'sms']]).Category).toBe('sms');
    expect(buildParams(CONSOLE_COMMANDS.cost, []).AnswerTime).toBe('*now');
  });
  it('rejects a token that is not Key=Value', () => {
    expect(() => parseConsoleArgs(['account', 'Tenant'])).toThrow(/"Tenant" is not Key=Value/);
  });
});
