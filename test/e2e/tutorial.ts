// What the e2e tests share about the tutorial plan (tp/) and CGRateS's wire shapes.

export const T0 = '2014-08-04T13:00:00Z'; // a Monday, peak (08:00-19:00)
export const S = 1e9;

export type Bal = { ID: string; Uuid: string; Value: number; Weight: number; DestinationIDs: Record<string, boolean>; SharedGroups: Record<string, boolean> };
export type Acc = { BalanceMap: Record<string, Bal[]> };
export type WireCdr = Record<string, unknown> & {
  CGRID: string; RunID: string; Usage: number; Cost: number; CostSource: string; Subject: string; Account: string; OriginID: string; RequestType: string;
};

/** CGRateS's EventCost as a CDR's CostDetails (rating-semantics 4.8, 8.2). */
export type EventCostWire = {
  CGRID: string; RunID: string; Usage: number; Cost: number; AccountSummary: { AccountID: string; BalanceSummaries: { UUID: string }[] } | null;
  Charges: { RatingID: string; CompressFactor: number; Increments: { Usage: number; Cost: number; AccountingID: string; CompressFactor: number }[] }[];
  Accounting: Record<string, { AccountID: string; BalanceUUID: string; RatingID: string; Units: number; ExtraChargeID: string }>;
};

/** To the 12th decimal: money comes back as JSON numbers. */
export function round(x: number): number {
  return Math.round(x * 1e12) / 1e12;
}

/** Money each balance paid according to an EventCost's Accounting (units' money via their ExtraChargeID), by balance UUID. */
export function moneyPaidBy(ec: EventCostWire): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ch of ec.Charges) {
    for (const inc of ch.Increments) {
      const bc = ec.Accounting[inc.AccountingID];
      if (!bc || bc.ExtraChargeID === '*none') continue;
      const uuid = bc.ExtraChargeID ? ec.Accounting[bc.ExtraChargeID].BalanceUUID : bc.BalanceUUID;
      out[uuid] = round((out[uuid] ?? 0) + inc.Cost * inc.CompressFactor * ch.CompressFactor);
    }
  }
  return out;
}

/** A CGREvent of a voice call answered at T0. */
export function event(originId: string, fields: Record<string, unknown>) {
  return { Tenant: 'cgrates.org', Event: { OriginID: originId, OriginHost: '127.0.0.1', ToR: '*voice', Category: 'call', SetupTime: T0, AnswerTime: T0, ...fields } };
}
