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
    expect(buildParams(CONSOLE_COMMANDS.account_set, [['Tenant', 'cgrates.org'], ['Account', '1001'], ['ExtraOptions', '{"a":1}'], ['AllowNegative', 'true']])).toEqual({ Tenant: 'cgrates.org', Account: '1001', ExtraOptions: { a: 1 }, AllowNegative: true });
  });
  it('applies command defaults under the given pairs', () => {
    const call: [string, string][] = [['Tenant', 't'], ['Subject', '1001'], ['Destination', '1002'], ['Usage', '2m']];
    expect(buildParams(CONSOLE_COMMANDS.cost, [...call, ['Category', 'sms']]).Category).toBe('sms');
    expect(buildParams(CONSOLE_COMMANDS.cost, call).AnswerTime).toBe('*now');
  });
  it('a misspelt parameter is an error naming it, with the likely one', () => {
    expect(() => buildParams(CONSOLE_COMMANDS.cost, [['Tenant', 't'], ['Subject', '1001'], ['Destination', '1002'], ['Usag', '2m']], 'cost')).toThrow(
      'cost: unknown parameter Usag (did you mean Usage?); missing Usage; usage: cost Tenant= Subject= Destination= Usage= [Category=] [AnswerTime=]',
    );
  });
  it('missing parameters are named', () => {
    expect(() => buildParams(CONSOLE_COMMANDS.cost, [], 'cost')).toThrow(/^cost: missing Tenant, Subject, Destination, Usage; usage: /);
    expect(() => buildParams(CONSOLE_COMMANDS.status, [['X', '1']], 'status')).toThrow(/^status: takes no parameters, got X/);
  });
  it('Balance=promo is the balance with ID promo', () => {
    const p = buildParams(CONSOLE_COMMANDS.balance_set, [['Tenant', 't'], ['Account', '1001'], ['BalanceType', '*monetary'], ['Value', '10'], ['Balance', 'promo']]);
    expect(p.Balance).toEqual({ ID: 'promo' });
    expect(p.Value).toBe(10);
  });
  it('rejects a token that is not Key=Value', () => {
    expect(() => parseConsoleArgs(['account', 'Tenant'])).toThrow(/"Tenant" is not Key=Value/);
  });
});
