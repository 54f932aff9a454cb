package dev.dispatch.autoconfigure;

import dev.dispatch.store.CallGroup;
import dev.dispatch.store.Invocation;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

/**
 * Adds the invocation store's entities to the application's persistence unit, whatever packages the application
 * scans (its own package, or its own {@code @EntityScan}). Adds to the managed types instead of scanning a package,
 * so the application needs neither to know nor to declare them.
 */
final class DispatchEntitiesPostProcessor implements BeanPostProcessor {

    static final List<String> ENTITY_CLASS_NAMES = List.of(Invocation.class.getName(), CallGroup.class.getName());

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof PersistenceManagedTypes types
                && !types.getManagedClassNames().containsAll(ENTITY_CLASS_NAMES)) {
            return withEntities(types);
        }
        return bean;
    }

    private static PersistenceManagedTypes withEntities(PersistenceManagedTypes types) {
        List<String> classNames = new ArrayList<>(types.getManagedClassNames());
        ENTITY_CLASS_NAMES.stream().filter(name -> !classNames.contains(name)).forEach(classNames::add);
        List<String> packages = List.copyOf(types.getManagedPackages());
        URL root = types.getPersistenceUnitRootUrl();
        return new PersistenceManagedTypes() {
            @Override
            public List<String> getManagedClassNames() {
                return classNames;
            }

            @Override
            public List<String> getManagedPackages() {
                return packages;
            }

            @Override
            public @Nullable URL getPersistenceUnitRootUrl() {
                return root;
            }
        };
    }
}
