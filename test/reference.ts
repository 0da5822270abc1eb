// Where the reference data the tests use sits. The tariff plans live inside the repository
// (test/fixtures/cgrates-tp, copied unchanged from shared/reference) so a bare clone passes
// `npm test`; SHARED_DIR (shared/ beside the repository) is only for tools that want more.
import { resolve } from 'node:path';

export const SHARED_DIR = resolve(import.meta.dirname, '../../shared');
export const REFERENCE_TP = resolve(import.meta.dirname, 'fixtures/cgrates-tp');
