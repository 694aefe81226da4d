package dev.courier.examples;

/** What an example reports when it finishes: whether its use case worked, and the numbers to show it. */
public interface ExampleResult {

    /** True when everything the example set out to do happened within its time limit. */
    boolean succeeded();
}
