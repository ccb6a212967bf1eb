/**
 * The alarms a stack may have and the settings of each (config `monitoring.alarms`): their keys,
 * defaults and what CloudWatch accepts of them. The alarms themselves are planned in alarms.ts.
 */

/** The alarms a stack may have, in the order a request travels the agent path. */
export const ALARM_KEYS = [
  "agentPathCheck",
  "agentPodsPending",
  "proxyReplicas",
  "natPortAllocation",
  "gatewayUnhealthy",
  "certificateExpiry",
  "controllerDown",
  "controllerRestarting",
  "uiUnhealthy",
  "ui5xx",
] as const;
export type AlarmKey = (typeof ALARM_KEYS)[number];

/** Threshold and evaluation of one alarm (config `monitoring.alarms.<key>`). */
export interface AlarmSettings {
  readonly threshold: number;
  /** Seconds per datapoint: 10, 20, 30 or a multiple of 60. */
  readonly periodSec: number;
  readonly evaluationPeriods: number;
  /** Breaching datapoints among the evaluated ones that put the alarm in ALARM. */
  readonly datapointsToAlarm: number;
}

/**
 * Defaults of every alarm's settings, and what they mean. The synthetic check's period is its
 * schedule, and it alarms on 2 of 2 datapoints: two failed runs in a row.
 */
export const ALARM_DEFAULTS: Readonly<Record<AlarmKey, AlarmSettings & { readonly doc: string }>> = {
  agentPathCheck: {
    threshold: 1,
    periodSec: 300,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    doc: "The synthetic WebSocket handshake check failed (or did not run): alarms when a run's result is FAIL (value >= threshold) in datapointsToAlarm of evaluationPeriods periods; the period must equal the check's schedule.",
  },
  agentPodsPending: {
    threshold: 1,
    periodSec: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 5,
    doc: "Pods of the agent cluster stay Pending (capacity or autoscaler trouble): at least threshold pending pods in every minute of evaluationPeriods.",
  },
  proxyReplicas: {
    threshold: 0,
    periodSec: 60,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    doc: "The agent proxy Service has fewer running pods than its replicas (websocket stacks): threshold 0 means the configured proxy.replicas; any other value is the count itself.",
  },
  natPortAllocation: {
    threshold: 1,
    periodSec: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    doc: "A NAT gateway could not allocate a source port (nodes cannot pull images or reach the cluster API): at least threshold errors in a period.",
  },
  gatewayUnhealthy: {
    threshold: 1,
    periodSec: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    doc: "The controller is unhealthy behind the agent gateway: healthy targets of a gateway target group below threshold.",
  },
  certificateExpiry: {
    threshold: 30,
    periodSec: 86400,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    doc: "The gateway's TLS certificate expires in fewer than threshold days (ACM DaysToExpiry).",
  },
  controllerDown: {
    threshold: 1,
    periodSec: 300,
    evaluationPeriods: 2,
    datapointsToAlarm: 2,
    doc: "The controller is down: running ECS tasks below threshold for every period evaluated (missing data counts as down).",
  },
  controllerRestarting: {
    threshold: 1,
    periodSec: 60,
    evaluationPeriods: 60,
    datapointsToAlarm: 5,
    doc: "The controller restarts in a loop: running tasks below threshold (a minute without data counts as none running) in datapointsToAlarm of evaluationPeriods periods; one deployment stops the task for a minute or two.",
  },
  uiUnhealthy: {
    threshold: 1,
    periodSec: 60,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    doc: "The controller is unhealthy behind the UI load balancer: healthy targets below threshold.",
  },
  ui5xx: {
    threshold: 10,
    periodSec: 300,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    doc: "The UI answers 5xx: load balancer and target 5xx responses together at least threshold in a period.",
  },
};

/**
 * The periods CloudWatch accepts and the span it evaluates: 10, 20, 30 s or a multiple of 60;
 * period × evaluation periods at most one day below an hour's period, else seven days; datapoints
 * to alarm at most the evaluation periods (PutMetricAlarm,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html).
 * Returns what is wrong, or undefined.
 */
export function alarmSettingsProblem(s: AlarmSettings): string | undefined {
  if (![10, 20, 30].includes(s.periodSec) && s.periodSec % 60 !== 0) {
    return `periodSec ${s.periodSec} is not 10, 20, 30 or a multiple of 60`;
  }
  const span = s.periodSec * s.evaluationPeriods;
  const limit = s.periodSec < 3600 ? 86400 : 604800;
  if (span > limit) {
    return `periodSec × evaluationPeriods is ${span} s; CloudWatch evaluates at most ${limit} s for this period`;
  }
  if (s.datapointsToAlarm > s.evaluationPeriods) {
    return `datapointsToAlarm ${s.datapointsToAlarm} exceeds evaluationPeriods ${s.evaluationPeriods}`;
  }
  return undefined;
}
