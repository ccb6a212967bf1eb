/**
 * Type tokens of the blueprint's components, `<package>:<module>:<Type>`, in one place. A token is
 * part of every child's URN: never rename one without an alias.
 */
export const TOKENS = {
  network: "jenkins-agent-bridge:network:Network",
  jenkinsController: "jenkins-agent-bridge:jenkins:Controller",
  agentGateway: "jenkins-agent-bridge:gateway:AgentGateway",
  agentCluster: "jenkins-agent-bridge:cluster:AgentCluster",
  agentAutoscaler: "jenkins-agent-bridge:cluster:AgentAutoscaler",
  agentProxy: "jenkins-agent-bridge:proxy:AgentProxy",
  monitoring: "jenkins-agent-bridge:monitoring:Monitoring",
} as const;
