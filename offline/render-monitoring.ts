/** One-line summaries of the monitoring resources in a rendered plan. */
import { TYPES } from "../policy/lib/types";
type Inputs = Record<string, unknown>;
type Namer = (value: unknown) => string;

const OPERATORS: Record<string, string> = {
  LessThanThreshold: "<",
  LessThanOrEqualToThreshold: "<=",
  GreaterThanThreshold: ">",
  GreaterThanOrEqualToThreshold: ">=",
};

/** `RunningTaskCount < 1 (Maximum, 2 of 2 x 300 s) -> monitoring-alarms on ALARM and OK`. */
function alarm(i: Inputs, name: Namer): string {
  const queries = (i.metricQueries as Inputs[] | undefined) ?? [];
  const metric = queries.length
    ? String(queries.find((q) => q.expression)?.expression ?? "?")
    : `${i.namespace} ${i.metricName}`;
  const stat = i.statistic ?? (queries.find((q) => q.metric)?.metric as Inputs | undefined)?.stat ?? "?";
  const period = i.period ?? (queries.find((q) => q.metric)?.metric as Inputs | undefined)?.period;
  const actions = (list: unknown) =>
    ((list as unknown[] | undefined) ?? []).map(name).join(", ") || "nothing";
  return `${metric} ${OPERATORS[String(i.comparisonOperator)] ?? i.comparisonOperator} ${i.threshold} (${stat}, ${i.datapointsToAlarm} of ${i.evaluationPeriods} x ${period} s, missing data ${i.treatMissingData}) -> ${actions(i.alarmActions)} on ALARM, ${actions(i.okActions)} on OK`;
}

export const MONITORING_SUMMARIES: Record<string, (inputs: Inputs, name: Namer) => string> = {
  [TYPES.metricAlarm]: alarm,
  [TYPES.topic]: (i, name) => `encrypted with ${name(i.kmsMasterKeyId)}`,
  [TYPES.subscription]: (i, name) => `${i.protocol} ${i.endpoint} <- ${name(i.topic)}`,
  [TYPES.dashboard]: (i) => {
    const body = JSON.parse(String(i.dashboardBody ?? "{}")) as { widgets?: unknown[] };
    return `${i.dashboardName}, ${(body.widgets ?? []).length} widgets`;
  },
  [TYPES.logMetricFilter]: (i) => {
    const t = (i.metricTransformation ?? {}) as Inputs;
    return `${t.namespace} ${t.name} = ${t.value} per matching line`;
  },
  [TYPES.cronJob]: (i) => {
    const spec = i.spec as Inputs;
    return `${spec.schedule}, concurrency ${spec.concurrencyPolicy}`;
  },
};
