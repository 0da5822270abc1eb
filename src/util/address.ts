// host:port addresses of listeners and peers, read one way everywhere, and the error a listener
// that cannot bind reports (one line naming the config key and the address).

export class ListenError extends Error {}

/** `host:port`, `[v6]:port` or `:port` (loopback); `what` names the config key in errors. */
export function splitHostPort(address: string, what?: string): { host: string; port: number } {
  const m = /^\[?([^\]]*)\]?:(\d+)$/.exec(address);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) throw new ListenError(`${what ? `${what}: ` : ''}"${address}" is not host:port`);
  return { host: m[1] || '127.0.0.1', port };
}

/** The one-line reason a bind failed, for `name cannot listen on address: why`. */
export function listenError(name: string, address: string, err: NodeJS.ErrnoException): ListenError {
  const why = err.code === 'EADDRINUSE' ? 'address already in use (is another engine running?)' : err.code === 'EACCES' ? 'permission denied' : err.message;
  return new ListenError(`${name} cannot listen on ${address}: ${why}`);
}
