package io.parley.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.parley.events.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders each overlay of deploy/k8s with {@code kubectl kustomize} (no cluster needed) and checks, on the objects a
 * cluster would receive, what the deployment relies on (issue 16): probes on the management port, a restricted
 * security context, resources, spreading, disruption budgets and autoscalers; the replicas of each overlay; a
 * KafkaTopic for every topic of {@link Topics#ALL} and every topic a service's configuration names; network policies
 * that expose the gateway only; a database and a role per service; configuration names that the README documents.
 *
 * <p>Every object is also validated against the schema of its kind, unknown fields being errors ({@link
 * StrictSchemas}: Kubernetes 1.34, Strimzi 0.45, the ServiceMonitor; CloudNativePG's kinds are not, no registry has
 * their schema).
 *
 * <p>Skipped (with the reason) when kubectl is not installed; {@code KUBECTL} may name its path.
 */
class ManifestsTest {

    /** The folder of deploy/k8s: the module's own, where Maven runs its tests. */
    static final Path K8S = Path.of("").toAbsolutePath();

    static final Path ROOT = K8S.resolve("../..").normalize();
    static final List<String> SERVICES =
            List.of("gateway", "conversation-service", "message-service", "notification-service");
    static final int MANAGEMENT_PORT = 9000;

    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    // ---- what every Deployment must have

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDeploymentHasTheThreeProbesOnTheManagementPort(String overlay) {
        assertThat(names(overlay, "Deployment")).containsExactlyInAnyOrderElementsOf(SERVICES);
        for (JsonNode deployment : objects(overlay, "Deployment")) {
            for (JsonNode container : podSpec(deployment).path("containers")) {
                String where = name(deployment) + "/" + container.path("name").asText();
                Map<String, String> probes = Map.of(
                        "startupProbe",
                        "/q/health/started",
                        "readinessProbe",
                        "/q/health/ready",
                        "livenessProbe",
                        "/q/health/live");
                probes.forEach((probe, path) -> {
                    JsonNode get = container.path(probe).path("httpGet");
                    assertThat(get.path("path").asText())
                            .as(where + " " + probe)
                            .isEqualTo(path);
                    assertThat(port(container, get.path("port")))
                            .as(where + " " + probe + " port")
                            .isEqualTo(MANAGEMENT_PORT);
                });
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDeploymentRunsAsNonRootOnAReadOnlyFilesystemWithNoPrivileges(String overlay) {
        for (JsonNode deployment : objects(overlay, "Deployment")) {
            JsonNode pod = podSpec(deployment);
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean())
                    .as(name(deployment))
                    .isTrue();
            assertThat(pod.path("securityContext")
                            .path("seccompProfile")
                            .path("type")
                            .asText())
                    .as(name(deployment))
                    .isEqualTo("RuntimeDefault");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true))
                    .as(name(deployment))
                    .isFalse();
            for (JsonNode container : pod.path("containers")) {
                JsonNode sc = container.path("securityContext");
                String where = name(deployment) + "/" + container.path("name").asText();
                assertThat(sc.path("allowPrivilegeEscalation").asBoolean(true))
                        .as(where)
                        .isFalse();
                assertThat(sc.path("readOnlyRootFilesystem").asBoolean())
                        .as(where)
                        .isTrue();
                assertThat(texts(sc.path("capabilities").path("drop")))
                        .as(where)
                        .contains("ALL");
                assertThat(sc.path("privileged").asBoolean(false)).as(where).isFalse();
                // the read-only root needs a writable /tmp (Vert.x's cache, upload parts)
                String tmpVolume = null;
                for (JsonNode mount : container.path("volumeMounts")) {
                    if (mount.path("mountPath").asText().equals("/tmp")) {
                        tmpVolume = mount.path("name").asText();
                    }
                }
                assertThat(tmpVolume).as(where + " mounts /tmp").isNotNull();
                assertThat(volume(pod, tmpVolume).has("emptyDir"))
                        .as(where + " /tmp is an emptyDir")
                        .isTrue();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDeploymentHasResourcesSpreadsAndHasAServiceAndADisruptionBudget(String overlay) {
        for (JsonNode deployment : objects(overlay, "Deployment")) {
            for (JsonNode container : podSpec(deployment).path("containers")) {
                JsonNode resources = container.path("resources");
                for (String bound : List.of("requests", "limits")) {
                    for (String resource : List.of("cpu", "memory")) {
                        assertThat(resources.path(bound).path(resource).isMissingNode())
                                .as(name(deployment) + " " + bound + "." + resource)
                                .isFalse();
                    }
                }
            }
            Set<String> spreadKeys = new HashSet<>();
            podSpec(deployment)
                    .path("topologySpreadConstraints")
                    .forEach(c -> spreadKeys.add(c.path("topologyKey").asText()));
            assertThat(spreadKeys)
                    .as(name(deployment))
                    .contains("topology.kubernetes.io/zone", "kubernetes.io/hostname");
            JsonNode labels =
                    deployment.path("spec").path("template").path("metadata").path("labels");
            assertThat(objects(overlay, "PodDisruptionBudget"))
                    .as(name(deployment) + " has a PodDisruptionBudget")
                    .anyMatch(pdb -> selects(pdb.path("spec").path("selector"), labels));
            assertThat(objects(overlay, "Service"))
                    .as(name(deployment) + " has a Service")
                    .anyMatch(s -> !s.path("spec").path("selector").isMissingNode()
                            && selectsLabels(s.path("spec").path("selector"), labels));
        }
        assertThat(objects(overlay, "Service"))
                .as("no Service is reachable from outside the cluster")
                .allMatch(s -> s.path("spec").path("type").asText("ClusterIP").equals("ClusterIP"));
    }

    @Test
    void devRunsOneOfEachAndProdAtLeastTwoAndThreeGateways() {
        for (JsonNode deployment : objects("dev", "Deployment")) {
            assertThat(deployment.path("spec").path("replicas").asInt())
                    .as("dev " + name(deployment))
                    .isEqualTo(1);
        }
        for (JsonNode deployment : objects("prod", "Deployment")) {
            int replicas = deployment.path("spec").path("replicas").asInt();
            assertThat(replicas)
                    .as("prod " + name(deployment))
                    .isGreaterThanOrEqualTo(name(deployment).equals("gateway") ? 3 : 2);
        }
        assertThat(names("prod", "HorizontalPodAutoscaler")).containsExactlyInAnyOrder("gateway", "message-service");
        for (JsonNode hpa : objects("prod", "HorizontalPodAutoscaler")) {
            String target = hpa.path("spec").path("scaleTargetRef").path("name").asText();
            assertThat(hpa.path("spec").path("minReplicas").asInt())
                    .as("prod HPA " + target)
                    .isEqualTo(object("prod", "Deployment", target)
                            .path("spec")
                            .path("replicas")
                            .asInt());
            assertThat(hpa.path("spec").path("maxReplicas").asInt())
                    .isGreaterThan(hpa.path("spec").path("minReplicas").asInt());
        }
        assertThat(object("prod", "Kafka", "parley")
                        .path("spec")
                        .path("kafka")
                        .path("config")
                        .path("min.insync.replicas")
                        .asInt())
                .isEqualTo(2);
        assertThat(object("prod", "Cluster", "parley-postgres")
                        .path("spec")
                        .path("instances")
                        .asInt())
                .isEqualTo(3);
        objects("prod", "KafkaNodePool")
                .forEach(pool -> assertThat(pool.path("spec").path("replicas").asInt())
                        .as(name(pool))
                        .isEqualTo(3));
    }

    // ---- Kafka

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyTopicOfTheCodeHasItsKafkaTopicWithTheSamePartitions(String overlay) {
        Map<String, JsonNode> topics = new HashMap<>();
        for (JsonNode topic : objects(overlay, "KafkaTopic")) {
            topics.put(topic.path("spec").path("topicName").asText(name(topic)), topic);
        }
        assertThat(topics.keySet())
                .as("KafkaTopics")
                .containsExactlyInAnyOrderElementsOf(
                        Topics.ALL.stream().map(Topics.Spec::name).toList());
        for (Topics.Spec spec : Topics.ALL) {
            JsonNode topic = topics.get(spec.name()).path("spec");
            assertThat(topic.path("partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
            if (spec.retentionMs() != null) {
                assertThat(topic.path("config").path("retention.ms").asLong())
                        .as(spec.name())
                        .isEqualTo(spec.retentionMs());
            }
            int replicas = topic.path("replicas").asInt();
            int minIsr = topic.path("config").path("min.insync.replicas").asInt();
            assertThat(minIsr).as(spec.name() + " min.insync.replicas").isBetween(1, replicas);
            if (overlay.equals("prod")) {
                assertThat(replicas).as(spec.name()).isEqualTo(3);
                assertThat(minIsr).as(spec.name()).isEqualTo(2);
            }
        }
        // and every topic a service's configuration names (channels), so that a new channel cannot miss its topic
        assertThat(topics.keySet()).containsAll(topicsInServiceConfiguration());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceConnectsWithItsOwnKafkaUserOverTls(String overlay) {
        Set<String> topicNames = new HashSet<>();
        objects(overlay, "KafkaTopic")
                .forEach(t -> topicNames.add(t.path("spec").path("topicName").asText()));
        JsonNode listener = object(overlay, "Kafka", "parley")
                .path("spec")
                .path("kafka")
                .path("listeners")
                .get(0);
        assertThat(listener.path("tls").asBoolean()).isTrue();
        for (JsonNode deployment : objects(overlay, "Deployment")) {
            Map<String, String> env = env(overlay, deployment);
            assertThat(env)
                    .as(name(deployment))
                    .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
                    .containsEntry(
                            "KAFKA_BOOTSTRAP_SERVERS",
                            "parley-kafka-bootstrap:" + listener.path("port").asInt());
            String user = secretRef(deployment, "KAFKA_SASL_JAAS_CONFIG");
            JsonNode kafkaUser = object(overlay, "KafkaUser", user);
            assertThat(kafkaUser
                            .path("spec")
                            .path("authentication")
                            .path("type")
                            .asText())
                    .isEqualTo(listener.path("authentication").path("type").asText());
            for (JsonNode acl : kafkaUser.path("spec").path("authorization").path("acls")) {
                if (acl.path("resource").path("type").asText().equals("topic")) {
                    assertThat(topicNames)
                            .as(user + " ACL")
                            .contains(acl.path("resource").path("name").asText());
                }
            }
        }
    }

    // ---- network

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyTheGatewayIsReachableFromOutsideAndEveryServiceHasItsPolicies(String overlay) {
        List<JsonNode> policies = objects(overlay, "NetworkPolicy");
        assertThat(policies)
                .as("a default deny of ingress for every pod")
                .anyMatch(p -> p.path("spec").path("podSelector").isEmpty()
                        && texts(p.path("spec").path("policyTypes")).contains("Ingress")
                        && p.path("spec").path("ingress").isEmpty());
        for (JsonNode deployment : objects(overlay, "Deployment")) {
            JsonNode labels =
                    deployment.path("spec").path("template").path("metadata").path("labels");
            assertThat(policies)
                    .as(name(deployment) + " has a policy of its own, for ingress and egress")
                    .anyMatch(p -> p.path("spec")
                                    .path("podSelector")
                                    .path("matchLabels")
                                    .path("parley.io/service")
                                    .asText()
                                    .equals(name(deployment))
                            && texts(p.path("spec").path("policyTypes")).containsAll(List.of("Ingress", "Egress")));
            assertThat(policies)
                    .as(name(deployment) + " is under a default deny of egress")
                    .anyMatch(p -> selects(p.path("spec").path("podSelector"), labels)
                            && texts(p.path("spec").path("policyTypes")).contains("Egress")
                            && p.path("spec").path("egress").isEmpty());
        }
        // Who admits traffic from outside the namespace (another namespace or an address) on a service's HTTP port.
        Set<String> exposed = new TreeSet<>();
        for (JsonNode policy : policies) {
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                boolean fromOutside = rule.path("from").isEmpty()
                        || stream(rule.path("from"))
                                .anyMatch(peer -> peer.has("namespaceSelector") || peer.has("ipBlock"));
                boolean http = rule.path("ports").isEmpty()
                        || stream(rule.path("ports"))
                                .anyMatch(p -> p.path("port").asInt() == 8080
                                        || p.path("port").asText().equals("http"));
                if (fromOutside && http) {
                    for (JsonNode deployment : objects(overlay, "Deployment")) {
                        if (selects(
                                policy.path("spec").path("podSelector"),
                                deployment
                                        .path("spec")
                                        .path("template")
                                        .path("metadata")
                                        .path("labels"))) {
                            exposed.add(name(deployment));
                        }
                    }
                }
            }
        }
        assertThat(exposed).containsExactly("gateway");
        List<JsonNode> ingresses = objects(overlay, "Ingress");
        assertThat(ingresses).hasSize(1);
        Set<String> backends = new TreeSet<>();
        Set<String> paths = new TreeSet<>();
        for (JsonNode rule : ingresses.get(0).path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                backends.add(path.path("backend").path("service").path("name").asText());
                paths.add(path.path("path").asText());
            }
        }
        assertThat(backends).containsExactly("gateway");
        assertThat(paths).contains("/api", "/ws");
        assertThat(ingresses
                        .get(0)
                        .path("metadata")
                        .path("annotations")
                        .path("nginx.ingress.kubernetes.io/proxy-read-timeout")
                        .asInt())
                .isGreaterThanOrEqualTo(3600);
    }

    // ---- PostgreSQL, configuration, secrets

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceHasItsOwnDatabaseOwnedByItsOwnRole(String overlay) {
        JsonNode cluster = object(overlay, "Cluster", "parley-postgres");
        Map<String, String> rolePasswords = new HashMap<>();
        cluster.path("spec")
                .path("managed")
                .path("roles")
                .forEach(role -> rolePasswords.put(
                        role.path("name").asText(),
                        role.path("passwordSecret").path("name").asText()));
        Set<String> databases = new HashSet<>();
        for (JsonNode deployment : objects(overlay, "Deployment")) {
            String url = env(overlay, deployment).get("QUARKUS_DATASOURCE_REACTIVE_URL");
            assertThat(url).as(name(deployment)).startsWith("postgresql://parley-postgres-rw:5432/");
            String database = url.substring(url.lastIndexOf('/') + 1);
            assertThat(env(overlay, deployment).get("QUARKUS_DATASOURCE_JDBC_URL"))
                    .isEqualTo("jdbc:" + url);
            assertThat(databases.add(database))
                    .as(database + " is one service's only")
                    .isTrue();
            String secret = secretRef(deployment, "QUARKUS_DATASOURCE_USERNAME");
            String user = decoded(object(overlay, "Secret", secret), "username");
            JsonNode db = objects(overlay, "Database").stream()
                    .filter(d -> d.path("spec").path("name").asText().equals(database))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no Database " + database));
            assertThat(db.path("spec").path("owner").asText()).as(database).isEqualTo(user);
            assertThat(rolePasswords).as("the role " + user).containsEntry(user, secret);
        }
        boolean backedUp =
                !cluster.path("spec").path("backup").path("barmanObjectStore").isMissingNode();
        assertThat(backedUp).as(overlay + " backs PostgreSQL up").isEqualTo(overlay.equals("prod"));
        if (backedUp) {
            assertThat(names(overlay, "ScheduledBackup")).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everySecretAndConfigMapADeploymentNeedsIsThereOrMadeByAnOperator(String overlay) {
        Set<String> secrets = new HashSet<>(names(overlay, "Secret"));
        secrets.addAll(names(overlay, "KafkaUser")); // Strimzi's user operator
        names(overlay, "Kafka").forEach(k -> secrets.add(k + "-cluster-ca-cert")); // Strimzi's cluster operator
        Set<String> configMaps = new HashSet<>(names(overlay, "ConfigMap"));
        for (JsonNode deployment : objects(overlay, "Deployment")) {
            JsonNode pod = podSpec(deployment);
            List<JsonNode> refs = new ArrayList<>();
            pod.path("volumes").forEach(v -> {
                if (v.has("secret")) {
                    refs.add(ref(
                            v.path("secret"),
                            "Secret",
                            v.path("secret").path("secretName").asText()));
                }
            });
            for (JsonNode container : pod.path("containers")) {
                container.path("envFrom").forEach(e -> {
                    if (e.has("secretRef")) {
                        refs.add(ref(
                                e.path("secretRef"),
                                "Secret",
                                e.path("secretRef").path("name").asText()));
                    }
                    if (e.has("configMapRef")) {
                        refs.add(ref(
                                e.path("configMapRef"),
                                "ConfigMap",
                                e.path("configMapRef").path("name").asText()));
                    }
                });
                container.path("env").forEach(e -> {
                    JsonNode ref = e.path("valueFrom").path("secretKeyRef");
                    if (!ref.isMissingNode()) {
                        refs.add(ref(ref, "Secret", ref.path("name").asText()));
                    }
                });
            }
            for (JsonNode ref : refs) {
                if (ref.path("optional").asBoolean(false)) {
                    continue;
                }
                Set<String> known = ref.path("kind").asText().equals("Secret") ? secrets : configMaps;
                assertThat(known)
                        .as(name(deployment) + " needs the " + ref.path("kind").asText())
                        .contains(ref.path("name").asText());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyParleySettingTheManifestsSetIsOneTheReadmeDocuments(String overlay) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        for (JsonNode deployment : objects(overlay, "Deployment")) {
            for (String name : env(overlay, deployment).keySet()) {
                if (name.startsWith("PARLEY_")) {
                    assertThat(readme)
                            .as(name(deployment) + ": " + name + " in README.md's configuration")
                            .contains("`" + name + "`");
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theGatewayHasTimeToHandItsClientsOverBeforeItIsKilled(String overlay) {
        JsonNode gateway = object(overlay, "Deployment", "gateway");
        Map<String, String> env = env(overlay, gateway);
        JsonNode container = podSpec(gateway).path("containers").get(0);
        long preStop = container
                .path("lifecycle")
                .path("preStop")
                .path("sleep")
                .path("seconds")
                .asLong();
        long drain = seconds(env.get("PARLEY_GATEWAY_SHUTDOWN_DRAIN"));
        long requests = seconds(env.get("QUARKUS_SHUTDOWN_TIMEOUT"));
        assertThat(preStop).as("preStop sleep").isPositive();
        assertThat(drain).as("PARLEY_GATEWAY_SHUTDOWN_DRAIN").isPositive();
        // a margin for the last closes, Kafka's and the database's own shutdown
        assertThat(podSpec(gateway).path("terminationGracePeriodSeconds").asLong())
                .isGreaterThanOrEqualTo(preStop + drain + requests + 10);
        assertThat(gateway.path("spec")
                        .path("strategy")
                        .path("rollingUpdate")
                        .path("maxUnavailable")
                        .asInt())
                .isZero();
    }

    // ---- every object against the schema of its kind (StrictSchemas)

    /**
     * Every rendered object of each overlay and of deploy/k8s/monitoring is valid against the schema of its kind, with
     * unknown fields as errors: Kubernetes 1.34's API, Strimzi's API model, the ServiceMonitor's (see
     * {@link StrictSchemas} for where each comes from, and what is not validated).
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "../monitoring"})
    void everyObjectIsValidAgainstTheSchemaOfItsKind(String overlay) {
        List<String> problems = new ArrayList<>();
        for (JsonNode object : rendered(overlay)) {
            StrictSchemas.problem(object)
                    .ifPresent(p -> problems.add(StrictSchemas.key(object) + " " + name(object) + ": " + p));
        }
        assertThat(problems).as(overlay).isEmpty();
    }

    /**
     * The validation bites: a field that no schema defines, a wrong type or a missing required field, put into
     * objects that the dev overlay renders, is an error for each source of schemas.
     */
    @Test
    void theSchemaValidationRejectsUnknownFieldsWrongTypesAndMissingRequiredFields() {
        JsonNode deployment = object("dev", "Deployment", "gateway");
        assertThat(StrictSchemas.problem(deployment)).isEmpty();
        assertThat(StrictSchemas.problem(with(deployment, "/spec", "replicaz", 3)))
                .hasValueSatisfying(p -> assertThat(p).contains("replicaz"));
        assertThat(StrictSchemas.problem(with(deployment, "/spec/template/spec/containers/0", "imagePullPolicyy", "x")))
                .hasValueSatisfying(p -> assertThat(p).contains("imagePullPolicyy"));
        assertThat(StrictSchemas.problem(with(deployment, "/spec", "replicas", "three")))
                .isPresent();
        com.fasterxml.jackson.databind.node.ObjectNode noSelector = deployment.deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) noSelector.path("spec")).remove("selector");
        assertThat(StrictSchemas.problem(noSelector))
                .hasValueSatisfying(p -> assertThat(p).contains("selector"));

        JsonNode kafka = object("dev", "Kafka", "parley");
        assertThat(StrictSchemas.problem(kafka)).isEmpty();
        assertThat(StrictSchemas.problem(with(kafka, "/spec/kafka", "listenerz", 1)))
                .hasValueSatisfying(p -> assertThat(p).contains("listenerz"));
        JsonNode user = objects("dev", "KafkaUser").get(0);
        assertThat(StrictSchemas.problem(user)).isEmpty();
        assertThat(StrictSchemas.problem(with(user, "/spec/authorization/acls/0", "operation", "Read")))
                .as("a property Strimzi deprecates (its v1 API drops it) counts as unknown")
                .hasValueSatisfying(p -> assertThat(p).contains("operation"));
        JsonNode topic = objects("dev", "KafkaTopic").get(0);
        assertThat(StrictSchemas.problem(with(topic, "/spec", "partitions", "many")))
                .isPresent();

        JsonNode monitor = rendered("../monitoring").stream()
                .filter(o -> o.path("kind").asText().equals("ServiceMonitor"))
                .findFirst()
                .orElseThrow();
        assertThat(StrictSchemas.problem(monitor)).isEmpty();
        assertThat(StrictSchemas.problem(with(monitor, "/spec/endpoints/0", "pathz", "/q/metrics")))
                .hasValueSatisfying(p -> assertThat(p).contains("pathz"));

        assertThat(StrictSchemas.problem(new YAMLMapper()
                        .createObjectNode()
                        .put("apiVersion", "example.io/v1")
                        .put("kind", "Unknown")))
                .as("a kind with no schema fails")
                .isPresent();
    }

    /** A copy of {@code object} with {@code field} set to {@code value} in the object at {@code pointer}. */
    private static JsonNode with(JsonNode object, String pointer, String field, Object value) {
        JsonNode copy = object.deepCopy();
        com.fasterxml.jackson.databind.node.ObjectNode target =
                (com.fasterxml.jackson.databind.node.ObjectNode) copy.at(pointer);
        target.set(field, new YAMLMapper().valueToTree(value));
        return copy;
    }

    /**
     * The optional monitoring kustomization ({@code deploy/k8s/monitoring}, docs/deploy.md): a ServiceMonitor per
     * service that scrapes {@code /q/metrics} on the pods' management port with the job named after the service (the
     * label deploy/observability's alert rules group by), through a headless Service that selects exactly that
     * service's pods of the prod overlay.
     */
    @Test
    void everyServiceIsScrapedOnItsManagementPortAsAJobNamedAfterIt() {
        List<JsonNode> monitoring = rendered("../monitoring");
        List<JsonNode> monitors = monitoring.stream()
                .filter(o -> o.path("kind").asText().equals("ServiceMonitor"))
                .toList();
        assertThat(monitors.stream().map(ManifestsTest::name).toList()).containsExactlyInAnyOrderElementsOf(SERVICES);
        List<JsonNode> deployments = objects("prod", "Deployment");
        for (JsonNode monitor : monitors) {
            String service = name(monitor);
            assertThat(monitor.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
            assertThat(monitor.path("metadata").path("namespace").asText()).isEqualTo("parley");
            JsonNode endpoints = monitor.path("spec").path("endpoints");
            assertThat(endpoints.size()).as(service + " endpoints").isEqualTo(1);
            JsonNode endpoint = endpoints.get(0);
            assertThat(endpoint.path("path").asText()).as(service).isEqualTo("/q/metrics");

            // the Services it selects: exactly one, in its namespace, whose job label value is the service's name
            List<JsonNode> selected = monitoring.stream()
                    .filter(o -> o.path("kind").asText().equals("Service"))
                    .filter(o -> selects(
                            monitor.path("spec").path("selector"),
                            o.path("metadata").path("labels")))
                    .toList();
            assertThat(selected).as(service + " selects one Service").hasSize(1);
            JsonNode metricsService = selected.get(0);
            String jobLabel = monitor.path("spec").path("jobLabel").asText();
            assertThat(metricsService
                            .path("metadata")
                            .path("labels")
                            .path(jobLabel)
                            .asText())
                    .as(service + " job label (" + jobLabel + ")")
                    .isEqualTo(service);
            JsonNode port = stream(metricsService.path("spec").path("ports"))
                    .filter(p ->
                            p.path("name").asText().equals(endpoint.path("port").asText()))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError(service + ": no Service port " + endpoint.path("port")));

            // ... which selects that service's pods, and reaches their management port
            List<JsonNode> pods = deployments.stream()
                    .filter(d -> selectsLabels(
                            metricsService.path("spec").path("selector"),
                            d.path("spec").path("template").path("metadata").path("labels")))
                    .toList();
            assertThat(pods.stream().map(ManifestsTest::name).toList())
                    .as(service + "-metrics selects the pods of")
                    .containsExactly(service);
            JsonNode container = podSpec(pods.get(0)).path("containers").get(0);
            assertThat(port(container, port.path("targetPort")))
                    .as(service + " scraped on the management port")
                    .isEqualTo(MANAGEMENT_PORT);
        }
    }

    /** A reference to a Secret or ConfigMap: its kind, name and whether it is optional. */
    private static JsonNode ref(JsonNode reference, String kind, String name) {
        return new YAMLMapper()
                .createObjectNode()
                .put("kind", kind)
                .put("name", name)
                .put("optional", reference.path("optional").asBoolean(false));
    }

    // ---- rendering and reading

    /**
     * The objects {@code kubectl kustomize overlays/<overlay>} renders, rendered once per overlay ({@code ../monitoring}
     * for deploy/k8s/monitoring).
     */
    static List<JsonNode> rendered(String overlay) {
        return RENDERED.computeIfAbsent(overlay, ManifestsTest::render);
    }

    private static List<JsonNode> render(String overlay) {
        Optional<Path> kubectl = kubectl();
        Assumptions.assumeTrue(
                kubectl.isPresent(),
                "kubectl is not installed (nor named by KUBECTL): the Kubernetes manifests were not rendered or checked");
        try {
            String prefix = "kustomize-" + overlay.replaceAll("[^A-Za-z0-9-]", "");
            Path out = Files.createTempFile(prefix, ".yaml");
            Path err = Files.createTempFile(prefix, ".err");
            Process process = new ProcessBuilder(
                            kubectl.get().toString(),
                            "kustomize",
                            K8S.resolve("overlays").resolve(overlay).toString())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("kubectl kustomize " + overlay + " did not end within a minute");
            }
            assertThat(process.exitValue())
                    .as("kubectl kustomize overlays/" + overlay + ": " + Files.readString(err))
                    .isZero();
            List<JsonNode> objects = new ArrayList<>();
            try (MappingIterator<JsonNode> docs =
                    new YAMLMapper().readerFor(JsonNode.class).readValues(out.toFile())) {
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    if (doc != null && !doc.isEmpty()) {
                        objects.add(doc);
                    }
                }
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return objects;
        } catch (IOException e) {
            throw new AssertionError("kubectl kustomize " + overlay + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** kubectl from {@code KUBECTL}, else the first on the PATH. */
    static Optional<Path> kubectl() {
        String named = System.getenv("KUBECTL");
        if (named != null && !named.isBlank()) {
            return Optional.of(Path.of(named)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static List<JsonNode> objects(String overlay, String kind) {
        return rendered(overlay).stream()
                .filter(o -> o.path("kind").asText().equals(kind))
                .toList();
    }

    static List<String> names(String overlay, String kind) {
        return objects(overlay, kind).stream().map(ManifestsTest::name).toList();
    }

    static JsonNode object(String overlay, String kind, String name) {
        return objects(overlay, kind).stream()
                .filter(o -> name(o).equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + overlay));
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static JsonNode podSpec(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec");
    }

    static JsonNode volume(JsonNode podSpec, String name) {
        return stream(podSpec.path("volumes"))
                .filter(v -> v.path("name").asText().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    static int port(JsonNode container, JsonNode port) {
        if (port.isInt()) {
            return port.asInt();
        }
        return stream(container.path("ports"))
                .filter(p -> p.path("name").asText().equals(port.asText()))
                .map(p -> p.path("containerPort").asInt())
                .findFirst()
                .orElse(-1);
    }

    /**
     * The environment a Deployment's first container gets: its ConfigMaps' entries, then its own {@code env} values
     * (a value from a secret or a field is given as the empty string).
     */
    static Map<String, String> env(String overlay, JsonNode deployment) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode container = podSpec(deployment).path("containers").get(0);
        for (JsonNode from : container.path("envFrom")) {
            if (from.has("configMapRef")) {
                object(
                                overlay,
                                "ConfigMap",
                                from.path("configMapRef").path("name").asText())
                        .path("data")
                        .fields()
                        .forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            }
        }
        for (JsonNode e : container.path("env")) {
            env.put(e.path("name").asText(), e.path("value").asText(""));
        }
        return env;
    }

    /** The secret a Deployment's variable {@code variable} is read from. */
    static String secretRef(JsonNode deployment, String variable) {
        return stream(podSpec(deployment).path("containers").get(0).path("env"))
                .filter(e -> e.path("name").asText().equals(variable))
                .map(e -> e.path("valueFrom").path("secretKeyRef").path("name").asText())
                .findFirst()
                .orElseThrow(() -> new AssertionError(name(deployment) + " has no " + variable));
    }

    static String decoded(JsonNode secret, String key) {
        JsonNode value = secret.path("data").path(key);
        if (value.isMissingNode()) {
            return secret.path("stringData").path(key).asText();
        }
        return new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8);
    }

    /** Whether a label selector ({@code matchLabels}, {@code matchExpressions}; empty: every pod) selects labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (!selectsLabels(selector.path("matchLabels"), labels)) {
            return false;
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            Set<String> values = texts(expression.path("values"));
            boolean has = labels.has(key);
            boolean ok = switch (expression.path("operator").asText()) {
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                case "In" -> has && values.contains(labels.path(key).asText());
                case "NotIn" -> !has || !values.contains(labels.path(key).asText());
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Whether every label of {@code wanted} (a map) is in {@code labels}. */
    static boolean selectsLabels(JsonNode wanted, JsonNode labels) {
        return stream(wanted.fields())
                .allMatch(e ->
                        labels.path(e.getKey()).asText().equals(e.getValue().asText()));
    }

    static Set<String> texts(JsonNode array) {
        Set<String> texts = new HashSet<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> list = new ArrayList<>();
        array.forEach(list::add);
        return list.stream();
    }

    static <T> Stream<T> stream(java.util.Iterator<T> iterator) {
        List<T> list = new ArrayList<>();
        iterator.forEachRemaining(list::add);
        return list.stream();
    }

    /** A duration as the services' configuration writes it ({@code 5s}, {@code 1m}, {@code 500ms}), in seconds. */
    static long seconds(String text) {
        assertThat(text).isNotNull();
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h)").matcher(text.trim());
        assertThat(m.matches()).as(text).isTrue();
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        return (long) Math.ceil(d.toMillis() / 1000.0);
    }

    /** Every {@code mp.messaging.*.topic} that a service's application.properties names. */
    static Set<String> topicsInServiceConfiguration() {
        Set<String> topics = new TreeSet<>();
        Pattern topic = Pattern.compile("^mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.topic=(.+)$");
        for (String service : SERVICES) {
            Path properties = ROOT.resolve(service).resolve("src/main/resources/application.properties");
            try {
                for (String line : Files.readAllLines(properties)) {
                    Matcher m = topic.matcher(line.trim());
                    if (m.matches()) {
                        topics.add(m.group(2).trim());
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read " + properties, e);
            }
        }
        assertThat(topics).as("topics named in the services' configuration").isNotEmpty();
        return topics;
    }
}
