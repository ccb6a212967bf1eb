/**
 * The `monitoring` keys: where alarms notify (email addresses, HTTPS endpoints), each alarm's
 * threshold and evaluation, the synthetic check's schedule; and the checks that span them.
 */
import {
  ALARM_DEFAULTS,
  ALARM_KEYS,
  AlarmKey,
  alarmSettingsProblem,
} from "../components/monitoring/alarm-settings";
import { LOG_RETENTION_DAYS } from "./aws-facts";
import { HOST_LABEL } from "./checks";
import { checked, Field, int, list, object, Problems } from "./schema";
import { configKey } from "./keys";
import type { StackConfig } from "./stack-schema";

/** Minutes that divide the hour, so a run every N minutes repeats evenly. */
export const CHECK_MINUTES = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30, 60];

/**
 * An email address SNS can deliver to: one `@`, a local part without spaces, quotes, angle
 * brackets or separators, a domain of DNS labels with a letter TLD; at most 254 characters
 * (RFC 5321 path limit).
 */
export function emailProblem(value: string): string | undefined {
  if (value.length > 254) return "longer than 254 characters";
  const at = value.lastIndexOf("@");
  if (at < 1 || value.indexOf("@") !== at) return "not local-part@domain";
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64 || !/^[A-Za-z0-9!#$%&*+/=?^_`{|}~.-]+$/.test(local) || /^\.|\.$|\.\./.test(local)) {
    return "the part before @ is not a plain address";
  }
  const labels = domain.split(".");
  if (
    labels.length < 2 ||
    !labels.every((l) => HOST_LABEL.test(l)) ||
    !/^[A-Za-z]{2,63}$/.test(labels.at(-1)!)
  ) {
    return "the domain is not a DNS name";
  }
  return undefined;
}

/**
 * An HTTPS endpoint SNS can deliver to (subscription protocol `https`): an absolute `https://`
 * URL with a host, and no user or password in it (they would sit in the stack file and state in
 * plain text).
 */
export function httpsEndpointProblem(value: string): string | undefined {
  if (/\s/.test(value)) return "contains whitespace";
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "not a URL";
  }
  if (url.protocol !== "https:") return `scheme ${url.protocol.replace(":", "")}, not https`;
  if (!url.hostname) return "no host";
  if (url.username || url.password) return "credentials in the URL would be stored in plain text";
  if (value.length > 2048) return "longer than 2048 characters";
  return undefined;
}

/** One alarm's settings, with its defaults and meaning. */
function alarmSchema(key: AlarmKey) {
  const d = ALARM_DEFAULTS[key];
  return object(d.doc, {
    threshold: int({
      doc: `${key}: the alarm's threshold. ${d.doc}`,
      default: d.threshold,
      min: 0,
      max: 1_000_000,
    }),
    periodSec: int({
      doc: `${key}: seconds per evaluated datapoint (10, 20, 30 or a multiple of 60).`,
      default: d.periodSec,
      min: 10,
      max: 86400,
    }),
    evaluationPeriods: int({
      doc: `${key}: datapoints evaluated.`,
      default: d.evaluationPeriods,
      min: 1,
      max: 100,
    }),
    datapointsToAlarm: int({
      doc: `${key}: breaching datapoints among those evaluated that raise the alarm.`,
      default: d.datapointsToAlarm,
      min: 1,
      max: 100,
    }),
  });
}

const alarmsShape = Object.fromEntries(ALARM_KEYS.map((k) => [k, alarmSchema(k)])) as {
  [K in AlarmKey]: ReturnType<typeof alarmSchema>;
};

/** The `monitoring` object of the stack schema. */
export function monitoringSchema() {
  return object("Alarms, where they notify, the dashboard and the scheduled agent path check.", {
    emails: list(
      checked("email", {
        doc: "An address the alarm topic emails (it must confirm the subscription).",
        default: "",
        accepted: "an email address",
        check: emailProblem,
      }),
      {
        doc: "Email addresses subscribed to the stack's alarm topic; each must confirm the subscription AWS mails it.",
        default: [],
        maxLength: 20,
      },
    ),
    httpsEndpoints: list(
      checked("https URL", {
        doc: "An HTTPS endpoint the alarm topic posts to.",
        default: "",
        accepted: "an https:// URL",
        check: httpsEndpointProblem,
      }),
      {
        doc: "HTTPS endpoints subscribed to the stack's alarm topic (they must confirm the subscription SNS posts).",
        default: [],
        maxLength: 20,
      },
    ),
    agentPathCheckMinutes: int({
      doc: "Minutes between runs of the scheduled WebSocket handshake check in the agent namespace; the agentPathCheck alarm's period must match.",
      default: 5,
      min: 1,
      max: 60,
      oneOf: CHECK_MINUTES,
    }),
    clusterLogRetentionDays: int({
      doc: "Days the agent cluster's container logs (shipped by the CloudWatch observability add-on; the scheduled check's results are counted from them) are kept.",
      default: 14,
      min: 1,
      max: 3653,
      oneOf: LOG_RETENTION_DAYS,
    }),
    alarms: object("Threshold and evaluation of each alarm (see docs/operations.md).", alarmsShape),
  }) satisfies Field<unknown>;
}

/**
 * Checks across the monitoring keys: each alarm's period and evaluation as CloudWatch accepts
 * them, the check's alarm period equal to its schedule, distinct subscriptions, and a
 * certificate alarm that can be quiet (its threshold below the certificate's validity). One
 * check: none of it runs once a monitoring key has a problem of its own.
 */
export function checkMonitoring(config: StackConfig, problems: Problems): void {
  const { monitoring } = config;
  const certificateValidityDays = config.gateway.certificateValidityDays;
  if (problems.has(configKey("monitoring"))) return;
  for (const alarm of ALARM_KEYS) {
    const reason = alarmSettingsProblem(monitoring.alarms[alarm]);
    if (reason) {
      problems.invalid(
        configKey(`monitoring.alarms.${alarm}`),
        monitoring.alarms[alarm],
        `settings CloudWatch accepts: ${reason}`,
      );
    }
  }
  const check = monitoring.alarms.agentPathCheck;
  if (check.periodSec !== monitoring.agentPathCheckMinutes * 60) {
    problems.invalid(
      configKey("monitoring.alarms.agentPathCheck.periodSec"),
      check.periodSec,
      `${monitoring.agentPathCheckMinutes * 60}, the schedule of monitoring.agentPathCheckMinutes (${monitoring.agentPathCheckMinutes}) in seconds: one run per datapoint`,
    );
  }
  const expiry = monitoring.alarms.certificateExpiry.threshold;
  if (!problems.has(configKey("gateway")) && expiry >= certificateValidityDays) {
    problems.invalid(
      configKey("monitoring.alarms.certificateExpiry.threshold"),
      expiry,
      `fewer days than gateway.certificateValidityDays (${certificateValidityDays}), or the alarm never clears`,
    );
  }
  for (const name of ["emails", "httpsEndpoints"] as const) {
    const seen = new Set<string>();
    monitoring[name].forEach((value, i) => {
      const normal = value.toLowerCase();
      if (seen.has(normal)) {
        problems.invalid(configKey(`monitoring.${name}[${i}]`), value, "each subscription once");
      }
      seen.add(normal);
    });
  }
}
