import type { FieldDef } from './fields.ts';
import type { ObjectDef } from './metadata.ts';

/**
 * `sobjects/{name}/describe` bodies with the keys Salesforce sends, so code
 * that reads `length`, `calculated`, `picklistValues` or `soapType` sees real
 * shapes.
 */
const SOAP_TYPES: Record<FieldDef['type'], string> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  boolean: 'xsd:boolean',
  string: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  textarea: 'xsd:string',
  picklist: 'xsd:string',
  multipicklist: 'xsd:string',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  int: 'xsd:int',
};

function byteLength(field: FieldDef): number {
  if (field.type === 'id' || field.type === 'reference') return 18;
  return field.length * 3;
}

export function describeField(field: FieldDef) {
  const calculated = field.calculatedFormula !== null;
  return {
    aggregatable: field.type !== 'textarea' || field.length <= 255,
    aiPredictionField: false,
    autoNumber: field.autoNumber,
    byteLength: byteLength(field),
    calculated,
    calculatedFormula: field.calculatedFormula,
    cascadeDelete: false,
    caseSensitive: false,
    compoundFieldName: null,
    controllerName: null,
    createable: field.createable,
    custom: field.custom,
    defaultValue: field.type === 'boolean' && !calculated ? false : (field.defaultPicklistValue ?? null),
    defaultValueFormula: null,
    defaultedOnCreate: field.defaultedOnCreate,
    dependentPicklist: false,
    deprecatedAndHidden: false,
    digits: field.digits,
    displayLocationInDecimal: false,
    encrypted: false,
    externalId: field.externalId,
    extraTypeInfo: field.extraTypeInfo,
    filterable: field.filterable,
    filteredLookupInfo: null,
    formulaTreatNullNumberAsZero: false,
    groupable: field.type !== 'double' && field.type !== 'currency' && field.type !== 'percent' && field.type !== 'datetime' && field.sortable,
    highScaleNumber: false,
    htmlFormatted: false,
    idLookup: field.type === 'id' || field.externalId || field.type === 'email',
    inlineHelpText: null,
    label: field.label,
    length: field.length,
    mask: null,
    maskType: null,
    name: field.name,
    nameField: field.nameField,
    namePointing: false,
    nillable: field.nillable,
    permissionable: field.custom || (field.nillable && field.createable),
    picklistValues: field.picklistValues.map((value) => ({
      active: true,
      defaultValue: value === field.defaultPicklistValue,
      label: value,
      validFor: null,
      value,
    })),
    polymorphicForeignKey: false,
    precision: field.precision,
    queryByDistance: false,
    referenceTargetField: null,
    referenceTo: field.referenceTo,
    relationshipName: field.relationshipName,
    relationshipOrder: null,
    restrictedDelete: false,
    restrictedPicklist: field.restrictedPicklist,
    scale: field.scale,
    searchPrefilterable: false,
    soapType: SOAP_TYPES[field.type],
    sortable: field.sortable,
    type: field.type,
    unique: field.unique,
    updateable: field.updateable,
    writeRequiresMasterRead: false,
  };
}

export function objectUrls(def: ObjectDef, version: string) {
  const base = `/services/data/v${version}/sobjects/${def.name}`;
  return {
    compactLayouts: `${base}/describe/compactLayouts`,
    rowTemplate: `${base}/{ID}`,
    approvalLayouts: `${base}/describe/approvalLayouts`,
    defaultValues: `${base}/defaultValues?recordTypeId&fields`,
    listviews: `${base}/listviews`,
    describe: `${base}/describe`,
    quickActions: `${base}/quickActions`,
    layouts: `${base}/describe/layouts`,
    sobject: base,
  };
}

/** The entry an object has in `GET sobjects` (describeGlobal). */
export function describeGlobalEntry(def: ObjectDef, version: string) {
  return {
    activateable: false,
    associateEntityType: null,
    associateParentEntity: null,
    createable: true,
    custom: false,
    customSetting: false,
    deepCloneable: false,
    deletable: true,
    deprecatedAndHidden: false,
    feedEnabled: true,
    hasSubtypes: false,
    isInterface: false,
    isSubtype: false,
    keyPrefix: def.keyPrefix,
    label: def.label,
    labelPlural: def.labelPlural,
    layoutable: true,
    mergeable: def.name !== 'Case',
    mruEnabled: true,
    name: def.name,
    queryable: true,
    replicateable: true,
    retrieveable: true,
    searchable: true,
    triggerable: true,
    undeletable: true,
    updateable: true,
    urls: objectUrls(def, version),
  };
}

export function describeObject(def: ObjectDef, version: string) {
  return {
    ...describeGlobalEntry(def, version),
    actionOverrides: [],
    childRelationships:
      def.name === 'Contact'
        ? [
            {
              cascadeDelete: false,
              childSObject: 'Case',
              deprecatedAndHidden: false,
              field: 'ContactId',
              junctionIdListNames: [],
              junctionReferenceTo: [],
              relationshipName: 'Cases',
              restrictedDelete: true,
            },
          ]
        : [],
    compactLayoutable: true,
    defaultImplementation: null,
    extendedBy: null,
    extendsInterfaces: null,
    fields: def.fields.map(describeField),
    implementedBy: null,
    implementsInterfaces: null,
    listviewable: null,
    lookupLayoutable: null,
    namedLayoutInfos: [],
    networkScopeFieldName: null,
    recordTypeInfos: [
      {
        active: true,
        available: true,
        defaultRecordTypeMapping: true,
        developerName: 'Master',
        master: true,
        name: 'Master',
        recordTypeId: '012000000000000AAA',
        urls: { layout: `/services/data/v${version}/sobjects/${def.name}/describe/layouts/012000000000000AAA` },
      },
    ],
    searchLayoutable: true,
    sobjectDescribeOptionsAvailable: null,
    supportedScopes: [
      { label: 'All ' + def.labelPlural.toLowerCase(), name: 'everything' },
      { label: 'My ' + def.labelPlural.toLowerCase(), name: 'mine' },
    ],
  };
}
