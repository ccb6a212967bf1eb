/**
 * Every key the controller's JCasC gives the Kubernetes cloud, its pod template, its containers and
 * its garbage collection is an attribute JCasC knows for the pinned Kubernetes plugin, and none is
 * deprecated: JCasC refuses unknown keys and, with its default settings, deprecated ones, and
 * Jenkins then does not start. The lists are the `@DataBoundConstructor` parameters and
 * `@DataBoundSetter`s (less the `@Deprecated` ones) of KubernetesCloud.java, PodTemplate.java,
 * ContainerTemplate.java and GarbageCollection.java in kubernetes plugin 4423.vb_59f230b_ce53.
 */
import * as assert from "assert";
import { defaultJcasc } from "../harness/agent-pod";

const CLOUD = [
  "name",
  "useJenkinsProxy",
  "usageRestricted",
  "retentionTimeout",
  "defaultsProviderTemplate",
  "templates",
  "serverUrl",
  "serverCertificate",
  "skipTlsVerify",
  "addMasterProxyEnvVars",
  "namespace",
  "jnlpregistry",
  "restrictedPssSecurityContext",
  "garbageCollection",
  "traits",
  "webSocket",
  "directConnection",
  "jenkinsUrl",
  "jenkinsTunnel",
  "credentialsId",
  "containerCapStr",
  "readTimeout",
  "podLabels",
  "maxRequestsPerHostStr",
  "maxRequestsPerHost",
  "connectTimeout",
  "podRetention",
  "waitForPodSec",
];
const POD_TEMPLATE = [
  "id",
  "yamlMergeStrategy",
  "inheritFrom",
  "name",
  "namespace",
  "instanceCap",
  "slaveConnectTimeout",
  "instanceCapStr",
  "slaveConnectTimeoutStr",
  "idleMinutes",
  "activeDeadlineSeconds",
  "idleMinutesStr",
  "activeDeadlineSecondsStr",
  "label",
  "nodeSelector",
  "nodeUsageMode",
  "runAsUser",
  "runAsGroup",
  "supplementalGroups",
  "hostNetwork",
  "serviceAccount",
  "schedulerName",
  "agentContainer",
  "agentInjection",
  "envVars",
  "annotations",
  "imagePullSecrets",
  "nodeProperties",
  "volumes",
  "workspaceVolume",
  "containers",
  "yaml",
  "podRetention",
  "inheritYamlMergeStrategy",
  "showRawYaml",
];
const CONTAINER = [
  "name",
  "image",
  "command",
  "args",
  "ttyEnabled",
  "workingDir",
  "privileged",
  "runAsUser",
  "runAsGroup",
  "alwaysPullImage",
  "envVars",
  "livenessProbe",
  "ports",
  "resourceRequestMemory",
  "resourceLimitMemory",
  "resourceRequestCpu",
  "resourceLimitCpu",
  "resourceRequestEphemeralStorage",
  "resourceLimitEphemeralStorage",
  "shell",
];
const GARBAGE_COLLECTION = ["namespaces", "timeout"];

const unknownKeys = (object: Record<string, unknown>, known: string[]) =>
  Object.keys(object).filter((k) => !known.includes(k));

describe("JCasC keys of the Kubernetes cloud", () => {
  for (const transport of ["websocket", "tcp"] as const) {
    it(`are attributes of the pinned plugin, none deprecated (${transport})`, () => {
      const cloud = defaultJcasc(transport).jenkins.clouds[0].kubernetes;
      assert.deepStrictEqual(unknownKeys(cloud, CLOUD), []);
      assert.deepStrictEqual(unknownKeys(cloud.garbageCollection, GARBAGE_COLLECTION), []);
      for (const template of cloud.templates) {
        assert.deepStrictEqual(unknownKeys(template, POD_TEMPLATE), []);
        for (const container of template.containers) {
          assert.deepStrictEqual(unknownKeys(container, CONTAINER), []);
        }
      }
    });
  }

  it("would catch a deprecated pod-level resource key", () => {
    assert.deepStrictEqual(unknownKeys({ name: "x", resourceRequestCpu: "1" }, POD_TEMPLATE), [
      "resourceRequestCpu",
    ]);
  });
});
