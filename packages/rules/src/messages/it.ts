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
      directionControl: 'Il nome non può contenere caratteri invisibili di direzione del testo: invertono il modo in cui viene mostrato il testo che li segue.',
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
      picklist: 'Una casella combinata accetta anche testo libero, quindi i suoi valori non si possono abbinare alle opzioni Brevo.',
      identifier: 'Gli Id dei record e i campi di ricerca non possono essere sincronizzati.',
      typeUnsupported: 'I campi Salesforce di tipo {fieldType} non sono supportati.',
      requiredEmptied: '{field} è obbligatorio in Salesforce: la cancellazione in Brevo non è stata riportata in Salesforce.',
    },
    attribute: {
      category: 'Questo attributo è di tipo categoria fuori dagli attributi categoria di Brevo: non ha opzioni con cui abbinare i valori.',
      calculated: 'Gli attributi calcolati sono gestiti da Brevo e non possono essere sincronizzati.',
      transactional: 'Gli attributi transazionali non possono essere sincronizzati.',
      typeUnsupported: 'Gli attributi Brevo di tipo {attributeType} non sono supportati.',
      link: '{attribute} contiene il collegamento tra ogni contatto Brevo e il suo record Salesforce: lo compila l’integrazione, quindi non può essere abbinato.',
    },
    direction: {
      formula: '{salesforceField} è un campo formula: lo calcola Salesforce, quindi si sincronizza solo da Salesforce a Brevo.',
      readOnly: 'Salesforce non permette all’integrazione di modificare {salesforceField} (un campo di sola lettura o di sistema): si sincronizza solo da Salesforce a Brevo.',
      identifier: '{attribute} identifica il contatto che un record Salesforce crea in Brevo: non può sincronizzarsi solo da Brevo a Salesforce.',
    },
    values: {
      pairUnknown: '{value} non è più un valore di {salesforceField}: scegli di nuovo gli abbinamenti.',
      pairedTwice: 'L’opzione Brevo {value} è abbinata sia a {first} sia a {second}: abbinala a un solo valore Salesforce.',
      unpaired: 'Il valore "{value}" di {field} non ha un abbinamento in {attribute}: non è stato sincronizzato. Abbinalo nell’abbinamento dei campi.',
      booleanInvalid: 'Il valore "{value}" non è Sì o No; non è stato sincronizzato.',
    },
    filter: {
      unknownField: 'Il campo Salesforce {salesforceField} non esiste.',
      notFilterable: 'Salesforce non può filtrare i record per {salesforceField}.',
      operatorUnsupported: 'Questa condizione non si applica a {salesforceField} (un campo {fieldType}).',
      valueRequired: 'Inserisci un valore per {salesforceField}.',
      valueInvalid: '"{value}" non è un valore valido di {salesforceField} (un campo {fieldType}).',
    },
    conflict: {
      salesforceKept: '{attribute} è stato modificato sia in Salesforce sia in Brevo dall’ultima sincronizzazione: è stato mantenuto il valore di Salesforce, come stabilisce la regola dei conflitti di questa integrazione.',
      brevoKept: '{attribute} è stato modificato sia in Salesforce sia in Brevo dall’ultima sincronizzazione: il valore di Brevo è stato scritto in Salesforce, come stabilisce la regola dei conflitti di questa integrazione.',
    },
    optOut: {
      keptInBrevo: 'Il rifiuto delle email è stato tolto in Salesforce, ma il contatto resta nella lista di blocco di Brevo: il blocco è una scelta del contatto, e solo il contatto (o tu, in Brevo) può toglierlo.',
    },
    contact: {
      noEmailOrSms: 'Questo record non ha né un indirizzo email né un numero di cellulare, e Brevo ne richiede almeno uno: non è stato inviato a Brevo e non ha consumato quota.',
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
      linkedOtherOrg: 'Il contatto Brevo con l’Id di questo record (ext_id) è sincronizzato da un’integrazione di un’altra org Salesforce di questo account: una sandbox copiata dalla produzione conserva gli Id dei record. Non è stato sincronizzato, per non unire i due record in un solo contatto.',
    },
    duplicate: '{attribute}: questo valore appartiene già a un altro contatto Brevo. I record non vengono mai uniti.',
    delete: {
      refused: "Salesforce ha rifiutato l'eliminazione di questo record (ad esempio un contatto con casi). Non è stata ritentata.",
      failed: 'Il record non può essere eliminato in Salesforce: {reason}.',
      unconfirmed: 'È arrivato l’avviso che questo contatto è stato eliminato in Brevo, ma Brevo ha ancora il contatto: il record Salesforce non è stato eliminato.',
    },
    leadConversion: {
      followed: 'Questo lead è stato convertito in Salesforce nel contatto {contactId}: il suo contatto Brevo ora si sincronizza con quel contatto, tramite l’integrazione dei contatti Salesforce di questo account.',
      notSynced: 'Questo lead è stato convertito in Salesforce nel contatto {contactId} e nessuna integrazione dei contatti Salesforce di questa org sincronizza i contatti: il suo contatto Brevo non si sincronizza più. È stato mantenuto in Brevo.',
    },
    quota: {
      warning: 'Questa integrazione ha usato {used} delle sue {limit} operazioni mensili.',
      exceeded: 'Questa integrazione ha raggiunto la quota mensile di {limit} operazioni ed è stata disattivata.',
    },
    /** Cosa può fare l'utente per un errore di record, per codice (`fixHintKey`). */
    fix: {
      default: 'Correggi il valore in Salesforce o in Brevo; il record verrà sincronizzato alla prossima esecuzione.',
      phone_digits_out_of_range: 'Correggi il numero di telefono in Salesforce: da 6 a 16 cifre, con un + iniziale facoltativo.',
      phone_invalid_characters: 'Togli lettere e simboli dal numero di telefono in Salesforce.',
      phone_not_international: 'Inserisci il numero in Salesforce con il prefisso internazionale (per esempio +39).',
      phone_emptied_kept: 'Nessuna azione: Brevo mantiene il numero precedente. Inseriscine uno nuovo in Salesforce per cambiarlo.',
      email_emptied_kept: "Nessuna azione: Brevo mantiene l'email precedente; gli altri campi continuano a sincronizzarsi.",
      email_invalid: "Correggi l'indirizzo email in Salesforce.",
      no_email_or_sms: 'Inserisci un indirizzo email (o un numero di cellulare, se SMS è abbinato) nel record in Salesforce: verrà inviato a Brevo alla prossima esecuzione.',
      duplicate: 'Un altro contatto Brevo ha già questa email o questo cellulare: cambialo in Salesforce o unisci i contatti in Brevo. I record non vengono mai uniti automaticamente.',
      date_invalid: 'Inserisci la data in Brevo nel formato AAAA-MM-GG.',
      number_invalid: "Inserisci un numero nell'attributo Brevo.",
      last_name_emptied: 'Salesforce richiede un cognome: inseriscine uno in Brevo; gli altri campi sono stati sincronizzati.',
      required_field_emptied: 'Salesforce richiede questo campo: inserisci un valore in Brevo; gli altri campi sono stati sincronizzati.',
      text_too_long: 'Accorcia il valore in Brevo alla lunghezza del campo Salesforce, oppure abbina un campo più lungo.',
      delete_refused: 'Elimina o riassegna i record collegati (come i casi) in Salesforce, poi elimina il record lì.',
      delete_failed: 'Riprova; se continua a non riuscire, controlla il record in Salesforce.',
      lead_converted_followed: 'Nulla da fare: il contatto Brevo resta un solo contatto e segue il nuovo contatto Salesforce.',
      lead_converted_not_synced: 'Per mantenere sincronizzato questo contatto, crea (o riprendi) un’integrazione dei contatti Salesforce sullo stesso account Salesforce: il contatto seguirà allora il lead convertito.',
      delete_unconfirmed: 'Nulla da fare se il contatto deve restare. Per eliminare il record, elimina il contatto in Brevo (o il record in Salesforce).',
      not_linked: 'Nessuna azione: i contatti creati in Brevo non vengono creati in Salesforce.',
      linked_other_org: 'Sincronizza ogni org Salesforce che condivide gli Id dei record (la produzione e la sua sandbox completa) con un proprio account Brevo, oppure metti in pausa una delle due integrazioni.',
      invalid_input: 'Controlla i valori del record rispetto ai formati di Brevo, poi riprova.',
      salesforce_rejected: 'Controlla il record in Salesforce (regole di convalida, permessi), poi riprova.',
      opt_out_kept_in_brevo: 'Nulla da fare se il contatto continua a non volere email. Se ha chiesto di riceverle di nuovo, togli il blocco in Brevo.',
      value_unpaired: 'Abbina questo valore (Modifica l’abbinamento): verrà sincronizzato alla prossima modifica del record.',
      conflict_salesforce_kept: 'Nulla da fare se il valore di Salesforce è giusto. Altrimenti modificalo in Salesforce, o cambia la regola dei conflitti nell’abbinamento.',
      conflict_brevo_kept: 'Nulla da fare se il valore di Brevo è giusto. Altrimenti modificalo in Brevo, o cambia la regola dei conflitti nell’abbinamento.',
      quota_exceeded: 'Attendi il mese prossimo o chiedi al supporto di aumentare la quota, poi attiva di nuovo.',
    },
  },
} as const satisfies MessageCatalogue;
