import type { PasswordPolicy, UserPoolClientConfig, UserPoolConfig } from './user-pool.js';

/**
 * Pure readers from the rendered template's resource Properties to the endpoints' configuration,
 * with CloudFormation's defaults where a property is absent. Ids (the physical pool and client ids)
 * are the caller's: the template only has Refs.
 */

type Props = Record<string, unknown> | undefined;

export function passwordPolicyFromTemplate(userPoolProps: Props): PasswordPolicy {
  const policies = (userPoolProps?.Policies ?? {}) as Record<string, unknown>;
  const p = (policies.PasswordPolicy ?? {}) as Record<string, unknown>;
  return {
    minimumLength: typeof p.MinimumLength === 'number' ? p.MinimumLength : Number(p.MinimumLength ?? 8),
    requireUppercase: bool(p.RequireUppercase, true),
    requireLowercase: bool(p.RequireLowercase, true),
    requireNumbers: bool(p.RequireNumbers, true),
    requireSymbols: bool(p.RequireSymbols, true),
    temporaryPasswordValidityDays: p.TemporaryPasswordValidityDays === undefined ? 7 : Number(p.TemporaryPasswordValidityDays),
  };
}

const UNIT_MINUTES: Record<string, number> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 1440 };

/** AccessTokenValidity / IdTokenValidity / RefreshTokenValidity in TokenValidityUnits (defaults: 1 hour, 1 hour, 30 days); AuthSessionValidity in minutes (default 3). */
export function userPoolClientFromTemplate(clientId: string, clientProps: Props): UserPoolClientConfig {
  const props = clientProps ?? {};
  const units = (props.TokenValidityUnits ?? {}) as Record<string, unknown>;
  const minutes = (value: unknown, unit: unknown, defaultUnit: string, defaultValue: number): number => {
    const factor = UNIT_MINUTES[String(unit ?? defaultUnit)] ?? UNIT_MINUTES[defaultUnit]!;
    return (value === undefined ? defaultValue : Number(value)) * factor;
  };
  return {
    id: clientId,
    explicitAuthFlows: Array.isArray(props.ExplicitAuthFlows)
      ? (props.ExplicitAuthFlows as unknown[]).map(String)
      : ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    accessTokenMinutes: minutes(props.AccessTokenValidity, units.AccessToken, 'hours', 1),
    idTokenMinutes: minutes(props.IdTokenValidity, units.IdToken, 'hours', 1),
    refreshTokenDays: minutes(props.RefreshTokenValidity, units.RefreshToken, 'days', 30) / 1440,
    authSessionMinutes: props.AuthSessionValidity === undefined ? 3 : Number(props.AuthSessionValidity),
  };
}

/** The pool-level part of UserPoolConfig: password policy, UsernameAttributes, UsernameConfiguration.CaseSensitive. */
export function userPoolFromTemplate(poolId: string, userPoolProps: Props, clients: UserPoolClientConfig[]): UserPoolConfig {
  const usernameConfig = (userPoolProps?.UsernameConfiguration ?? {}) as Record<string, unknown>;
  return {
    id: poolId,
    clients,
    passwordPolicy: passwordPolicyFromTemplate(userPoolProps),
    usernameAttributes: Array.isArray(userPoolProps?.UsernameAttributes) ? (userPoolProps.UsernameAttributes as unknown[]).map(String) : [],
    // CloudFormation's default for a new pool without UsernameConfiguration is case-sensitive.
    caseSensitive: bool(usernameConfig.CaseSensitive, true),
  };
}

function bool(value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === true || value === 'true';
}
