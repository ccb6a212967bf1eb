/**
 * controller-single-writer: the Jenkins controller's ECS service never runs two tasks on one
 * JENKINS_HOME: `desiredCount` 1, `deploymentMinimumHealthyPercent` 0 and
 * `deploymentMaximumPercent` 100, so a deployment stops the old task before it starts the new one
 * (`components/jenkins/controller.ts`). Each must be set: unset, ECS would run no task (0) or keep
 * 100 % while starting up to 200 %.
 *
 * The controller's service is recognised by its URN, whose type chain holds the
 * `jenkins-agent-bridge:jenkins:Controller` component (whatever the component instance is
 * called), or, for a service declared elsewhere, by a load balancer registration of the
 * controller's container, `jenkins`.
 */
import {
  asList,
  asObject,
  isUnknown,
  Resource,
  show,
  typeChain,
  Violation,
  violation,
  mandatoryResourcePolicy,
} from "../lib/resources";
import { COMPONENT_TYPES, TYPES } from "../lib/types";

/** Name of the Jenkins container in the controller's task. */
export const CONTROLLER_CONTAINER = "jenkins";

/** The settings a single writer needs, and what ECS does when each is unset. */
const REQUIRED: readonly { key: string; value: number; unset: string }[] = [
  { key: "desiredCount", value: 1, unset: "ECS runs no task" },
  { key: "deploymentMinimumHealthyPercent", value: 0, unset: "ECS keeps 100 % running during a deployment" },
  { key: "deploymentMaximumPercent", value: 100, unset: "ECS starts up to 200 % during a deployment" },
];

/** Whether an ECS service is the Jenkins controller's. */
export function isControllerService(resource: Resource): boolean {
  if (resource.type !== TYPES.ecsService) return false;
  if (typeChain(resource.urn).slice(0, -1).includes(COMPONENT_TYPES.controller)) return true;
  return asList(resource.props.loadBalancers).some(
    (lb) => asObject(lb)?.containerName === CONTROLLER_CONTAINER,
  );
}

/** The violations of one resource. */
export function checkSingleWriter(resource: Resource): Violation[] {
  if (!isControllerService(resource)) return [];
  return REQUIRED.flatMap(({ key, value, unset }) => {
    const actual = resource.props[key];
    if (actual === value || isUnknown(actual)) return [];
    const why = actual === undefined ? ` (${unset})` : "";
    return [
      violation(
        resource,
        `${key} is ${show(actual)}${why}; the controller's service must keep ${key} ${value} so two controllers never share JENKINS_HOME`,
      ),
    ];
  });
}

export const controllerSingleWriter = mandatoryResourcePolicy(
  "controller-single-writer",
  "The Jenkins controller's ECS service keeps desiredCount 1, deploymentMinimumHealthyPercent 0 and " +
    "deploymentMaximumPercent 100, so two controllers never write to one JENKINS_HOME.",
  checkSingleWriter,
);
