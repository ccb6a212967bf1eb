/**
 * What the stack watches on the agent path: the resources, by their outputs, and the metrics
 * they send. The alarms (alarms.ts) and the dashboard (dashboard.ts) are planned from these.
 *
 * Every dimension value comes from the watched resource's outputs (`T` is `string` in tests and a
 * Pulumi output in the component); no name is typed by hand. Sources of the metrics:
 * - ECS/ContainerInsights `RunningTaskCount` (ClusterName, ServiceName), emitted with Container
 *   Insights on; AWS/ECS `CPUUtilization`/`MemoryUtilization` are not sent while no task runs
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html).
 * - AWS/NetworkELB and AWS/ApplicationELB `HealthyHostCount` (TargetGroup, LoadBalancer: the ARN
 *   suffixes), ALB `HTTPCode_ELB_5XX_Count` / `HTTPCode_Target_5XX_Count` (LoadBalancer), NLB
 *   `ActiveFlowCount`, `NewFlowCount`, `ClientTLSNegotiationErrorCount`,
 *   `TargetTLSNegotiationErrorCount`, `TCP_Target_Reset_Count` (LoadBalancer)
 *   (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html).
 * - AWS/CertificateManager `DaysToExpiry` (CertificateArn), published daily for issued and
 *   imported certificates (https://docs.aws.amazon.com/acm/latest/userguide/cloudwatch-metrics.html).
 * - AWS/NATGateway `ErrorPortAllocation` (NatGatewayId)
 *   (https://docs.aws.amazon.com/vpc/latest/userguide/metrics-dimensions-nat-gateway.html).
 * - ContainerInsights (the `amazon-cloudwatch-observability` add-on, enhanced observability):
 *   `service_number_of_running_pods` (ClusterName, Namespace, Service), `pod_status_pending`
 *   (ClusterName), `cluster_node_count` (ClusterName), `namespace_number_of_running_pods`
 *   (ClusterName, Namespace): the dimension sets the CloudWatch agent's EMF exporter declares
 *   (github.com/aws/amazon-cloudwatch-agent, translator/translate/otel/exporter/awsemf/kubernetes.go).
 * - AWS/PrivateLinkEndpoints `ActiveConnections`, `NewConnections`, `PacketsDropped`
 *   (Endpoint Type, Service Name, VPC Endpoint Id, VPC Id)
 *   (https://docs.aws.amazon.com/vpc/latest/privatelink/privatelink-cloudwatch-metrics.html).
 * - AWS/EFS `MeteredIOBytes`, `DataReadIOBytes`, `DataWriteIOBytes` (FileSystemId).
 */

/** A metric: namespace, name and dimensions (name to value). */
export interface MetricRef<T> {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, T | string>>;
}

/** The resources the alarms and the dashboard watch, by their outputs. */
export interface Watched<T> {
  readonly region: string;
  readonly controller: {
    /** ECS cluster and service names. */
    readonly clusterName: T;
    readonly serviceName: T;
    /** ARN suffixes of the UI load balancer and its target group. */
    readonly uiLoadBalancer: T;
    readonly uiTargetGroup: T;
    /** JENKINS_HOME's EFS file system. */
    readonly fileSystemId: T;
  };
  readonly gateway: {
    /** ARN suffix of the network load balancer. */
    readonly loadBalancer: T;
    /** ARN suffixes of its target groups, with the controller port each forwards to. */
    readonly targetGroups: readonly { readonly port: number; readonly arnSuffix: T }[];
    /** The TLS listener's ACM certificate (absent without a TLS listener). */
    readonly certificateArn?: T;
    /** Interface endpoint in the agent VPC: ID, its VPC and the endpoint service's name. */
    readonly endpointId: T;
    readonly endpointVpcId: T;
    readonly endpointServiceName: T;
  };
  /** NAT gateways of both networks. */
  readonly natGateways: readonly { readonly label: string; readonly id: T }[];
  readonly cluster: {
    readonly name: T;
    /** Agent namespace. */
    readonly namespace: string;
  };
  /** websocket stacks: the proxy's Service, namespace and replicas. */
  readonly proxy?: { readonly service: string; readonly namespace: string; readonly replicas: number };
  /** Where the synthetic check's results are counted (a metric filter on the add-on's logs). */
  readonly agentPathCheck: { readonly namespace: string; readonly metricName: string };
}
