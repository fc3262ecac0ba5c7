import { paramJsonSchema } from './params.js';
import { patterns } from './patterns/index.js';
import { NAME_PATTERN, REGION_PATTERN } from './project.js';

/**
 * The JSON Schema of archctl.json, generated at build time from the same
 * parameter definitions the CLI validates with, so the two cannot drift.
 */
export function projectJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://archctl.dev/schemas/archctl.schema.json',
    title: 'archctl project',
    description: 'An archctl project: which reference architecture, its name, region and parameters.',
    type: 'object',
    additionalProperties: false,
    required: ['pattern', 'name', 'region'],
    properties: {
      $schema: { type: 'string' },
      pattern: { description: 'The reference architecture', enum: patterns.map((p) => p.name) },
      name: { description: 'Project name; the default stack name', type: 'string', pattern: NAME_PATTERN },
      region: { description: 'AWS region to deploy to', type: 'string', pattern: REGION_PATTERN },
      parameters: { type: 'object' },
    },
    allOf: patterns.map((p) => ({
      if: { properties: { pattern: { const: p.name } } },
      then: {
        properties: {
          parameters: {
            type: 'object',
            additionalProperties: false,
            properties: Object.fromEntries(p.params.map((s) => [s.name, paramJsonSchema(s)])),
          },
        },
      },
    })),
  };
}
