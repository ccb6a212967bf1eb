/** The blueprint's components and their argument types. */
export * from "./network/nat";
export * from "./network/network";
export * from "./network/subnet-plan";
export * from "./jenkins/controller";
export * from "./gateway/gateway";
export * from "./gateway/plan";
export * from "./cluster/cluster";
export * from "./proxy/proxy";
export * from "./monitoring/monitoring";
