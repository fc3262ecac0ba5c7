import type { Rule, RuleOutcome } from '../rule-types.js';
import { STAGE_TYPES, stageView } from '../rule-helpers/apigw.js';
import { nonCompliant, notApplicable, outcomes } from '../rule-helpers/outcomes.js';
import { getPath, isSet } from '../rule-helpers/values.js';

export const rule: Rule = {
  id: 'apigw-access-logs',
  level: 'error',
  explanation: 'Access logs record every request (caller, route, status, latency); without them abuse and errors cannot be traced.',
  fix: 'Set AccessLogSetting: { DestinationArn: !GetAtt ApiAccessLogs.Arn, Format: <JSON format with $context.requestId, $context.identity.sourceIp, $context.status...> } on the stage.',
  resourceTypes: STAGE_TYPES,
  check(_id, resource) {
    const view = stageView(resource);
    if (!view) return notApplicable;
    const found: RuleOutcome[] = [];
    if (!isSet(getPath(view.props, 'AccessLogSetting.DestinationArn'))) {
      found.push(nonCompliant('the stage has no access log destination', `${view.base}.AccessLogSetting.DestinationArn`));
    }
    if (!isSet(getPath(view.props, 'AccessLogSetting.Format'))) {
      found.push(nonCompliant('the stage has no access log format', `${view.base}.AccessLogSetting.Format`));
    }
    return outcomes(found);
  },
};
