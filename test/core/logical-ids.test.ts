import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/actions/content-hash.js';
import { renameResource, stampDeployments } from '../../src/core/logical-ids.js';
import type { CfnTemplate } from '../../src/core/types.js';

const api = (path: string): CfnTemplate => ({
  Resources: {
    Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'x' } },
    Items: { Type: 'AWS::ApiGateway::Resource', Properties: { PathPart: path, RestApiId: { Ref: 'Api' } } },
    Deployment: { Type: 'AWS::ApiGateway::Deployment', DependsOn: ['Items'], Properties: { RestApiId: { Ref: 'Api' } } },
    Stage: { Type: 'AWS::ApiGateway::Stage', DependsOn: 'Deployment', Properties: { DeploymentId: { Ref: 'Deployment' } } },
  },
  Outputs: { Dep: { Value: { 'Fn::Sub': 'id ${Deployment} ${Deployment.Attr} ${DeploymentX}' } } },
});

describe('logical ids', () => {
  it('hashes deterministically', () => {
    expect(contentHash('')).toBe('E3B0C442');
    expect(contentHash('a')).toBe('CA978112');
  });

  it('renames a resource and every Ref, GetAtt, Sub and DependsOn to it', () => {
    const t = renameResource(api('items'), 'Deployment', 'Dep2');
    expect(Object.keys(t.Resources)).toEqual(['Api', 'Items', 'Dep2', 'Stage']);
    expect(t.Resources.Stage).toMatchObject({ DependsOn: 'Dep2', Properties: { DeploymentId: { Ref: 'Dep2' } } });
    expect(t.Outputs!.Dep!.Value).toEqual({ 'Fn::Sub': 'id ${Dep2} ${Dep2.Attr} ${DeploymentX}' });
  });

  it('gives the Deployment a new id exactly when the API changes', () => {
    const a = Object.keys(stampDeployments(api('items'), contentHash).Resources);
    const again = Object.keys(stampDeployments(api('items'), contentHash).Resources);
    const changed = Object.keys(stampDeployments(api('things'), contentHash).Resources);
    expect(a[2]).toMatch(/^Deployment[0-9A-F]{8}$/);
    expect(again).toEqual(a);
    expect(changed[2]).not.toBe(a[2]);
  });
});
