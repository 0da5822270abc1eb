// The one config loader: a -config_path folder of *.json files (JSONC: comments, trailing commas),
// read in sorted order and merged onto the defaults; every problem reported with file and key.
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseTree, findNodeAtLocation, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { defaultConfig, type EngineConfig } from './defaults.js';
import { mergeConfig } from './merge.js';
import { validateConfig, pruneUnknown, type Problem } from './validate.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export interface LoadedConfig {
  config: EngineConfig;
  files: string[];
  warnings: string[];
}

/** Lists the *.json files of a config folder (subfolders included), sorted by path; a file path is taken as is. */
export async function configFiles(path: string): Promise<string[]> {
  let st;
  try {
    st = await stat(path);
  } catch {
    throw new ConfigError([`${path}: config path does not exist`]);
  }
  if (st.isFile()) return [path];
  if (!st.isDirectory()) throw new ConfigError([`${path}: config path is neither a folder nor a file`]);
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
    }
  };
  await walk(path);
  if (out.length === 0) throw new ConfigError([`${path}: no *.json config files in this folder`]);
  return out;
}

function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, col: offset - last };
}

interface ParsedFile {
  file: string;
  text: string;
  tree: Node | undefined;
  value: Record<string, unknown>;
}

/** Deepest {}/[] nesting of a JSONC text (strings and comments skipped), without recursion. */
function nestingDepth(text: string): { depth: number; offset: number } {
  let depth = 0;
  let max = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '{' || c === '[') {
      if (++depth > max) {
        max = depth;
        at = i;
      }
    } else if (c === '}' || c === ']') depth--;
  }
  return { depth: max, offset: at };
}

/** Config files are shallow; deeper nesting is a mistake (and would overflow the parser's stack). */
const MAX_CONFIG_DEPTH = 32;

function parseConfigText(file: string, text: string): ParsedFile {
  const nested = nestingDepth(text);
  if (nested.depth > MAX_CONFIG_DEPTH) {
    const { line, col } = lineCol(text, nested.offset);
    throw new ConfigError([`${file}:${line}:${col}: nested deeper than ${MAX_CONFIG_DEPTH} levels`]);
  }
  const errors: ParseError[] = [];
  const tree = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  if (errors.length > 0) {
    throw new ConfigError(
      errors.map((e) => {
        const { line, col } = lineCol(text, e.offset);
        return `${file}:${line}:${col}: ${describeParseError(printParseErrorCode(e.error))}`;
      }),
    );
  }
  const value = tree ? nodeValue(tree) : {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError([`${file}:1:1: a config file must hold one JSON object`]);
  }
  return { file, text, tree, value: value as Record<string, unknown> };
}

function nodeValue(n: Node): unknown {
  switch (n.type) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const p of n.children ?? []) {
        const key = p.children![0].value as string;
        // An own "__proto__" key would replace the object's prototype instead of naming a setting.
        if (key === '__proto__') continue;
        o[key] = nodeValue(p.children![1]);
      }
      return o;
    }
    case 'array':
      return (n.children ?? []).map(nodeValue);
    default:
      return n.value;
  }
}

function describeParseError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'expected a "key" in double quotes',
    ValueExpected: 'expected a value',
    ColonExpected: 'expected ":" after the key',
    CommaExpected: 'expected "," between entries',
    CloseBraceExpected: 'expected "}"',
    CloseBracketExpected: 'expected "]"',
    EndOfFileExpected: 'unexpected content after the end of the object',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unterminated /* comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in string',
  };
  return `syntax error: ${words[code] ?? code}`;
}

function locate(p: ParsedFile, path: (string | number)[]): string {
  const node = p.tree ? findNodeAtLocation(p.tree, path) : undefined;
  if (!node) return p.file;
  const { line, col } = lineCol(p.text, node.offset);
  return `${p.file}:${line}:${col}`;
}

/** Loads and validates the engine config; with no path, the embedded defaults. Throws ConfigError listing every problem. */
export async function loadConfigWithInfo(configPath?: string): Promise<LoadedConfig> {
  let config = defaultConfig();
  const warnings: string[] = [];
  const problems: string[] = [];
  const files = configPath ? await configFiles(resolve(configPath)) : [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const parsed = parseConfigText(file, text);
    const found: Problem[] = validateConfig(parsed.value);
    for (const pr of found) {
      const where = locate(parsed, pr.path);
      const msg = `${where}: ${pr.path.join('.')}: ${pr.message}`;
      (pr.severity === 'warning' ? warnings : problems).push(msg);
    }
    config = mergeConfig(config, pruneUnknown(parsed.value)) as EngineConfig;
  }
  if (problems.length > 0) throw new ConfigError(problems);
  if (!config.history.history_dir) config.history.history_dir = join(config.data_db.db_path, 'history');
  return { config, files, warnings };
}

export async function loadConfig(configPath?: string): Promise<EngineConfig> {
  return (await loadConfigWithInfo(configPath)).config;
}
