/**
 * The one Ajv factory of the project: every JSON Schema validation (contracts, the server's request validation) builds
 * its instance here, so dialect (2020-12), formats and the known annotation keywords are the same everywhere.
 */
import Ajv2020 from 'ajv/dist/2020.js';
import type { Options } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** Annotation keywords our schemas carry (published contracts and the OpenAPI route schemas). */
export const ANNOTATION_KEYWORDS = ['x-contract-version', 'example', 'xml', 'externalDocs', 'discriminator'] as const;

/**
 * A new Ajv 2020-12 instance with ajv-formats installed, union types allowed and our annotation keywords known.
 * `options` override the defaults (`allErrors: true`, `strict: true`, `strictRequired: false`).
 */
export function createAjv(options: Options = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, ...options });
  addFormats(ajv);
  for (const keyword of ANNOTATION_KEYWORDS) if (!ajv.getKeyword(keyword)) ajv.addKeyword({ keyword });
  return ajv;
}
