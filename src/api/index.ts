export { MethodTable, type ApiHandler, type MethodInfo, type CallContext } from './table.js';
export { dispatch, type DispatchContext } from './dispatch.js';
export {
  startTcpJsonRpc, startHttpJsonRpc, splitHostPort, ListenError, MAX_REQUEST_BYTES, DEFAULT_RPC_LIMITS, serialiseReply, depthExceeds,
  bindsBeyondLoopback, type Listener, type RpcStats, type RpcLimits, type RpcListenerOptions,
} from './server.js';
export { authorize, isLoopback, methodAllowed, type ApiAuth, type ApiKeyRule } from './auth.js';
export { RpcClient, rpcCall, RpcUnavailableError, RpcRemoteError, RpcProtocolError } from './client.js';
export { buildMethodTable } from './methods/index.js';
export { CONSOLE_COMMANDS, type ConsoleCommand } from './commands.js';
