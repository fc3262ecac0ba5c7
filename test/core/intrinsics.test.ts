import { describe, expect, it } from 'vitest';
import { ArchctlError } from '../../src/core/errors.js';
import { resolveIntrinsics, type StackValues } from '../../src/core/intrinsics.js';

const v: StackValues = {
  refs: { Bucket: 'local-bucket', Table: 'local-table' },
  attributes: { 'Table.Arn': 'arn:aws:dynamodb:eu-west-1:000000000000:table/local-table', 'Dax.ClusterDiscoveryEndpointURL': 'daxs://x' },
  pseudo: { 'AWS::Region': 'eu-west-1', 'AWS::Partition': 'aws', 'AWS::AccountId': '000000000000' },
};

describe('resolveIntrinsics', () => {
  it('resolves Ref, GetAtt (both forms), Sub (with variables and ${!literal}), Join, Select and GetAZs', () => {
    expect(
      resolveIntrinsics(
        {
          a: { Ref: 'Table' },
          b: { 'Fn::GetAtt': ['Table', 'Arn'] },
          c: { 'Fn::GetAtt': 'Dax.ClusterDiscoveryEndpointURL' },
          d: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${!cognito-identity.amazonaws.com:sub}/*' },
          e: { 'Fn::Sub': ['${Name}/${Table.Arn}', { Name: { Ref: 'Bucket' } }] },
          f: { 'Fn::Join': ['-', ['x', { Ref: 'AWS::Region' }]] },
          g: { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
          h: [1, true, null, 'plain'],
        },
        v,
      ),
    ).toEqual({
      a: 'local-table',
      b: 'arn:aws:dynamodb:eu-west-1:000000000000:table/local-table',
      c: 'daxs://x',
      d: 'arn:aws:s3:::local-bucket/${cognito-identity.amazonaws.com:sub}/*',
      e: 'local-bucket/arn:aws:dynamodb:eu-west-1:000000000000:table/local-table',
      f: 'x-eu-west-1',
      g: 'eu-west-1b',
      h: [1, true, null, 'plain'],
    });
  });

  it('fails clearly on what it cannot resolve', () => {
    expect(() => resolveIntrinsics({ Ref: 'Ghost' }, v)).toThrow(ArchctlError);
    expect(() => resolveIntrinsics({ 'Fn::GetAtt': ['Table', 'StreamArn'] }, v)).toThrow(/Table.StreamArn/);
    expect(() => resolveIntrinsics({ 'Fn::ImportValue': 'x' }, v)).toThrow(/Fn::ImportValue/);
  });
});
