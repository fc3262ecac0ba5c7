import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { toYaml } from '../../src/core/yaml-emit.js';

describe('toYaml', () => {
  it('round-trips tricky scalars through a real YAML parser', () => {
    const value = {
      AWSTemplateFormatVersion: '2010-09-09',
      Strings: ['yes', 'No', 'null', '~', 'true', '0', '1.5', '-', '- a', 'a: b', 'a #b', '#x', '*', '&a', '!Ref', '', ' lead', 'trail ', 'multi\nline', 'quote"d', "it's", '@at', '`tick', '%pct', '{x}', '[y]', 'a,b', '${AWS::Region}', 'arn:aws:s3:::b/*', 'é ünïcode', '0x10', '1e3', '.inf', 'key:'],
      Numbers: [0, -1, 1.5, 3600],
      Bools: [true, false],
      Null: null,
      Empty: { list: [], map: {} },
      Nested: [{ a: 1, b: [1, [2, 3], { c: 'd' }] }, [{ e: 'f' }], 'plain'],
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}/${!cognito-identity.amazonaws.com:sub}/*',
      'weird key: yes': 1,
    };
    expect(parse(toYaml(value))).toEqual(value);
  });

  it('writes plain words without quotes', () => {
    expect(toYaml({ Type: 'AWS::S3::Bucket', Runtime: 'nodejs24.x' })).toBe('Type: AWS::S3::Bucket\nRuntime: nodejs24.x\n');
  });
});
