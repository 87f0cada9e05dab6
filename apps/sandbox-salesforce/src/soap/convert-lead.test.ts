import { describe, expect, it } from 'vitest';
import { useSandbox } from '../test-support.ts';

/**
 * Lead conversion through jsforce's SOAP client (`conn.soap.convertLead`), as Salesforce answers it:
 * LeadConvertResult per LeadConvert, the lead read-only afterwards (CANNOT_UPDATE_CONVERTED_LEAD),
 * the converted fields in describe and queries, the Contact carrying the lead's standard fields, and
 * the conversion published as one Change Data Capture transaction.
 */
const sandbox = useSandbox({ resetEach: true });

type Row = Record<string, unknown> & { Id: string };

async function newLead(fields: Record<string, unknown> = {}): Promise<string> {
  const created = await sandbox.conn.sobject('Lead').create({ FirstName: 'Grace', LastName: 'Hopper', Company: 'Navy', Email: 'grace@navy.test', MobilePhone: '+1 202 555 0100', City: 'Arlington', ...fields });
  return created.id!;
}

describe('convertLead (SOAP API)', () => {
  it('converts a lead into a new Account and Contact, and the lead shows the converted ids', async () => {
    const leadId = await newLead();
    const result = await sandbox.conn.soap.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
    expect(result).toMatchObject({ success: true, leadId, opportunityId: null, errors: [] });
    expect(result.contactId).toMatch(/^003[A-Za-z0-9]{15}$/);
    expect(result.accountId).toMatch(/^001[A-Za-z0-9]{15}$/);

    const lead = (await sandbox.conn.query<Row>(`SELECT Id, IsConverted, ConvertedContactId, ConvertedAccountId, ConvertedOpportunityId, ConvertedDate, Status FROM Lead WHERE Id = '${leadId}'`)).records[0]!;
    expect(lead).toMatchObject({ IsConverted: true, ConvertedContactId: result.contactId, ConvertedAccountId: result.accountId, ConvertedOpportunityId: null, Status: 'Closed - Converted' });
    expect(lead.ConvertedDate).toBe(new Date().toISOString().slice(0, 10));

    const contact = (await sandbox.conn.sobject('Contact').retrieve(result.contactId!)) as unknown as Row;
    expect(contact).toMatchObject({ FirstName: 'Grace', LastName: 'Hopper', Email: 'grace@navy.test', MobilePhone: '+1 202 555 0100', MailingCity: 'Arlington', AccountId: result.accountId });
    const account = (await sandbox.conn.query<Row>(`SELECT Id, Name FROM Account WHERE Id = '${result.accountId}'`)).records[0];
    expect(account).toMatchObject({ Name: 'Navy' });
  });

  it('answers one result per LeadConvert, each succeeding or failing on its own', async () => {
    const first = await newLead();
    const second = await newLead({ Email: 'second@navy.test' });
    await sandbox.conn.soap.convertLead({ leadId: second, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
    const results = await sandbox.conn.soap.convertLead([
      { leadId: first, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true },
      { leadId: second, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true },
      { leadId: first, convertedStatus: 'Open - Not Contacted', doNotCreateOpportunity: true },
    ]);
    expect(results).toHaveLength(3);
    expect(results[0]).toMatchObject({ success: true, leadId: first });
    expect(results[1]).toMatchObject({ success: false, contactId: null, errors: [{ statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead' }] });
    // The first lead converted in this very call: the third LeadConvert finds it converted.
    expect(results[2]).toMatchObject({ success: false, errors: [{ statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD' }] });
  });

  it('uses the Account and Contact it is given, and refuses a status that is not a converted one', async () => {
    const leadId = await newLead();
    const refused = await sandbox.conn.soap.convertLead({ leadId, convertedStatus: 'Working - Contacted', doNotCreateOpportunity: true });
    expect(refused).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_STATUS' }] });

    const account = await sandbox.conn.sobject('Account').create({ Name: 'Existing' });
    const contact = await sandbox.conn.sobject('Contact').create({ LastName: 'Existing', Email: 'existing@acme.test', AccountId: account.id });
    const result = await sandbox.conn.soap.convertLead({ leadId, convertedStatus: 'Closed - Converted', accountId: account.id, contactId: contact.id, doNotCreateOpportunity: true });
    expect(result).toMatchObject({ success: true, accountId: account.id, contactId: contact.id });
    const kept = (await sandbox.conn.sobject('Contact').retrieve(contact.id!)) as unknown as Row;
    expect(kept).toMatchObject({ LastName: 'Existing', Email: 'existing@acme.test' });
  });

  it('makes the lead read-only: an update is refused with CANNOT_UPDATE_CONVERTED_LEAD, alone or in a collection', async () => {
    const leadId = await newLead();
    await sandbox.conn.soap.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
    await expect(sandbox.conn.sobject('Lead').update({ Id: leadId, Title: 'Admiral' })).rejects.toMatchObject({ errorCode: 'CANNOT_UPDATE_CONVERTED_LEAD', message: 'cannot reference converted lead' });
    const [saved] = await sandbox.conn.sobject('Lead').update([{ Id: leadId, Title: 'Admiral' }], { allOrNone: false });
    expect(saved).toMatchObject({ success: false, errors: [expect.objectContaining({ statusCode: 'CANNOT_UPDATE_CONVERTED_LEAD' })] });
  });

  it('describes the converted fields as Salesforce does: read-only references', async () => {
    const describe = await sandbox.conn.sobject('Lead').describe();
    const field = (name: string) => describe.fields.find((candidate) => candidate.name === name);
    expect(field('ConvertedContactId')).toMatchObject({ type: 'reference', referenceTo: ['Contact'], createable: false, updateable: false });
    expect(field('ConvertedAccountId')).toMatchObject({ type: 'reference', referenceTo: ['Account'], createable: false, updateable: false });
    expect(field('IsConverted')).toMatchObject({ type: 'boolean', createable: false, updateable: false });
  });

  it('publishes the conversion as one transaction: Account and Contact created, Lead updated with its converted fields', async () => {
    const leadId = await newLead();
    const before = sandbox.org.changes.replay('/data/ChangeEvents', -2).at(-1)?.replayId ?? 0;
    const result = await sandbox.conn.soap.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
    const events = sandbox.org.changes.replay('/data/ChangeEvents', before).map((event) => event.data.payload);
    const contactCreate = events.find((payload) => payload.ChangeEventHeader.entityName === 'Contact');
    const leadUpdate = events.find((payload) => payload.ChangeEventHeader.entityName === 'Lead');
    expect(contactCreate?.ChangeEventHeader).toMatchObject({ changeType: 'CREATE', recordIds: [result.contactId] });
    expect(contactCreate).toMatchObject({ Email: 'grace@navy.test' });
    expect(leadUpdate?.ChangeEventHeader).toMatchObject({ changeType: 'UPDATE', recordIds: [leadId], changeOrigin: 'com/salesforce/api/soap/62.0' });
    expect(leadUpdate?.ChangeEventHeader.changedFields).toEqual(expect.arrayContaining(['IsConverted', 'ConvertedContactId', 'ConvertedAccountId', 'ConvertedDate', 'Status']));
    expect(leadUpdate).toMatchObject({ IsConverted: true, ConvertedContactId: result.contactId });
    expect(contactCreate!.ChangeEventHeader.transactionKey).toBe(leadUpdate!.ChangeEventHeader.transactionKey);
  });

  it('refuses a call without a valid session as Salesforce does (a fault jsforce refreshes on)', async () => {
    const leadId = await newLead();
    const response = await fetch(`${sandbox.url}/services/Soap/u/62.0`, {
      method: 'POST',
      headers: { 'content-type': 'text/xml', SOAPAction: '""' },
      body: `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Header xmlns="urn:partner.soap.sforce.com"><SessionHeader><sessionId>nope</sessionId></SessionHeader></soapenv:Header><soapenv:Body xmlns="urn:partner.soap.sforce.com"><convertLead><leadConverts><leadId>${leadId}</leadId><convertedStatus>Closed - Converted</convertedStatus></leadConverts></convertLead></soapenv:Body></soapenv:Envelope>`,
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/<faultcode>sf:INVALID_SESSION_ID<\/faultcode>/);

    // An expired access token: jsforce refreshes it on the fault and the call goes through.
    await fetch(`${sandbox.url}/__sandbox/tokens/expire`, { method: 'POST' });
    const result = await sandbox.conn.soap.convertLead({ leadId, convertedStatus: 'Closed - Converted', doNotCreateOpportunity: true });
    expect(result).toMatchObject({ success: true });
  });
});
