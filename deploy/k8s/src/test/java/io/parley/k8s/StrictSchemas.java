package io.parley.k8s;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.SettableBeanProperty;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Strict validation of one rendered Kubernetes object against the schema of its kind, offline (issue 16). A field
 * that the schema does not define is an error at any depth, like a wrong type or a missing required field.
 *
 * <p>Where each schema comes from (test dependencies from Maven Central, see deploy/k8s/pom.xml):
 *
 * <ul>
 *   <li>Kubernetes' own kinds: the Kubernetes Java client's API models ({@code io.kubernetes:client-java-api}
 *       26.0.0, generated from the OpenAPI document of Kubernetes 1.34). Each model's {@code fromJson} checks that
 *       every field of the JSON is one of the schema's properties, that the required ones are there, and the types,
 *       at every depth; {@code IntOrString} and {@code Quantity} fields take their Kubernetes forms.
 *   <li>Strimzi's kinds ({@code kafka.strimzi.io}): Strimzi's API model ({@code io.strimzi:api} 0.45.0, the operator
 *       version docs/deploy.md installs), the classes from which Strimzi generates its CRDs' openAPIV3Schema. It is read with Jackson with every "any setter"
 *       taken away (Strimzi keeps unknown fields aside, and only warns about them), so that an unknown field fails;
 *       scalars are not coerced (a string where a number belongs fails); a property that the model marks deprecated
 *       (Strimzi drops those from its {@code v1} API) counts as unknown. Required fields are not checked there.
 *   <li>{@code monitoring.coreos.com} ServiceMonitor: the fabric8 model of the Prometheus operator's CRDs
 *       ({@code io.fabric8:openshift-model-monitoring}, the Quarkus BOM's version), read the same way.
 *   <li>CloudNativePG ({@code postgresql.cnpg.io}): no registry that the build reaches publishes its CRDs or a model
 *       generated from them (README.md of deploy/k8s lists what was searched); its kinds are reported as not
 *       validated, and any other kind fails.
 * </ul>
 */
final class StrictSchemas {

    /** The kinds the Kubernetes Java client's models validate, by {@code apiVersion/kind}. */
    static final Map<String, Class<?>> KUBERNETES = Map.ofEntries(
            Map.entry("v1/Namespace", V1Namespace.class),
            Map.entry("v1/ConfigMap", V1ConfigMap.class),
            Map.entry("v1/Secret", V1Secret.class),
            Map.entry("v1/Service", V1Service.class),
            Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
            Map.entry("apps/v1/Deployment", V1Deployment.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class));

    /** The custom resources whose model the build has, by {@code apiVersion/kind}. */
    static final Map<String, Class<?>> CUSTOM = Map.of(
            "kafka.strimzi.io/v1beta2/Kafka",
            Kafka.class,
            "kafka.strimzi.io/v1beta2/KafkaNodePool",
            KafkaNodePool.class,
            "kafka.strimzi.io/v1beta2/KafkaTopic",
            KafkaTopic.class,
            "kafka.strimzi.io/v1beta2/KafkaUser",
            KafkaUser.class,
            "monitoring.coreos.com/v1/ServiceMonitor",
            io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class);

    /** The kinds known to have no schema the build can reach (see the class comment). */
    static final Set<String> NOT_VALIDATED = Set.of(
            "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/Database", "postgresql.cnpg.io/v1/ScheduledBackup");

    /** Jackson, made strict: no any-setter, no ignored unknown fields, no coerced scalars. */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .addModule(new SimpleModule("strict").setDeserializerModifier(new BeanDeserializerModifier() {
                @Override
                public BeanDeserializerBuilder updateBuilder(
                        DeserializationConfig config, BeanDescription description, BeanDeserializerBuilder builder) {
                    builder.setAnySetter(null);
                    builder.setIgnoreUnknownProperties(false);
                    // a deprecated property (Strimzi: one that its v1 API drops) counts as unknown
                    List<SettableBeanProperty> deprecated = new ArrayList<>();
                    builder.getProperties().forEachRemaining(property -> {
                        if (property.getMember() != null && property.getMember().hasAnnotation(Deprecated.class)) {
                            deprecated.add(property);
                        }
                    });
                    deprecated.forEach(property -> builder.removeProperty(property.getFullName()));
                    return builder;
                }
            }))
            .build();

    private StrictSchemas() {}

    /** {@code apiVersion/kind} of an object, the key of the maps above. */
    static String key(JsonNode object) {
        return object.path("apiVersion").asText() + "/" + object.path("kind").asText();
    }

    /**
     * Validates one object against the schema of its {@code apiVersion} and {@code kind}.
     *
     * @param object a rendered object, as the YAML reads
     * @return empty when the object is valid; else what is wrong, naming the field where the validator says it
     *     (for a kind in {@link #NOT_VALIDATED}: empty, nothing checked; for any other unknown kind: an error)
     */
    static Optional<String> problem(JsonNode object) {
        String key = key(object);
        String json = object.toString();
        Class<?> model = KUBERNETES.get(key);
        if (model != null) {
            try {
                model.getMethod("fromJson", String.class).invoke(null, json);
                return Optional.empty();
            } catch (InvocationTargetException e) {
                return Optional.of(e.getCause().getClass().getSimpleName() + ": "
                        + e.getCause().getMessage());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(model + " has no fromJson(String)", e);
            }
        }
        model = CUSTOM.get(key);
        if (model != null) {
            try {
                STRICT.readValue(json, model);
                return Optional.empty();
            } catch (Exception e) {
                return Optional.of(e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()));
            }
        }
        if (NOT_VALIDATED.contains(key)) {
            return Optional.empty();
        }
        return Optional.of(
                "no schema for " + key + ": add it to StrictSchemas (or, with the reason, to NOT_VALIDATED)");
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("") + pathOf(message);
    }

    /** Jackson's "(through reference chain: ...)" tail: the path of the field that failed. */
    private static String pathOf(String message) {
        int at = message.indexOf("(through reference chain:");
        return at < 0 ? "" : " " + message.substring(at).replaceAll("\\s+", " ");
    }
}
