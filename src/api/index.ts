export { MethodTable, type ApiHandler, type MethodInfo } from './table.js';
export { dispatch } from './dispatch.js';
export { startTcpJsonRpc, startHttpJsonRpc, splitHostPort, ListenError, MAX_REQUEST_BYTES, type Listener, type RpcStats } from './server.js';
export { RpcClient, rpcCall, RpcUnavailableError, RpcRemoteError, RpcProtocolError } from './client.js';
export { buildMethodTable } from './methods/index.js';
export { CONSOLE_COMMANDS, type ConsoleCommand } from './commands.js';
