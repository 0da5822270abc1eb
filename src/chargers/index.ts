// ChargerS: forking events into charging runs (Chargers.csv).
export { ChargerService, type ChrgSProcessEventReply, type ChargerServiceOptions } from './service.js';
