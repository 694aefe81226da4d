package dev.courier.examples;

/** Runs one example by name: {@code java -jar examples/target/courier-examples.jar NAME}. */
public final class Examples {

    private Examples() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Courier examples: none yet");
    }
}
