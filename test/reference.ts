// Where the shared reference data sits: shared/ beside the repository (as in CI's checkout).
import { resolve } from 'node:path';

export const SHARED_DIR = resolve(import.meta.dirname, '../../shared');
export const REFERENCE_TP = resolve(SHARED_DIR, 'reference/cgrates-tp');
