/** TLS settings the blueprint's load balancers share. */

/** TLS policy of every TLS and HTTPS listener (agent gateway, UI): TLS 1.3 and 1.2 only. */
export const LISTENER_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
