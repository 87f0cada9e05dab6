import type { MessageCatalogue } from './catalogue.ts';

/** Italian messages; same keys as `en` (checked by type and by test). */
export const it = {
  rules: {
    plan: {
      required: "Quest'integrazione è disponibile solo per il piano BrevoPlus. Aggiorna il tuo piano per crearla o attivarla.",
    },
    name: {
      required: "Inserisci un nome per l'integrazione.",
      tooLong: 'Il nome può contenere al massimo {max} caratteri.',
      taken: 'Esiste già un’integrazione con questo nome.',
    },
    connection: {
      limitReached: 'Questo account Salesforce è già collegato a {max} integrazioni (contatti e lead insieme). Eliminane una per collegarlo di nuovo.',
    },
    consent: {
      required: "Seleziona il consenso opt-in prima di abbinare i campi.",
    },
    list: {
      required: 'Seleziona una lista Brevo o creane una nuova.',
    },
    input: {
      invalid: 'Questo valore non è valido.',
    },
    mapping: {
      emailOrSmsRequired: 'Abbina almeno il campo Email o SMS.',
      unknownAttribute: "L'attributo Brevo {attribute} non esiste.",
      unknownField: 'Il campo Salesforce {salesforceField} non esiste.',
      fieldMappedTwice: 'Il campo Salesforce {salesforceField} è già abbinato a {otherAttribute}.',
      typeIncompatible: 'Un campo Salesforce di tipo {fieldType} non può essere abbinato a un attributo Brevo di tipo {attributeType}.',
    },
    field: {
      formula: 'I campi formula non sono supportati.',
      boolean: 'I campi di tipo booleano (Sì/No) non sono supportati.',
      picklist: 'I campi di tipo elenco di selezione non sono supportati.',
      multipicklist: 'I campi di tipo elenco a selezione multipla non sono supportati.',
      identifier: 'Gli Id dei record e i campi di ricerca non possono essere sincronizzati.',
      typeUnsupported: 'I campi Salesforce di tipo {fieldType} non sono supportati.',
      requiredEmptied: '{field} è obbligatorio in Salesforce: la cancellazione in Brevo non è stata riportata in Salesforce.',
    },
    attribute: {
      boolean: 'Gli attributi di tipo booleano (Sì/No) non sono supportati.',
      category: 'Gli attributi di tipo categoria non sono supportati.',
      calculated: 'Gli attributi calcolati sono gestiti da Brevo e non possono essere sincronizzati.',
      transactional: 'Gli attributi transazionali non possono essere sincronizzati.',
      typeUnsupported: 'Gli attributi Brevo di tipo {attributeType} non sono supportati.',
    },
    date: {
      invalid: 'La data "{value}" non è una data valida nel formato AAAA-MM-GG; non è stata sincronizzata.',
    },
    number: {
      invalid: 'Il valore "{value}" non è un numero valido per {field}; non è stato sincronizzato.',
    },
    email: {
      invalid: 'L’indirizzo email "{value}" non è valido.',
      emptiedKept: "L'email è stata cancellata in Salesforce; l'email in Brevo è stata mantenuta e gli altri campi sono stati sincronizzati.",
    },
    lastName: {
      emptied: 'Il cognome è stato cancellato in Brevo; la modifica non è stata riportata in Salesforce.',
    },
    text: {
      tooLong: 'Il valore di {field} è lungo {length} caratteri; Salesforce ne consente al massimo {max}. Non è stato scritto.',
    },
    phone: {
      digitsOutOfRange: 'Un numero di telefono deve avere tra {min} e {max} cifre (questo ne ha {digits}).',
      invalidCharacters: 'Un numero di telefono può contenere solo cifre, spazi, trattini, punti, parentesi e un + iniziale.',
      notInternational: 'Questo numero di telefono non può essere convertito in un numero internazionale per gli SMS.',
      emptiedKept: 'Il telefono è stato cancellato in Salesforce; Brevo mantiene il valore precedente.',
    },
    sync: {
      notLinked: 'Questo contatto Brevo non è collegato a un record Salesforce; non viene creato in Salesforce.',
    },
    duplicate: '{attribute}: questo valore appartiene già a un altro contatto Brevo. I record non vengono mai uniti.',
    delete: {
      refused: "Salesforce ha rifiutato l'eliminazione di questo record (ad esempio un contatto con casi). Non è stata ritentata.",
      failed: 'Il record non può essere eliminato in Salesforce: {reason}.',
    },
    quota: {
      warning: 'Questa integrazione ha usato {used} delle sue {limit} operazioni mensili.',
      exceeded: 'Questa integrazione ha raggiunto la quota mensile di {limit} operazioni ed è stata disattivata.',
    },
  },
} as const satisfies MessageCatalogue;
