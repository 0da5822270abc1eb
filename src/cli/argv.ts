// Go-style flags as CGRateS users type them (-config_path DIR, -config_path=DIR, -verbose) become
// commander's --config-path; --config_path is accepted too. Single-letter flags (-h, -V) stay.

export function normalizeArgv(args: string[]): string[] {
  const out: string[] = [];
  let passthrough = false;
  for (const a of args) {
    if (passthrough) {
      out.push(a);
      continue;
    }
    if (a === '--') {
      passthrough = true;
      out.push(a);
      continue;
    }
    const m = /^(--?)([A-Za-z][A-Za-z0-9_-]*)(=.*)?$/s.exec(a);
    if (m && (m[1] === '--' || m[2].length > 1)) {
      out.push(`--${m[2].replace(/_/g, '-')}${m[3] ?? ''}`);
    } else out.push(a);
  }
  return out;
}
