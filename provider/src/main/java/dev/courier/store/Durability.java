package dev.courier.store;

/** How far a store goes before {@link MessageStore#commit} returns. */
public enum Durability {

    /**
     * The commit is written and fsynced: it survives a crash of the process, the operating system
     * or the machine (power loss), as far as the disk honours a flush. The default.
     */
    FSYNC,

    /**
     * The commit is written to the operating system but not fsynced: it survives a crash (even
     * SIGKILL) of the process, but an operating-system crash or power loss may lose the last
     * commits. Much faster on disks with slow flushes.
     */
    NO_FSYNC
}
