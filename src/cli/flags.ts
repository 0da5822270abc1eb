// Flag checks shared by the subcommands: every flag is checked before any work is done, and a bad
// one is one line naming the flag and the value.

/** A host:port to connect to; returns the problem, or undefined when it is usable. */
export function addressProblem(flag: string, value: string): string | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:\s[\]]*):(\d{1,5})$/.exec(value);
  if (!m) return `${flag} "${value}" is not HOST:PORT (e.g. 127.0.0.1:2012)`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `${flag} "${value}": port ${m[2]} is out of range (1 to 65535)`;
  return undefined;
}
