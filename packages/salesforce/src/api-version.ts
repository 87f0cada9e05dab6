/** The REST API version every connection uses (jsforce's own default is 50.0). */
export const DEFAULT_API_VERSION = '62.0';
