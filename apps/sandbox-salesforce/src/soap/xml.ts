/**
 * The partner SOAP API's response envelopes, written as Salesforce writes them:
 * the partner namespace as the default one, `xsi:nil="true"` for null values,
 * and faults with `faultcode` / `faultstring`.
 */
export type XmlValue = string | number | null | XmlValue[] | { [name: string]: XmlValue };

export class SoapFault extends Error {
  constructor(
    readonly faultcode: string,
    readonly faultstring: string,
  ) {
    super(faultstring);
    this.name = 'SoapFault';
  }
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** `<name>…</name>`; an array repeats the element, null is `xsi:nil`. */
export function xmlElement(name: string, value: XmlValue): string {
  if (Array.isArray(value)) return value.map((item) => xmlElement(name, item)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') return `<${name}>${Object.entries(value).map(([key, inner]) => xmlElement(key, inner)).join('')}</${name}>`;
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function envelope(body: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="urn:partner.soap.sforce.com"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`
  );
}

export function fault(error: SoapFault): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="urn:fault.partner.soap.sforce.com"' +
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><soapenv:Fault><faultcode>${escapeXml(error.faultcode)}</faultcode><faultstring>${escapeXml(error.faultstring)}</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>`
  );
}
