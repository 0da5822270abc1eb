// The AVPs OpenSIPS's aaa_diameter registers in freeDiameter itself (so its peers send them
// without any extra-avps-file): its SIP and CDR AVPs in the RFC's experimental/implementation
// ranges, which the package data only knows as "Experimental-Use"/"Implementation-Specific".
// Codes and types as aaa_diameter 3.6 defines them.
export const OPENSIPS_DICTIONARY = `
ATTRIBUTE Sip-Method           204 integer32
ATTRIBUTE Sip-Response-Code    205 unsigned32
ATTRIBUTE Sip-From-Tag         206 string
ATTRIBUTE Sip-To-Tag           207 string
ATTRIBUTE Sip-Uri-User         208 string
ATTRIBUTE Sip-Uri-Host         209 string
ATTRIBUTE SIP-AVP              225 string
ATTRIBUTE Sip-Call-Duration    227 unsigned32
ATTRIBUTE Sip-Call-Setuptime   228 unsigned32
ATTRIBUTE Sip-Call-Created     229 unsigned32
ATTRIBUTE Sip-Call-MSDuration  230 unsigned32
`;
