import * as assert from "assert";
import {
  containerDefinitions,
  ContainerInputs,
  homeVolume,
  INIT_SCRIPT,
} from "../../components/jenkins/task-definition";

const inputs: ContainerInputs = {
  image: "jenkins/jenkins:2.555.1-lts-jdk21",
  transport: "websocket",
  jcasc: "jenkins:\n  numExecutors: 0\n",
  plugins: ["configuration-as-code:2088.ve3b_42c663c80", "git:5.10.1"],
  adminSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:admin-AbCdEf",
  logGroupName: "/ecs/jenkins-abc",
  region: "us-east-1",
};

type Container = Record<string, unknown> & {
  name: string;
  environment: { name: string; value: string }[];
  portMappings?: { containerPort: number; protocol: string }[];
};

const containers = (i: ContainerInputs) => containerDefinitions(i) as Container[];
const env = (c: Container) => Object.fromEntries(c.environment.map((e) => [e.name, e.value]));

describe("controller task definition", () => {
  it("runs the init container first, to completion, with the same image", () => {
    const [init, jenkins] = containers(inputs);
    assert.deepStrictEqual([init.name, init.essential, init.image], ["install", false, inputs.image]);
    assert.deepStrictEqual([jenkins.name, jenkins.essential, jenkins.image], ["jenkins", true, inputs.image]);
    assert.deepStrictEqual(jenkins.dependsOn, [{ containerName: "install", condition: "SUCCESS" }]);
    assert.deepStrictEqual(init.command, [INIT_SCRIPT]);
  });

  it("delivers the JCasC file byte for byte and the pinned plugins to the init container", () => {
    const [init] = containers(inputs);
    assert.strictEqual(Buffer.from(env(init).CASC_YAML_BASE64, "base64").toString("utf8"), inputs.jcasc);
    assert.strictEqual(env(init).PLUGINS, "configuration-as-code:2088.ve3b_42c663c80 git:5.10.1");
    assert.ok(
      INIT_SCRIPT.includes(
        'jenkins-plugin-cli --latest false --plugin-download-directory "$home/plugins.new" --plugins $PLUGINS',
      ),
    );
    assert.ok(INIT_SCRIPT.includes("home='/var/jenkins_home'"));
  });

  it("adds instance-identity to the plugins of a tcp controller only", () => {
    const [tcpInit] = containers({ ...inputs, transport: "tcp" });
    assert.strictEqual(
      env(tcpInit).PLUGINS,
      "configuration-as-code:2088.ve3b_42c663c80 git:5.10.1 instance-identity:203.v15e81a_1b_7a_38",
    );
    assert.ok(!env(containers(inputs)[0]).PLUGINS.includes("instance-identity"));
  });

  it("points Jenkins at the JCasC file and gives the password only through secrets", () => {
    const [init, jenkins] = containers(inputs);
    assert.deepStrictEqual(env(jenkins), {
      CASC_JENKINS_CONFIG: "/var/jenkins_home/casc/jenkins.yaml",
      JAVA_OPTS: "-Djenkins.install.runSetupWizard=false -XX:MaxRAMPercentage=75",
      JENKINS_SLAVE_AGENT_PORT: "-1",
    });
    assert.deepStrictEqual(jenkins.secrets, [
      { name: "JENKINS_ADMIN_PASSWORD", valueFrom: inputs.adminSecretArn },
    ]);
    assert.strictEqual(init.secrets, undefined);
  });

  it("exposes only 8080 in websocket mode, and 8080 and 50000 in tcp mode", () => {
    assert.deepStrictEqual(containers(inputs)[1].portMappings, [{ containerPort: 8080, protocol: "tcp" }]);
    const tcp = containers({ ...inputs, transport: "tcp" })[1];
    assert.deepStrictEqual(tcp.portMappings, [
      { containerPort: 8080, protocol: "tcp" },
      { containerPort: 50000, protocol: "tcp" },
    ]);
    assert.strictEqual(env(tcp).JENKINS_SLAVE_AGENT_PORT, "50000");
    assert.ok(!JSON.stringify(containerDefinitions(inputs)).includes("50000"));
  });

  it("mounts JENKINS_HOME through its access point, over TLS, authorised by the task role", () => {
    assert.deepStrictEqual(homeVolume("fs-0123", "fsap-0456"), {
      name: "jenkins-home",
      efsVolumeConfiguration: {
        fileSystemId: "fs-0123",
        transitEncryption: "ENABLED",
        authorizationConfig: { accessPointId: "fsap-0456", iam: "ENABLED" },
      },
    });
  });

  it("runs both containers as uid/gid 1000 on JENKINS_HOME, logging to the controller's group", () => {
    for (const c of containers(inputs)) {
      assert.strictEqual(c.user, "1000:1000");
      assert.deepStrictEqual(c.mountPoints, [
        { sourceVolume: "jenkins-home", containerPath: "/var/jenkins_home", readOnly: false },
      ]);
      assert.deepStrictEqual(c.logConfiguration, {
        logDriver: "awslogs",
        options: {
          "awslogs-group": "/ecs/jenkins-abc",
          "awslogs-region": "us-east-1",
          "awslogs-stream-prefix": c.name,
        },
      });
    }
  });
});
