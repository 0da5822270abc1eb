// Every room's API methods, registered into the one table.
import { MethodTable } from '../table.js';
import type { Services } from '../../engine/services.js';
import { register as core } from './core.js';
import { register as loader } from './loader.js';

export function buildMethodTable(s: Services): MethodTable {
  const table = new MethodTable();
  core(table, s);
  loader(table, s);
  return table;
}
