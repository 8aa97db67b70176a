package io.parley.bench.scenarios;

import io.parley.bench.engine.Scenario;
import java.util.List;

/** A harness subcommand that is one scenario: it runs itself. */
public abstract class HarnessScenario extends HarnessCommand implements Scenario {

    /** This scenario alone. */
    @Override
    public List<? extends Scenario> scenarios() {
        return List.of(this);
    }
}
