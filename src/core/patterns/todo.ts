import type { PatternDefinition } from '../pattern-types.js';

/**
 * One Lambda function per route, each with its own role: a function can only
 * run the one table action its route needs (list -> Query, get -> GetItem...),
 * so a bug or injection in one handler cannot write through another's rights.
 */
export const todo: PatternDefinition = {
  name: 'todo',
  description: 'Mobile REST API: API Gateway -> Lambda -> DynamoDB, Cognito sign-in, per-user S3 folders, read caches',
  params: [
    {
      name: 'cache',
      type: 'enum',
      values: ['apigw', 'dax', 'both', 'none'],
      default: 'apigw',
      description: 'Read cache: the API Gateway stage cache keyed per user, DAX in front of the table, both, or none',
    },
    {
      name: 'cacheTtlSeconds',
      type: 'integer',
      min: 1,
      max: 3600,
      default: 60,
      description: 'How long the API Gateway stage cache keeps a GET response (apigw and both)',
    },
    {
      name: 'cacheSizeGb',
      type: 'enum',
      values: ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'],
      default: '0.5',
      description: 'API Gateway stage cache size in GB (apigw and both)',
    },
    {
      name: 'daxNodeType',
      type: 'enum',
      values: ['dax.t3.small', 'dax.t3.medium', 'dax.r5.large', 'dax.r5.xlarge', 'dax.r5.2xlarge'],
      default: 'dax.t3.small',
      description: 'DAX node type (dax and both)',
    },
    {
      name: 'daxNodes',
      type: 'integer',
      min: 1,
      max: 10,
      default: 3,
      description: 'DAX nodes, spread over the availability zones (dax and both)',
    },
    {
      name: 'daxTtlMillis',
      type: 'string',
      pattern: '^[1-9][0-9]{2,7}$',
      example: '60000',
      default: '60000',
      description: 'How long DAX keeps items and query results, in milliseconds (a string, as DAX takes it; dax and both)',
    },
    {
      name: 'billing',
      type: 'enum',
      values: ['on-demand', 'provisioned'],
      default: 'on-demand',
      description: 'DynamoDB capacity mode',
    },
    {
      name: 'readCapacity',
      type: 'integer',
      min: 1,
      max: 40000,
      default: 5,
      description: 'Read capacity units when billing is provisioned',
    },
    {
      name: 'writeCapacity',
      type: 'integer',
      min: 1,
      max: 40000,
      default: 5,
      description: 'Write capacity units when billing is provisioned',
    },
    {
      name: 'mfa',
      type: 'enum',
      values: ['optional', 'on'],
      default: 'optional',
      description: 'Cognito multi-factor authentication (TOTP)',
    },
    {
      name: 'throttleRate',
      type: 'integer',
      min: 1,
      max: 10000,
      default: 100,
      description: 'API Gateway steady-state requests per second',
    },
    {
      name: 'throttleBurst',
      type: 'integer',
      min: 1,
      max: 5000,
      default: 200,
      description: 'API Gateway burst of requests',
    },
    {
      name: 'memorySize',
      type: 'integer',
      min: 128,
      max: 10240,
      default: 256,
      description: 'Lambda memory in MB',
    },
    {
      name: 'timeoutSeconds',
      type: 'integer',
      min: 1,
      max: 29,
      default: 10,
      description: "Lambda timeout in seconds (API Gateway's own limit is 29)",
    },
    {
      name: 'logRetentionDays',
      type: 'integer',
      min: 1,
      max: 3653,
      allowed: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653],
      default: 30,
      description: 'CloudWatch Logs retention for functions and API logs',
    },
    {
      name: 'corsOrigin',
      type: 'string',
      pattern: '^(\\*|https://[A-Za-z0-9.-]+(:\\d{1,5})?)$',
      example: 'https://app.example.com',
      default: '*',
      description: 'Origin allowed to call the API and upload to the bucket from a browser (native mobile apps send none)',
    },
    {
      name: 'stageName',
      type: 'string',
      pattern: '^[A-Za-z0-9_]{1,64}$',
      example: 'prod',
      default: 'prod',
      description: 'API Gateway stage name (the last part of ApiUrl)',
    },
  ],
  fragments(p) {
    const apigw = p.cache === 'apigw' || p.cache === 'both';
    const dax = p.cache === 'dax' || p.cache === 'both';
    return [
      'base',
      ...(p.billing === 'provisioned' ? ['provisioned'] : []),
      p.mfa === 'on' ? 'mfa-on' : 'mfa-optional',
      ...(apigw ? ['apigw-cache'] : []),
      ...(dax ? ['dax'] : []),
    ];
  },
};
