/**
 * A supervisor with one child per partition, keys routed to partitions (Elixir's `PartitionSupervisor`).
 *
 * @since 0.1.0
 */
export * as PartitionSupervisor from "./PartitionSupervisor.js"
